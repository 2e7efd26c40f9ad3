package gl020

import "sync"

// Lock orders that cross an interface call and a callback field: Resync takes indexer.mu then
// (through the itemStore interface) itemCache.mu; itemCache.Replace takes itemCache.mu then (through
// the onReplace callback, the indexer's markReady) indexer.mu.

type itemStore interface {
	Replace(items []string)
}

type itemCache struct {
	mu        sync.Mutex
	items     []string
	onReplace func()
}

// Calls the callback, which takes indexer.mu, while holding c.mu.
func (c *itemCache) Replace(items []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items = items
	if c.onReplace != nil {
		c.onReplace()
	}
}

type indexer struct {
	mu    sync.Mutex
	st    itemStore
	ready bool
}

func (x *indexer) markReady() {
	x.mu.Lock()
	x.ready = true
	x.mu.Unlock()
}

// bad: holds x.mu while the store takes c.mu — the reverse of Replace's order.
func (x *indexer) Resync(items []string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.st.Replace(items) // want "GL020"
}

func newIndexer() *indexer {
	c := &itemCache{}
	x := &indexer{st: c}
	c.onReplace = x.markReady
	return x
}

// The fixed pair: the callback runs after the cache's lock is released.
type orderedStore interface {
	Store(items []string)
}

type orderedCache struct {
	mu      sync.Mutex
	items   []string
	onStore func()
}

// ok: the callback runs once c.mu is released, so the two locks are never held in reverse order.
func (c *orderedCache) Store(items []string) {
	c.mu.Lock()
	c.items = items
	c.mu.Unlock()
	if c.onStore != nil {
		c.onStore()
	}
}

type orderedIndexer struct {
	mu    sync.Mutex
	st    orderedStore
	ready bool
}

func (x *orderedIndexer) markReady() {
	x.mu.Lock()
	x.ready = true
	x.mu.Unlock()
}

func (x *orderedIndexer) Resync(items []string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.st.Store(items)
}

func newOrderedIndexer() *orderedIndexer {
	c := &orderedCache{}
	x := &orderedIndexer{st: c}
	c.onStore = x.markReady
	return x
}

var _ = newIndexer
var _ = newOrderedIndexer
