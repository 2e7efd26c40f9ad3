package gl019

import "sync"

// Double locks that cross an indirect call: a callback stored in a field, a method value, an
// interface method.

type limiter struct {
	mu      sync.Mutex
	tokens  int
	onEmpty func()
}

func (l *limiter) SetOnEmpty(f func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.onEmpty = f
}

func (l *limiter) Reset() {
	l.mu.Lock()
	l.tokens = 10
	l.mu.Unlock()
}

// bad: the callback was registered by a closure that resets this very limiter.
func (l *limiter) Take() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tokens--
	if l.tokens == 0 && l.onEmpty != nil {
		l.onEmpty() // want "GL019"
	}
}

// ok: the same callback, run after the unlock.
func (l *limiter) TakeThenNotify() {
	l.mu.Lock()
	l.tokens--
	empty := l.tokens == 0
	l.mu.Unlock()
	if empty && l.onEmpty != nil {
		l.onEmpty()
	}
}

func newLimiter() *limiter {
	l := &limiter{tokens: 10}
	l.SetOnEmpty(func() { l.Reset() })
	return l
}

// A method value stored into a field of its own receiver.
type registry struct {
	mu       sync.RWMutex
	names    map[string]int
	onChange func() int
}

func (r *registry) snapshot() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.names)
}

func (r *registry) init() {
	r.names = map[string]int{}
	r.onChange = r.snapshot
}

// bad: onChange is r.snapshot, which read-locks r.mu while Put holds it for writing.
func (r *registry) Put(k string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.names[k]++
	r.onChange() // want "GL019"
}

// ok: the notification runs once the lock is released.
func (r *registry) PutThenNotify(k string) int {
	r.mu.Lock()
	r.names[k]++
	r.mu.Unlock()
	return r.onChange()
}

// Interface calls: the implementation wraps the caller itself.
type leaderFinder interface {
	Leader() string
}

type membersAPI struct {
	cl *cluster
}

func (m *membersAPI) Leader() string {
	return m.cl.first()
}

func newMembersAPI(c *cluster) leaderFinder {
	return &membersAPI{cl: c}
}

type cluster struct {
	sync.RWMutex
	endpoints []string
}

func (c *cluster) first() string {
	c.RLock()
	defer c.RUnlock()
	if len(c.endpoints) == 0 {
		return ""
	}
	return c.endpoints[0]
}

func (c *cluster) pickLeader() string {
	api := newMembersAPI(c)
	return api.Leader()
}

// bad: Sync holds c's write lock; pickLeader reaches c.first through the interface.
func (c *cluster) Sync(eps []string) string {
	c.Lock()
	defer c.Unlock()
	c.endpoints = eps
	return c.pickLeader() // want "GL019"
}

// ok: the leader is looked up after the write lock is released.
func (c *cluster) SyncThenPick(eps []string) string {
	c.Lock()
	c.endpoints = eps
	c.Unlock()
	return c.pickLeader()
}

// ok: the interface wraps another cluster, not the locked one.
func (c *cluster) SyncFrom(other *cluster) string {
	c.Lock()
	defer c.Unlock()
	api := newMembersAPI(other)
	return api.Leader()
}
