// Package pool is a sub-package.
package pool

import "sync"

type Pool struct {
	mu    sync.Mutex
	idle  []*Worker
	stats *Stats
}

type Stats struct {
	mu     sync.RWMutex
	served int
}

type Worker struct{ id int }

// Put: Pool.mu, then Stats.mu (write).
func (p *Pool) Put(w *Worker) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.idle = append(p.idle, w)
	p.stats.mu.Lock()
	p.stats.served++
	p.stats.mu.Unlock()
}

// bad: a read lock on Stats.mu, then Pool.mu: a Put that holds Pool.mu
// and waits for Stats.mu deadlocks against it.
func (s *Stats) Describe(p *Pool) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p.mu.Lock() // want "GL020"
	defer p.mu.Unlock()
	return s.served + len(p.idle)
}
