package gl022

import "sync"

// Precision cases of GL022: order inside deferred bodies, who holds a
// WaitGroup count, hand-off to a goroutine, path-sensitive lock state.

type batcher struct {
	mu      sync.Mutex
	wg      sync.WaitGroup
	done    chan struct{}
	flushed chan struct{}
	pending []int
	closed  bool
}

// ok: the deferred body closes done before it takes b.mu.
func (b *batcher) loop() {
	defer func() {
		close(b.done)
		b.mu.Lock()
		b.closed = true
		b.mu.Unlock()
	}()
	for range b.pending {
	}
}

func (b *batcher) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	<-b.done
}

// bad: here the deferred body takes b.mu first, then signals.
func (b *batcher) flushLoop() {
	defer func() {
		b.mu.Lock()
		b.pending = nil
		b.mu.Unlock()
		close(b.flushed)
	}()
	for range b.pending {
	}
}

func (b *batcher) Flush() {
	b.mu.Lock()
	defer b.mu.Unlock()
	<-b.flushed // want "GL022"
}

type spool struct {
	mu    sync.Mutex
	wg    sync.WaitGroup
	items []int
}

// ok: the goroutine takes s.mu before it adds its count: while it holds
// the lock it holds no count, so Wait does not wait for it there.
func (s *spool) start(work func()) {
	go func() {
		s.mu.Lock()
		s.wg.Add(1)
		s.items = append(s.items, 1)
		s.mu.Unlock()
		defer s.wg.Done()
		work()
	}()
}

func (s *spool) Drain() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wg.Wait()
}

type gate struct {
	mu    sync.Mutex
	wg    sync.WaitGroup
	ready chan int
	open  bool
}

// bad: the count is added first, and the goroutine takes g.mu while it
// holds it.
func (g *gate) start() {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		g.mu.Lock()
		g.open = true
		g.mu.Unlock()
	}()
}

func (g *gate) Shut() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.wg.Wait() // want "GL022"
}

// ok: the lock is handed to a goroutine that releases it before anything
// else: this function no longer holds it when it waits.
func (g *gate) Reopen() int {
	g.mu.Lock()
	go g.openAndUnlock()
	return <-g.ready
}

func (g *gate) openAndUnlock() {
	g.open = true
	g.mu.Unlock()
	g.ready <- 1
}

// ok: released on this path before the receive; the branches test the same
// condition.
func (g *gate) Peek(fast bool) int {
	g.mu.Lock()
	if fast {
		g.mu.Unlock()
	}
	if fast {
		return <-g.ready
	}
	defer g.mu.Unlock()
	return 0
}

type monitor struct {
	regMu sync.Mutex
	wg    sync.WaitGroup
	quit  chan struct{}
}

// startWorker registers a count under regMu so that Add never races the
// Wait in stop.
func (m *monitor) startWorker() {
	m.regMu.Lock()
	m.wg.Add(1)
	m.regMu.Unlock()
}

// ok: the worker takes regMu only inside startWorker, to add its own count:
// while stop holds regMu the worker cannot have registered, and Wait does
// not wait for it.
func (m *monitor) run() {
	m.startWorker()
	defer m.wg.Done()
	<-m.quit
}

func (m *monitor) spawn() {
	go m.run()
}

func (m *monitor) stop() {
	m.regMu.Lock()
	defer m.regMu.Unlock()
	close(m.quit)
	m.wg.Wait()
}

type memStore struct {
	mu   sync.Mutex
	rows int
}

type shelf struct {
	st   any
	done chan struct{}
}

func (s *shelf) compact() {
	if m, ok := s.st.(*memStore); ok {
		m.mu.Lock()
		m.rows = 0
		m.mu.Unlock()
	}
	close(s.done)
}

// ok: the store is locked and unlocked under the same type assertion on
// the same field: the path that locked it has unlocked it at the receive.
func (s *shelf) pausedCompact() {
	if m, ok := s.st.(*memStore); ok {
		m.mu.Lock()
	}
	go s.compact()
	if m, ok := s.st.(*memStore); ok {
		m.mu.Unlock()
	}
	<-s.done
}
