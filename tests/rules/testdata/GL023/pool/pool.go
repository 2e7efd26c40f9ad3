// Package pool holds GL023 cases in a sub-package.
package pool

import "sync"

type conns struct {
	mu    sync.Mutex
	freed *sync.Cond
	idle  []int
}

func newConns() *conns {
	c := &conns{}
	c.freed = sync.NewCond(&c.mu)
	return c
}

// bad: release puts connections back but never signals freed: acquirers sleep forever.
func (c *conns) acquire() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.idle) == 0 {
		c.freed.Wait() // want "GL023"
	}
	n := c.idle[0]
	c.idle = c.idle[1:]
	return n
}

func (c *conns) release(n int) {
	c.mu.Lock()
	c.idle = append(c.idle, n)
	c.mu.Unlock()
}

type slots struct {
	mu   sync.Mutex
	cond *sync.Cond
	n    int
}

// ok: take loops and give broadcasts.
func (s *slots) take() {
	s.mu.Lock()
	for s.n == 0 {
		s.cond.Wait()
	}
	s.n--
	s.mu.Unlock()
}

func (s *slots) give() {
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
	s.cond.Broadcast()
}
