// Package sched is a sub-package of the GL013 testdata.
package sched

import "time"

type Scheduler struct {
	tasks chan func()
	stop  chan struct{}
}

// bad: a method launched with `go s.Run()` that returns on stop without stopping its ticker.
func (s *Scheduler) Run() {
	tick := time.NewTicker(time.Second) // want "GL013"
	for {
		select {
		case <-s.stop:
			return
		case f := <-s.tasks:
			f()
		case <-tick.C:
		}
	}
}

func (s *Scheduler) Start() { go s.Run() }

// ok: the same loop with defer Stop.
func (s *Scheduler) RunStopped() {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-tick.C:
		}
	}
}
