package gl022

import "sync"

// The partner goroutine calls back, through a func field, into code that takes the held lock.

type evictor struct {
	add     chan int
	quit    chan struct{}
	keys    map[int]bool
	onEvict func(int)
}

func newEvictor(onEvict func(int)) *evictor {
	e := &evictor{add: make(chan int), quit: make(chan struct{}), keys: map[int]bool{}, onEvict: onEvict}
	go e.run()
	return e
}

func (e *evictor) run() {
	for {
		select {
		case k := <-e.add:
			e.keys[k] = true
			if len(e.keys) > 8 {
				for old := range e.keys {
					e.onEvict(old)
					delete(e.keys, old)
				}
			}
		case <-e.quit:
			return
		}
	}
}

type tokenStore struct {
	mu    sync.Mutex
	ev    *evictor
	count int
}

func (s *tokenStore) dropped(k int) {
	s.mu.Lock()
	s.count--
	s.mu.Unlock()
}

func newTokenStore() *tokenStore {
	s := &tokenStore{}
	s.ev = newEvictor(s.dropped)
	return s
}

// bad: while s.mu is held, run may be inside the onEvict callback, waiting for s.mu.
func (s *tokenStore) Add(k int) {
	s.mu.Lock()
	s.count++
	s.ev.add <- k // want "GL022"
	s.mu.Unlock()
}

// ok: the hand-off happens after the lock is released.
func (s *tokenStore) AddUnlocked(k int) {
	s.mu.Lock()
	s.count++
	s.mu.Unlock()
	s.ev.add <- k
}

var _ = newTokenStore
