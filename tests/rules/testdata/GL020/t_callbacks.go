package gl020

import "sync"

// Lock orders that run through a callback stored by a setter (a method value) and through an
// interface with two implementations the package stores, one of which locks.

type lru struct {
	mu      sync.Mutex
	items   map[string]int
	onEvict func(k string)
}

type keyIndex struct {
	mu    sync.Mutex
	keys  map[string]bool
	cache *lru
}

func (c *lru) SetOnEvict(f func(k string)) { c.onEvict = f }

func (ix *keyIndex) forget(k string) {
	ix.mu.Lock()
	delete(ix.keys, k)
	ix.mu.Unlock()
}

func newKeyIndex(c *lru) *keyIndex {
	ix := &keyIndex{keys: map[string]bool{}, cache: c}
	c.SetOnEvict(ix.forget)
	return ix
}

// lru.mu, then keyIndex.mu inside the callback
func (c *lru) Evict(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.items, k)
	c.onEvict(k)
}

// bad: keyIndex.mu, then lru.mu: the opposite order of Evict's callback.
func (ix *keyIndex) Rebuild() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.cache.mu.Lock() // want "GL020"
	for k := range ix.cache.items {
		ix.keys[k] = true
	}
	ix.cache.mu.Unlock()
}

// ok: the cache is copied under its own lock first, then the index is rebuilt.
func (ix *keyIndex) RebuildCopy() {
	ix.cache.mu.Lock()
	keys := make([]string, 0, len(ix.cache.items))
	for k := range ix.cache.items {
		keys = append(keys, k)
	}
	ix.cache.mu.Unlock()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, k := range keys {
		ix.keys[k] = true
	}
}

type listener interface{ OnChange(v int) }

type meter struct {
	mu  sync.Mutex
	sum int
	src *feed
}

func (m *meter) OnChange(v int) {
	m.mu.Lock()
	m.sum += v
	m.mu.Unlock()
}

type nopListener struct{}

func (nopListener) OnChange(int) {}

type feed struct {
	mu sync.RWMutex
	v  int
	l  listener
}

func newMeteredFeed() *feed {
	f := &feed{}
	f.l = &meter{src: f}
	return f
}

func newQuietFeed() *feed { return &feed{l: nopListener{}} }

// feed.mu, then meter.mu through the interface
func (f *feed) Set(v int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.v = v
	f.l.OnChange(v)
}

// bad: meter.mu, then feed.mu (read-locked; Set write-locks it).
func (m *meter) Reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.src.mu.RLock() // want "GL020"
	m.sum = m.src.v
	m.src.mu.RUnlock()
}

// ok: the feed is read before the meter is locked.
func (m *meter) ResetOutside() {
	m.src.mu.RLock()
	v := m.src.v
	m.src.mu.RUnlock()
	m.mu.Lock()
	m.sum = v
	m.mu.Unlock()
}
