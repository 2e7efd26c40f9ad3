package gl019

import (
	"errors"
	"math/rand"
	stdsync "sync"
)

// loggingT is modelled on cockroach's log package (GoKer cockroach#9935):
// outputLogEntry holds l.mu and calls l.exit, which locks l.mu again.
type loggingT struct {
	mu stdsync.Mutex
}

// bad: the call that leads to the second Lock is reported.
func (l *loggingT) outputLogEntry() {
	l.mu.Lock()
	if err := l.createFile(); err != nil {
		l.exit(err) // want "GL019"
	}
	l.mu.Unlock()
}

func (l *loggingT) createFile() error {
	if rand.Intn(8) > 4 {
		return errors.New("disk full")
	}
	return nil
}

func (l *loggingT) exit(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_ = err
}

// stateMemory is modelled on kubernetes' CPU manager state (GoKer
// kubernetes#62464): an embedded RWMutex read-locked recursively.
type stateMemory struct {
	stdsync.RWMutex
	assignments map[string]int
	def         int
}

// bad: recursive RLock through a call: deadlocks once a writer queues.
func (s *stateMemory) GetCPUSetOrDefault(id string) int {
	s.RLock()
	defer s.RUnlock()
	if v, ok := s.GetCPUSet(id); ok { // want "GL019"
		return v
	}
	return s.def
}

func (s *stateMemory) GetCPUSet(id string) (int, bool) {
	s.RLock()
	defer s.RUnlock()
	v, ok := s.assignments[id]
	return v, ok
}

func (s *stateMemory) SetDefault(v int) {
	s.Lock()
	defer s.Unlock()
	s.def = v
}

type Cache struct {
	mu    stdsync.RWMutex
	items map[string][]byte
	peer  *Cache
	gen   int
}

// bad: Get holds the read lock and calls refresh, which takes the write lock.
func (c *Cache) Get(k string) []byte {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.items[k] == nil {
		c.refresh(k) // want "GL019"
	}
	return c.items[k]
}

func (c *Cache) refresh(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[k] = []byte(k)
}

// bad: the write lock is held and Len read-locks it (Lock → RLock).
func (c *Cache) Reset() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.Len() // want "GL019"
	c.items = map[string][]byte{}
	return n
}

func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

// bad: two calls deep: Bump → touch → Reset locks c.mu.
func (c *Cache) Bump() {
	c.mu.Lock()
	c.gen++
	c.touch() // want "GL019"
	c.mu.Unlock()
}

func (c *Cache) touch() {
	if c.gen > 10 {
		c.Reset()
	}
}

// ok: waitLocked expects the lock held: it unlocks first, then locks again.
func (c *Cache) Wait() {
	c.mu.Lock()
	c.waitLocked()
	c.mu.Unlock()
}

func (c *Cache) waitLocked() {
	c.mu.Unlock()
	c.gen++
	c.mu.Lock()
}

// ok: the callee locks only when its parameter says the caller does not hold it.
func (c *Cache) Put(k string, v []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.store(k, v, true)
}

func (c *Cache) store(k string, v []byte, locked bool) {
	if !locked {
		c.mu.Lock()
		defer c.mu.Unlock()
	}
	c.items[k] = v
}

// ok: the peer is another Cache: another mutex.
func (c *Cache) Mirror(k string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.peer.refresh(k)
}

// ok: the refresh runs in a new goroutine, which waits its turn.
func (c *Cache) GetAsync(k string) []byte {
	c.mu.RLock()
	defer c.mu.RUnlock()
	go c.refresh(k)
	return c.items[k]
}

// ok: the deferred call runs after the deferred RUnlock (LIFO).
func (c *Cache) GetThenRefresh(k string) []byte {
	defer c.refresh(k)
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.items[k]
}

// ok: released before the call.
func (c *Cache) GetFixed(k string) []byte {
	c.mu.RLock()
	v := c.items[k]
	c.mu.RUnlock()
	if v == nil {
		c.refresh(k)
	}
	return v
}
