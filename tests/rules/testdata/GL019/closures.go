package gl019

import "sync"

type tree struct {
	mu     sync.Mutex
	parent *tree
	n      int
	done   bool
}

// bad: a local closure that locks t.mu, called while t.mu is held.
func (t *tree) Add(k int) {
	bump := func() {
		t.mu.Lock()
		t.n += k
		t.mu.Unlock()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if k > 0 {
		bump() // want "GL019"
	}
}

// ok: a literal called in place has its own defer: each iteration unlocks
// before the next (go/types' resolveUnderlying does this).
func setAll(ts []*tree) {
	for _, t := range ts {
		func() {
			t.mu.Lock()
			defer t.mu.Unlock()
			t.done = true
		}()
	}
}

// ok: the mutex is used as a semaphore: a goroutine started here unlocks it,
// the second Lock waits for that goroutine (runtime's chan tests do this).
func waitFor(work func()) {
	var m sync.Mutex
	m.Lock()
	go func() {
		work()
		m.Unlock()
	}()
	m.Lock()
}

// ok: t moves up the tree between the two Locks (hand-over-hand locking).
func (t *tree) climb() {
	t.mu.Lock()
	for t.parent != nil {
		p := t.parent
		t.mu.Unlock()
		t = p
		t.mu.Lock()
	}
	t.mu.Unlock()
}
