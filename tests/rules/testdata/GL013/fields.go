package gl013

import (
	"fmt"
	clock "time"
)

// Import alias: `clock "time"`; struct fields.

// bad: a ticker stored in a field that nothing in the package ever stops.
type monitor struct {
	ticker *clock.Ticker
	quit   chan struct{}
}

func (m *monitor) start() {
	m.ticker = clock.NewTicker(clock.Second) // want "GL013"
	go m.loop()
}

func (m *monitor) loop() {
	for {
		select {
		case <-m.quit:
			return
		case <-m.ticker.C:
			fmt.Println("check")
		}
	}
}

// bad: a ticker in a composite literal's field; no code stops `refresh`.
type cache struct {
	refresh *clock.Ticker
	items   map[string]string
}

func newCache() *cache {
	return &cache{refresh: clock.NewTicker(clock.Minute), items: map[string]string{}} // want "GL013"
}

func (c *cache) wait() { <-c.refresh.C }

// ok: the field is stopped in Close.
type pinger struct {
	t *clock.Ticker
}

func (p *pinger) open() {
	p.t = clock.NewTicker(clock.Second)
}

func (p *pinger) Close() {
	p.t.Stop()
}

// ok: a local interface with a NewTicker method is not package time.
type fakeClock interface {
	NewTicker(d clock.Duration) *clock.Ticker
}

func useFake(c fakeClock) {
	t := c.NewTicker(clock.Second)
	<-t.C
}
