package gl019

import (
	"strings"

	"example.com/gl019/hooks"
)

// Callbacks handed to another package's functions that run them under their own lock.

type mirror struct {
	table *hooks.Table
	other *hooks.Table
	total int
}

// bad: Each holds m.table's lock while it calls the literal, and Put locks it again.
func (m *mirror) copyRows() {
	m.table.Each(func(key string, n int) { // want "GL019"
		m.table.Put(strings.ToUpper(key))
	})
}

// bad: the same through a package-level function holding its argument's lock.
func touchAll(t *hooks.Table) {
	hooks.Visit(t, func(key string) { // want "GL019"
		t.Put(key + "-seen")
	})
}

// ok: the callback does not touch the table's lock.
func (m *mirror) sum() {
	m.table.Each(func(key string, n int) {
		m.total += n
	})
}

// ok: Snapshot releases its lock before calling back.
func (m *mirror) copyFromSnapshot() {
	m.table.Snapshot(func(key string, n int) {
		m.table.Put(strings.ToUpper(key))
	})
}

// ok: another table's lock, not the one Each holds.
func (m *mirror) copyAcross() {
	m.table.Each(func(key string, n int) {
		m.other.Put(key)
	})
}

// ok: Later runs the callback in a new goroutine (it waits for the lock instead of deadlocking).
func (m *mirror) deferPut() {
	m.table.Later(func(key string, n int) {
		m.table.Put(key)
	})
}

// ok: read lock taken again under a read lock is not reported by this check.
func (m *mirror) peekAll() {
	m.table.Read(func(key string, n int) {
		_ = m.table.Peek(key)
	})
}
