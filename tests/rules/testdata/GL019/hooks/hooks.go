// Package hooks runs its callers' callbacks, some of them under its own lock.
package hooks

import "sync"

type Table struct {
	mu    sync.Mutex
	rw    sync.RWMutex
	rows  map[string]int
	Count int
}

func NewTable() *Table { return &Table{rows: map[string]int{}} }

// Each calls f for every row while holding t.mu.
func (t *Table) Each(f func(key string, n int)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, v := range t.rows {
		f(k, v)
	}
}

// Snapshot copies the rows under the lock and calls f after releasing it.
func (t *Table) Snapshot(f func(key string, n int)) {
	t.mu.Lock()
	rows := make(map[string]int, len(t.rows))
	for k, v := range t.rows {
		rows[k] = v
	}
	t.mu.Unlock()
	for k, v := range rows {
		f(k, v)
	}
}

// Later runs f in its own goroutine, while the caller goes on.
func (t *Table) Later(f func(key string, n int)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	go f("later", len(t.rows))
}

// Read calls f under the read lock.
func (t *Table) Read(f func(key string, n int)) {
	t.rw.RLock()
	defer t.rw.RUnlock()
	for k, v := range t.rows {
		f(k, v)
	}
}

// Put locks the table.
func (t *Table) Put(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.rows[key]++
}

// Peek read-locks the table.
func (t *Table) Peek(key string) int {
	t.rw.RLock()
	defer t.rw.RUnlock()
	return t.rows[key]
}

// Visit calls f for every row of t while holding t's lock (a function, not a method).
func Visit(t *Table, f func(key string)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for k := range t.rows {
		f(k)
	}
}
