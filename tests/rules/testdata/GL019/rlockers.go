package gl019

import (
	"fmt"
	"strings"
	"sync"
)

// Recursive read locks that hide behind a Cond's RLocker and behind fmt calling String().

type catalog struct {
	mu    sync.RWMutex
	cond  *sync.Cond
	items []string
}

func newCatalog() *catalog {
	c := &catalog{}
	c.cond = sync.NewCond(c.mu.RLocker())
	return c
}

func (c *catalog) count() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

func (c *catalog) Add(s string) {
	c.mu.Lock()
	c.items = append(c.items, s)
	c.mu.Unlock()
	c.cond.Broadcast()
}

// bad: c.cond.L is c.mu's read locker, so count's RLock is a second RLock; a queued Add deadlocks it.
func (c *catalog) WaitFor(n int) {
	c.cond.L.Lock()
	defer c.cond.L.Unlock()
	for c.count() < n { // want "GL019"
		c.cond.Wait()
	}
}

// ok: the condition reads the items under the read lock it already holds.
func (c *catalog) WaitForDirect(n int) {
	c.cond.L.Lock()
	defer c.cond.L.Unlock()
	for len(c.items) < n {
		c.cond.Wait()
	}
}

type roster struct {
	mu    sync.RWMutex
	names []string
}

func (r *roster) String() string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return strings.Join(r.names, ",")
}

func (r *roster) Add(name string) {
	r.mu.Lock()
	r.names = append(r.names, name)
	r.mu.Unlock()
}

// bad: Sprintf calls r.String, which read-locks r.mu again while Describe holds it.
func (r *roster) Describe() string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return fmt.Sprintf("%d: %v", len(r.names), r) // want "GL019"
}

// ok: the names are joined under the lock already held.
func (r *roster) DescribeDirect() string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return fmt.Sprintf("%d: %s", len(r.names), strings.Join(r.names, ","))
}

var _ = newCatalog

type shelf struct {
	rw    sync.RWMutex
	ready sync.Cond
	books int
}

func newShelf() *shelf {
	s := &shelf{}
	s.ready.L = s.rw.RLocker()
	return s
}

func (s *shelf) Put() {
	s.rw.Lock()
	s.books++
	s.rw.Unlock()
	s.ready.Broadcast()
}

// bad: the Cond's locker is s.rw's read locker, taken while s.rw is already read-locked.
func (s *shelf) WaitBooks() int {
	s.rw.RLock()
	defer s.rw.RUnlock()
	s.ready.L.Lock() // want "GL019"
	for s.books == 0 {
		s.ready.Wait()
	}
	s.ready.L.Unlock()
	return s.books
}

// ok: only the Cond's locker holds the read lock.
func (s *shelf) WaitBooksOnce() int {
	s.ready.L.Lock()
	defer s.ready.L.Unlock()
	for s.books == 0 {
		s.ready.Wait()
	}
	return s.books
}

// bad: a local Cond on rw's read locker, locked while rw is read-locked.
func waitFlag(rw *sync.RWMutex, flag *bool) {
	c := sync.NewCond(rw.RLocker())
	rw.RLock()
	c.L.Lock() // want "GL019"
	for !*flag {
		c.Wait()
	}
	c.L.Unlock()
	rw.RUnlock()
}

var _ = newShelf
