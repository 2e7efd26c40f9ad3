package gl018

import (
	"errors"
	"sync"
)

var errClosed = errors.New("closed")

type ledgerTable struct {
	writer sync.Mutex
	mapMu  sync.RWMutex
	open   bool
	rows   []int
}

type txn struct {
	t        *ledgerTable
	writable bool
}

// ok: the success path hands the read lock to the transaction; the error
// paths release it, and Done releases it for the transaction.
func (t *ledgerTable) beginRead() (*txn, error) {
	t.mapMu.RLock()
	if !t.open {
		t.mapMu.RUnlock()
		return nil, errClosed
	}
	return &txn{t: t}, nil
}

// ok: the same for the writer lock, released by Done.
func (t *ledgerTable) beginWrite() (*txn, error) {
	t.writer.Lock()
	if !t.open {
		t.writer.Unlock()
		return nil, errClosed
	}
	return &txn{t: t, writable: true}, nil
}

func (x *txn) Done() {
	if x.writable {
		x.t.writer.Unlock()
		return
	}
	x.t.mapMu.RUnlock()
}

type ring struct {
	mu   sync.Mutex
	open bool
	buf  []int
}

// bad: no function of the package releases r.mu for the caller, and no
// caller unlocks it: the successful path leaves it locked.
func (r *ring) reserve(n int) ([]int, error) {
	r.mu.Lock() // want "GL018"
	if !r.open {
		r.mu.Unlock()
		return nil, errClosed
	}
	return r.buf[:n], nil
}
