// Package reader never names sync: its mutexes belong to txn's types.
package reader

import (
	"errors"

	"example.com/gl018/txn"
)

// ok: db.Done (in package txn) releases the read lock on the error path.
func Count(db *txn.DB, ok bool) (int, error) {
	db.Mu.RLock()
	if !ok {
		db.Done()
		return 0, errors.New("not ready")
	}
	n := db.Rows
	db.Mu.RUnlock()
	return n, nil
}

// bad: the error path leaves db.Mu read-locked.
func CountBad(db *txn.DB, ok bool) (int, error) {
	db.Mu.RLock() // want "GL018"
	if !ok {
		return 0, errors.New("not ready")
	}
	n := db.Rows
	db.Mu.RUnlock()
	return n, nil
}

// bad: Grow write-locks db.Mu and returns with it held on the error path.
func Grow(db *txn.DB, n int) error {
	db.Mu.Lock() // want "GL018"
	if n < 0 {
		return errors.New("negative")
	}
	db.Rows += n
	db.Mu.Unlock()
	return nil
}
