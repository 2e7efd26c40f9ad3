package gl020

import "sync"

type Backend interface {
	Get(k string) int
}

type memBackend struct {
	mu   sync.Mutex
	data map[string]int
}

func (m *memBackend) Get(k string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.data[k]
}

type constBackend struct{ v int }

func (c constBackend) Get(string) int { return c.v }

type Cache struct {
	mu      sync.Mutex
	backing Backend
	hits    map[string]int
}

// memBackend.mu → Cache.mu.
func (m *memBackend) Export(c *Cache) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c.mu.Lock()
	for k, v := range m.data {
		c.hits[k] = v
	}
	c.mu.Unlock()
}

// ok (low confidence at most): c.backing may be a constBackend, or a Backend
// from another package; that it is a memBackend is not established.
func (c *Cache) Lookup(k string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.backing.Get(k)
}

func newCaches() []*Cache {
	return []*Cache{
		{backing: &memBackend{data: map[string]int{}}, hits: map[string]int{}},
		{backing: constBackend{v: 1}, hits: map[string]int{}},
	}
}
