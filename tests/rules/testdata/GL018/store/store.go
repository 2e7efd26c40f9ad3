// Package store is a sub-package: the rule runs on every package of the module.
package store

import "sync"

type Cache struct {
	mu    sync.RWMutex
	items map[string]string
	hits  int
}

// bad: the hit path forgets the RUnlock.
func (c *Cache) Lookup(k string) (string, bool) {
	c.mu.RLock() // want "GL018"
	if v, ok := c.items[k]; ok {
		return v, true
	}
	c.mu.RUnlock()
	return "", false
}

// ok: both paths release.
func (c *Cache) Has(k string) bool {
	c.mu.RLock()
	if _, ok := c.items[k]; ok {
		c.mu.RUnlock()
		return true
	}
	c.mu.RUnlock()
	return false
}
