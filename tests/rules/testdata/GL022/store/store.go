// Package store holds GL022 cases in a sub-package.
package store

import "sync"

type Store struct {
	mu      sync.Mutex
	pending map[string]int
	flushed chan int
}

func New() *Store {
	s := &Store{pending: map[string]int{}, flushed: make(chan int)}
	go s.flusher()
	return s
}

func (s *Store) flusher() {
	for {
		s.mu.Lock()
		n := len(s.pending)
		s.pending = map[string]int{}
		s.mu.Unlock()
		s.flushed <- n
	}
}

// bad: Sync holds s.mu while waiting for the flusher, which locks s.mu before it sends.
func (s *Store) Sync() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return <-s.flushed // want "GL022"
}

// ok: SyncFixed waits without the lock.
func (s *Store) SyncFixed() int {
	return <-s.flushed
}

type Log struct {
	mu    sync.Mutex
	lines []string
	out   chan string
}

// ok: the consumer never takes l.mu: holding it across the send only slows Append down.
func (l *Log) Append(line string) {
	l.mu.Lock()
	l.lines = append(l.lines, line)
	l.out <- line
	l.mu.Unlock()
}

func (l *Log) consume(print func(string)) {
	for line := range l.out {
		print(line)
	}
}

type Ring struct {
	sync.Mutex
	slots []int
	tick  chan int
}

func (r *Ring) spin() {
	for {
		r.Lock()
		n := len(r.slots)
		r.Unlock()
		r.tick <- n
	}
}

// bad: an embedded mutex (r.Lock): Next holds it while spin needs it before each send on r.tick.
func (r *Ring) Next() int {
	r.Lock()
	defer r.Unlock()
	return <-r.tick // want "GL022"
}
