// Package journal runs its callers' callbacks under its own lock.
package journal

import "sync"

type Journal struct {
	mu      sync.Mutex
	entries []string
}

// Replay calls f for every entry while holding j.mu.
func (j *Journal) Replay(f func(entry string)) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, e := range j.entries {
		f(e)
	}
}

// Append locks the journal.
func (j *Journal) Append(e string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries = append(j.entries, e)
}
