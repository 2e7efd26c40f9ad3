package gl019

import (
	"errors"
	"sync"
)

type Queue struct {
	mu     sync.Mutex
	items  []int
	closed bool
}

// bad: the closed path unlocks and returns, but the refill path forgets
// that q.mu is still held and locks it again.
func (q *Queue) Push(v int) error {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return errors.New("closed")
	}
	if len(q.items) == 0 {
		q.mu.Lock() // want "GL019"
		q.items = make([]int, 0, 8)
	}
	q.items = append(q.items, v)
	q.mu.Unlock()
	return nil
}

// bad: defer inside a loop does not unlock before the next iteration.
func (q *Queue) PushAll(vs []int) {
	for _, v := range vs {
		q.mu.Lock() // want "GL019"
		defer q.mu.Unlock()
		q.items = append(q.items, v)
	}
}

type Index struct {
	mu   sync.RWMutex
	keys map[string]int
}

// bad: RLock upgraded to Lock in place: Lock waits for our own RLock.
func (ix *Index) Ensure(k string) int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if v, ok := ix.keys[k]; ok {
		return v
	}
	ix.mu.Lock() // want "GL019"
	ix.keys[k] = len(ix.keys)
	ix.mu.Unlock()
	return ix.keys[k]
}

// bad: a goroutine closure locks the shared local mutex twice.
func collect(parts [][]int) []int {
	var mu sync.Mutex
	var out []int
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, p := range parts {
			mu.Lock()
			out = append(out, p...)
			if len(p) == 0 {
				mu.Lock() // want "GL019"
			}
			mu.Unlock()
		}
	}()
	<-done
	return out
}

// ok: the Unlock comes between the two Locks on every path.
func (q *Queue) Swap(v int) int {
	q.mu.Lock()
	old := q.items
	q.mu.Unlock()
	q.mu.Lock()
	q.items = []int{v}
	q.mu.Unlock()
	return len(old)
}

// ok: upgrade done right: RUnlock before Lock.
func (ix *Index) EnsureFixed(k string) int {
	ix.mu.RLock()
	v, ok := ix.keys[k]
	ix.mu.RUnlock()
	if ok {
		return v
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.keys[k] = len(ix.keys)
	return ix.keys[k]
}

// ok: TryLock never blocks, even on a mutex we hold.
func (q *Queue) Busy() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.mu.TryLock() {
		q.mu.Unlock()
		return false
	}
	return true
}

// ok: two different queues (instances) in a fixed order; not the same mutex.
func move(from, to *Queue) {
	from.mu.Lock()
	defer from.mu.Unlock()
	to.mu.Lock()
	defer to.mu.Unlock()
	to.items = append(to.items, from.items...)
	from.items = nil
}

// ok: Lock/Unlock pairs in a loop.
func (q *Queue) Drain(f func(int)) {
	for {
		q.mu.Lock()
		if len(q.items) == 0 {
			q.mu.Unlock()
			return
		}
		v := q.items[0]
		q.items = q.items[1:]
		q.mu.Unlock()
		f(v)
	}
}

// ok: locked and unlocked under the same condition, then locked again: the
// path that skips the Unlock also skipped the first Lock.
func (q *Queue) append(shared bool, v int) {
	if shared {
		q.mu.Lock()
	}
	q.items = append(q.items, v)
	if shared {
		q.mu.Unlock()
	}
	q.mu.Lock()
	q.closed = len(q.items) > 100
	q.mu.Unlock()
}
