package gl018

import (
	"log"
	gosync "sync"
)

var (
	registryMu gosync.Mutex
	registry   = map[string]int{}
)

// bad: package-level mutex behind an aliased import, left locked on the
// duplicate path.
func Register(name string, v int) bool {
	registryMu.Lock() // want "GL018"
	if _, dup := registry[name]; dup {
		return false
	}
	registry[name] = v
	registryMu.Unlock()
	return true
}

// bad: a *sync.Mutex parameter, left locked when the slice is empty.
func popLocked(mu *gosync.Mutex, queue *[]int) (int, bool) {
	mu.Lock() // want "GL018"
	if len(*queue) == 0 {
		return 0, false
	}
	v := (*queue)[0]
	*queue = (*queue)[1:]
	mu.Unlock()
	return v, true
}

type conn struct {
	mu     gosync.Mutex
	closed bool
	cond   *gosync.Cond
	stats  struct {
		gosync.Mutex
		sent int
	}
}

// ok: the function only locks; Release unlocks (a lock-here, unlock-elsewhere protocol).
func (c *conn) Acquire() {
	c.mu.Lock()
}

// ok: the other half of the protocol.
func (c *conn) Release() {
	c.mu.Unlock()
}

// ok: the early path unlocks through a same-package helper.
func (c *conn) Close() {
	c.mu.Lock()
	if c.closed {
		c.unlockAndWake()
		return
	}
	c.closed = true
	c.mu.Unlock()
}

func (c *conn) unlockAndWake() {
	c.mu.Unlock()
	if c.cond != nil {
		c.cond.Broadcast()
	}
}

// ok: lockIfOpen hands the lock to its caller when it returns true; the
// caller unlocks it.
func (c *conn) lockIfOpen() bool {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return false
	}
	return true
}

func (c *conn) Send() {
	if !c.lockIfOpen() {
		return
	}
	defer c.mu.Unlock()
	c.stats.sent++
}

// bad: a mutex embedded in an anonymous struct field (c.stats.Lock()),
// left locked when nothing was sent.
func (c *conn) Sent() int {
	c.stats.Lock() // want "GL018"
	if c.stats.sent == 0 {
		return 0
	}
	n := c.stats.sent
	c.stats.Unlock()
	return n
}

// ok: TryLock done right: only the success branch holds the lock.
func (c *conn) TryFlush() bool {
	if !c.mu.TryLock() {
		return false
	}
	defer c.mu.Unlock()
	return !c.closed
}

// ok: log.Fatal ends the process.
func (c *conn) MustOpen() {
	c.mu.Lock()
	if c.closed {
		log.Fatal("connection closed")
	}
	c.mu.Unlock()
}

// ok: mutexes picked from a slice cannot be identified, silence.
func lockAll(locks []gosync.Mutex, skip int) {
	for i := range locks {
		locks[i].Lock()
		if i == skip {
			continue
		}
		locks[i].Unlock()
	}
}

type fakeLocker struct{ n int }

func (f *fakeLocker) Lock()   { f.n++ }
func (f *fakeLocker) Unlock() { f.n-- }

// ok: not a sync mutex, whatever it is called.
func useFake(mu *fakeLocker, bail bool) {
	mu.Lock()
	if bail {
		return
	}
	mu.Unlock()
}

// ok: lock and unlock under the same condition (correlated branches).
func (c *conn) maybeLocked(locked bool) {
	if !locked {
		c.mu.Lock()
	}
	c.closed = false
	if !locked {
		c.mu.Unlock()
	}
}
