package gl018

import (
	"errors"
	"sync"

	"example.com/gl018/unlocker"
)

// A helper in another package of the module that unlocks the mutex it is passed.

type batch struct {
	mu      sync.Mutex
	pending int
}

// ok: the error path hands the lock to unlocker.Abort, which releases it.
func (b *batch) Add(n int) error {
	b.mu.Lock()
	b.pending += n
	if b.pending > 100 {
		unlocker.Abort(&b.mu, &b.pending)
		return errors.New("batch full")
	}
	b.mu.Unlock()
	return nil
}

// bad: unlocker.Log does not unlock, so the error path leaves b.mu locked.
func (b *batch) AddLogged(n int) error {
	b.mu.Lock() // want "GL018"
	b.pending += n
	if b.pending > 100 {
		unlocker.Log(&b.mu, "batch full")
		return errors.New("batch full")
	}
	b.mu.Unlock()
	return nil
}
