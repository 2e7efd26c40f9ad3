// Package unlocker holds helpers that release a lock their caller took.
package unlocker

import "sync"

// Abort undoes the caller's work and releases its lock.
func Abort(mu *sync.Mutex, pending *int) {
	*pending = 0
	mu.Unlock()
}

// Log only reports; it leaves the lock alone.
func Log(mu *sync.Mutex, msg string) {
	_ = mu
	_ = msg
}
