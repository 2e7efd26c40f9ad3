package gl020

import "sync"

// Precision cases: a callee that releases the caller's lock before taking
// its own, branches on one condition, objects nobody else can see yet.

type Pool struct {
	mu      sync.Mutex
	workers []*Worker
	limit   int
}

type Worker struct {
	mu    sync.Mutex
	pool  *Pool
	state int
}

// Pool.mu → Worker.mu.
func (p *Pool) Resize(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, w := range p.workers {
		w.mu.Lock()
		w.state = n
		w.mu.Unlock()
	}
}

// ok: entered holding w.mu, which it releases before it takes Pool.mu.
func (w *Worker) restartAndUnlock() {
	w.state = 0
	w.mu.Unlock()
	w.pool.mu.Lock()
	w.pool.limit++
	w.pool.mu.Unlock()
}

func (w *Worker) Restart() {
	w.mu.Lock()
	if w.state < 0 {
		w.mu.Unlock()
		return
	}
	w.restartAndUnlock()
}

// ok: released on this path before the second lock.
func (w *Worker) Report(final bool) {
	w.mu.Lock()
	s := w.state
	w.mu.Unlock()
	if final {
		w.pool.mu.Lock()
		w.pool.limit += s
		w.pool.mu.Unlock()
	}
}

// ok: the two branches test the same condition: the path that still holds
// w.mu never takes Pool.mu.
func (w *Worker) Settle(quick bool) {
	w.mu.Lock()
	if quick {
		w.state = 1
	} else {
		w.mu.Unlock()
	}
	if !quick {
		w.pool.mu.Lock()
		w.pool.limit--
		w.pool.mu.Unlock()
	}
	if quick {
		w.mu.Unlock()
	}
}

// bad: the flag is not the same on both tests.
func (w *Worker) Drain(quick, hard bool) {
	w.mu.Lock()
	if quick {
		w.state = 2
	} else {
		w.mu.Unlock()
	}
	if hard {
		w.pool.mu.Lock() // want "GL020"
		w.pool.limit = 0
		w.pool.mu.Unlock()
	}
	if quick {
		w.mu.Unlock()
	}
}

// ok: the new worker is locked before anything else can see it; it is
// published (appended) only once Pool.mu is held, so Resize cannot be
// waiting for its mutex.
func (p *Pool) Spawn() *Worker {
	w := &Worker{pool: p}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.state = 1
	p.mu.Lock()
	p.workers = append(p.workers, w)
	p.mu.Unlock()
	return w
}

// ok: the same through a constructor: the pool is created (and locked) in
// the callee, while w.mu is held.
func newPool(limit int) *Pool {
	p := &Pool{}
	p.mu.Lock()
	p.limit = limit
	p.mu.Unlock()
	return p
}

func (w *Worker) Split() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.pool = newPool(w.state)
}

type Shelf struct {
	mu    sync.Mutex
	books []*Book
}

type Book struct {
	mu    sync.Mutex
	shelf *Shelf
}

// Shelf.mu → Book.mu.
func (s *Shelf) Dust() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, b := range s.books {
		b.mu.Lock()
		b.mu.Unlock()
	}
}

// bad: the book is published (stored on the shelf) before its lock is
// taken, then Shelf.mu is taken under it: Dust can hold Shelf.mu and wait
// for this book.
func (s *Shelf) Adopt() {
	b := &Book{shelf: s}
	s.books = append(s.books, b)
	b.mu.Lock()
	defer b.mu.Unlock()
	s.mu.Lock() // want "GL020"
	s.mu.Unlock()
}

type Feed struct {
	mu      sync.Mutex
	onValue func(int)
}

type watch struct {
	mu   sync.Mutex
	seen int
}

// Feed.mu → watch.mu: deliveries run the callbacks under the feed's lock.
func (f *Feed) Publish(v int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.onValue != nil {
		f.onValue(v)
	}
}

func (f *Feed) subscribe(cb func(int)) {
	f.mu.Lock()
	f.onValue = cb
	f.mu.Unlock()
}

// ok: the watch is new; the closure that captures it is handed to the feed
// only by the subscribe call itself, so no delivery can hold Feed.mu and
// wait for this watch's mutex.
func (f *Feed) Watch() *watch {
	w := &watch{}
	update := func(v int) {
		w.mu.Lock()
		w.seen = v
		w.mu.Unlock()
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	f.subscribe(update)
	return w
}

type Session struct {
	mu    sync.Mutex
	id    int
	ready bool
}

type Hub struct {
	mu       sync.Mutex
	sessions []*Session
	next     int
}

// Hub.mu → Session.mu.
func (h *Hub) Broadcast() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, s := range h.sessions {
		s.mu.Lock()
		s.ready = true
		s.mu.Unlock()
	}
}

func (s *Session) reset() {
	s.ready = false
	s.id = 0
}

// ok: init only sets the new session's fields (reset does not let it
// escape): nobody else can hold its mutex while Hub.mu is taken here.
func (h *Hub) Open() *Session {
	s := &Session{}
	s.reset()
	s.mu.Lock()
	defer s.mu.Unlock()
	h.mu.Lock()
	h.next++
	s.id = h.next
	h.mu.Unlock()
	return s
}
