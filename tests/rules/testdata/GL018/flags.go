package gl018

import "sync"

// Precision cases: lock state kept in a bool, helpers entered holding the
// lock, hand-off to a goroutine, closures that unlock, dead branches.

type journal struct {
	mu      sync.Mutex
	rw      sync.RWMutex
	entries []string
	open    bool
}

// ok: the flag records that the lock is held; the exit unlocks only when it
// is set, and every path that locks sets it.
func (j *journal) appendAll(lines []string) int {
	locked := false
	n := 0
	for _, l := range lines {
		if l == "" {
			continue
		}
		if !locked {
			j.mu.Lock()
			locked = true
		}
		j.entries = append(j.entries, l)
		n++
	}
	if locked {
		j.mu.Unlock()
	}
	return n
}

// bad: the flag is cleared on one path while the lock stays held.
func (j *journal) appendFirst(lines []string) {
	held := false
	if len(lines) > 0 {
		j.mu.Lock() // want "GL018"
		held = true
		if lines[0] == "reset" {
			held = false
		}
	}
	if held {
		j.mu.Unlock()
	}
}

// ok: entered holding j.mu (it unlocks first) and left holding it: whether
// the lock is released is its callers' business.
func (j *journal) unlockFlushLock(flush func([]string)) {
	pending := j.entries
	j.entries = nil
	j.mu.Unlock()
	flush(pending)
	j.mu.Lock()
}

func (j *journal) Flush(flush func([]string)) {
	j.mu.Lock()
	j.unlockFlushLock(flush)
	j.mu.Unlock()
}

// ok: the goroutine started on the last path takes over the lock and
// releases it (hand-off).
func (j *journal) Reopen(reopen func() error) {
	j.mu.Lock()
	if j.open {
		j.mu.Unlock()
		return
	}
	go j.reopenAndUnlock(reopen)
}

func (j *journal) reopenAndUnlock(reopen func() error) {
	err := reopen()
	j.open = err == nil
	j.mu.Unlock()
}

// ok: a goroutine literal that unlocks the parent's lock.
func (j *journal) Rotate(done chan<- struct{}) {
	j.mu.Lock()
	if len(j.entries) == 0 {
		j.mu.Unlock()
		return
	}
	go func() {
		j.entries = j.entries[:0]
		j.mu.Unlock()
		close(done)
	}()
}

// ok: a local closure unlocks where it is called, also through another
// closure.
func (j *journal) Commit(check func(string) error) error {
	j.mu.Lock()
	rollback := func() {
		j.entries = j.entries[:0]
		j.mu.Unlock()
	}
	fail := func(err error) error {
		rollback()
		return err
	}
	for _, e := range j.entries {
		if err := check(e); err != nil {
			return fail(err)
		}
	}
	j.mu.Unlock()
	return nil
}

// ok: dead code cannot leave the lock held.
func (j *journal) Size() int {
	j.mu.Lock()
	if false {
		return -1
	}
	n := len(j.entries)
	j.mu.Unlock()
	return n
}

// ok: a local RWMutex that is only ever read-locked: the read locks are
// counted and released later, and no Lock can wait for them.
func countedReaders(next func() bool) int {
	var mu sync.RWMutex
	i := 0
	for ; next(); i++ {
		mu.RLock()
	}
	n := i
	for ; i > 0; i-- {
		mu.RUnlock()
	}
	return n
}

// bad: the same shape on a field another method write-locks.
func (j *journal) readersThenWrite(next func() bool) {
	i := 0
	for ; next(); i++ {
		j.rw.RLock() // want "GL018"
	}
	for ; i > 0; i-- {
		j.rw.RUnlock()
	}
}

func (j *journal) reset() {
	j.rw.Lock()
	j.entries = nil
	j.rw.Unlock()
}

// ok: the two branches test the same condition: the path that locks is the
// path that unlocks.
func (j *journal) maybeTrim(limit int) {
	over := len(j.entries) > limit
	if over {
		j.mu.Lock()
	}
	j.open = true
	if over {
		j.entries = j.entries[:limit]
		j.mu.Unlock()
	}
}

// ok: a constant false passed for needLock: the callee never locks here,
// and with true it locks and unlocks on the same condition.
func (j *journal) trim(needLock bool, limit int) {
	if needLock {
		j.mu.Lock()
	}
	if len(j.entries) > limit {
		j.entries = j.entries[:limit]
	}
	if needLock {
		j.mu.Unlock()
	}
}

func (j *journal) Trim(limit int) {
	j.trim(true, limit)
}
