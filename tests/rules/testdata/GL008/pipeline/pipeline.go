// Package pipeline holds GL008 cases in a sub-package.
package pipeline

import (
	"context"
	"time"
)

// Stage copies values from in to out.
type Stage struct {
	In  chan int
	Out chan int
}

// bad: the stage's goroutine forwards values with ctx in scope but blocks on
// the send without a case on ctx.Done().
func (s *Stage) Start(ctx context.Context) {
	go func() {
		for v := range s.In { // want "GL008"
			s.Out <- v
		}
	}()
}

// ok: the forwarder selects on ctx.Done() around each send.
func (s *Stage) StartSafe(ctx context.Context) {
	go func() {
		for v := range s.In {
			select {
			case s.Out <- v:
			case <-ctx.Done():
				return
			}
		}
	}()
}

// ok: ctx is stored in a struct value handed to the goroutine.
func Poll(ctx context.Context, every time.Duration) {
	p := poller{ctx: ctx, every: every}
	go func() {
		p.loop()
	}()
}

type poller struct {
	ctx   context.Context
	every time.Duration
}

func (p poller) loop() {
	t := time.NewTicker(p.every)
	defer t.Stop()
	for {
		select {
		case <-p.ctx.Done():
			return
		case <-t.C:
		}
	}
}
