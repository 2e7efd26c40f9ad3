package gl002

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// A goroutine that cancels its own parked context: the cancel calls run inside it, but not only
// after its wait on Done, so the wait can end.

type psPoller struct {
	cancel context.CancelFunc
	ctx    context.Context
	ticks  chan int
}

func (p *psPoller) poll() {
	for n := range p.ticks {
		if n < 0 {
			p.cancel() // a fatal tick stops the whole poller
			return
		}
		fmt.Println(n)
	}
}

func (p *psPoller) run() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		p.poll()
	}()
	<-p.ctx.Done()
	wg.Wait()
}

// ok: the poller's helper goroutine calls the cancel alongside run's wait.
func psStartPoller(ctx context.Context, ticks chan int) {
	p := &psPoller{ticks: ticks}
	p.ctx, p.cancel = context.WithCancel(ctx)
	go p.run()
}

type psDialer struct {
	cancel context.CancelFunc
	ctx    context.Context
}

func (d *psDialer) dial() error { return errors.New("refused") }

func (d *psDialer) loop() {
	if err := d.dial(); err != nil {
		d.cancel() // gives up before waiting
	}
	<-d.ctx.Done()
	fmt.Println("dialer done")
}

// ok: the goroutine cancels before its wait when the dial fails.
func psStartDialer(ctx context.Context) {
	d := &psDialer{}
	d.ctx, d.cancel = context.WithCancel(ctx)
	go d.loop()
}
