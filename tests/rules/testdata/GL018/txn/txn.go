// Package txn has a database whose lock its callers take and release.
package txn

import "sync"

type DB struct {
	Mu   sync.RWMutex
	Rows int
}

// Done releases the read lock its caller took.
func (db *DB) Done() { db.Mu.RUnlock() }
