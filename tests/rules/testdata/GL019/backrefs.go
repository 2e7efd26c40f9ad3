package gl019

import "sync"

// A child object that points back at its parent, a closure assigned straight to a field next to an
// embedded mutex, a helper that runs its callback under the mutex it is given, and sync.Once.

type notifier interface{ Notify() }

type hub struct {
	mu    sync.Mutex
	subs  int
	notif notifier
}

type selfNotifier struct{ h *hub }

func (s *selfNotifier) Notify() { s.h.Count() }

func newHub() *hub {
	h := &hub{}
	h.notif = &selfNotifier{h: h}
	return h
}

func (h *hub) Count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.subs
}

// bad: notif is a selfNotifier pointing back at this hub; Notify counts under h.mu again.
func (h *hub) Subscribe() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.subs++
	h.notif.Notify() // want "GL019"
}

// ok: notified after the unlock.
func (h *hub) SubscribeThenNotify() {
	h.mu.Lock()
	h.subs++
	h.mu.Unlock()
	h.notif.Notify()
}

type kvStore struct {
	sync.Mutex
	data    map[string]string
	onFlush func()
}

func newKVStore() *kvStore {
	s := &kvStore{data: map[string]string{}}
	s.onFlush = func() {
		s.Lock()
		s.data = map[string]string{}
		s.Unlock()
	}
	return s
}

// bad: onFlush locks the store's embedded mutex, which Put holds.
func (s *kvStore) Put(k, v string) {
	s.Lock()
	s.data[k] = v
	if len(s.data) > 10 {
		s.onFlush() // want "GL019"
	}
	s.Unlock()
}

// ok: the flush runs once the lock is released.
func (s *kvStore) PutThenFlush(k, v string) {
	s.Lock()
	s.data[k] = v
	full := len(s.data) > 10
	s.Unlock()
	if full {
		s.onFlush()
	}
}

// bad: withLock runs f holding mu, and Twice passes a literal that locks the same mutex.
func withLock(mu *sync.Mutex, f func()) {
	mu.Lock()
	defer mu.Unlock()
	f() // want "GL019"
}

type tally struct {
	mu sync.Mutex
	n  int
}

func (t *tally) Inc() {
	t.mu.Lock()
	t.n++
	t.mu.Unlock()
}

func (t *tally) Twice() {
	withLock(&t.mu, func() {
		t.Inc()
	})
}

// ok: the literal touches the counter without locking again.
func (t *tally) TwiceInPlace() {
	withLock(&t.mu, func() {
		t.n += 2
	})
}

type lazyConfig struct {
	mu   sync.Mutex
	once sync.Once
	v    int
}

func (c *lazyConfig) load() {
	c.mu.Lock()
	c.v = 1
	c.mu.Unlock()
}

// bad: once.Do runs c.load, which locks c.mu, held here.
func (c *lazyConfig) Get() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.once.Do(c.load) // want "GL019"
	return c.v
}

// ok: loaded before the lock is taken.
func (c *lazyConfig) GetLoaded() int {
	c.once.Do(c.load)
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.v
}
