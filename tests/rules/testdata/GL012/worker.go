package gl012

import (
	"context"
	"fmt"
	tm "time"
)

// Import alias: `tm "time"`.

type worker struct {
	jobs chan job
	quit chan struct{}
}

// bad: a method launched with `go w.loop()`: quit returns, but every job leaves its heartbeat timer behind.
func (w *worker) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-w.jobs:
			handle(j)
		case <-tm.After(30 * tm.Second): // want "GL012"
			fmt.Println("heartbeat")
		}
	}
}

func (w *worker) start(ctx context.Context) {
	go w.loop(ctx)
}

// bad: a goroutine closure with its own endless loop.
func (w *worker) watch(events <-chan string) {
	go func() {
		for {
			select {
			case <-w.quit:
				return
			case e := <-events:
				fmt.Println(e)
			case <-tm.After(tm.Second): // want "GL012"
			}
		}
	}()
}

// ok: a local clock whose After is not time.After (a fake clock in tests).
type clock interface {
	After(d tm.Duration) <-chan tm.Time
}

func (w *worker) withClock(c clock) {
	for {
		select {
		case j := <-w.jobs:
			handle(j)
		case <-c.After(tm.Second):
			return
		}
	}
}
