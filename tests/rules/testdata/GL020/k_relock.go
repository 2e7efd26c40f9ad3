package gl020

import (
	"sync"
	"time"
)

type Registry struct {
	mu      sync.Mutex
	entries map[string]*Entry
}

type Entry struct {
	mu   sync.Mutex
	refs int
}

// Entered holding r.mu, left holding it: it releases the lock while it
// waits, then takes it back behind whatever else the caller holds.
func (r *Registry) unlockWaitAndLockAgain(d time.Duration) {
	r.mu.Unlock()
	time.Sleep(d)
	r.mu.Lock()
}

// bad: Registry.mu → Entry.mu, then (inside the helper) Entry.mu →
// Registry.mu: a second Remove holding Registry.mu waits for e.mu while
// this one waits for Registry.mu.
func (r *Registry) Remove(k string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.entries[k]
	e.mu.Lock()
	defer e.mu.Unlock()
	e.refs--
	r.unlockWaitAndLockAgain(time.Millisecond) // want "GL020"
	delete(r.entries, k)
}

// ok: the helper runs with only Registry.mu held.
func (r *Registry) Compact() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.unlockWaitAndLockAgain(time.Millisecond)
	for k, e := range r.entries {
		if e.refs == 0 {
			delete(r.entries, k)
		}
	}
}
