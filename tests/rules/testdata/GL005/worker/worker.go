// Package worker holds GL005 cases in a sub-package.
package worker

import clock "time"

// Pool runs jobs.
type Pool struct{ n int }

// bad: the worker waits on a local unbuffered channel nothing sends on.
func (p *Pool) Wait() {
	results := make(chan int)
	select { // want "GL005"
	case r := <-results:
		p.n += r
	}
}

// ok: a timer case (aliased time import) bounds the wait.
func (p *Pool) WaitFor(d clock.Duration) {
	results := make(chan int)
	select {
	case r := <-results:
		p.n += r
	case <-clock.After(d):
	}
}
