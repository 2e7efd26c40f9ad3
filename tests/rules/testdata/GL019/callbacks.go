package gl019

import (
	"fmt"
	"sync"
)

// More ways a callback or an interface call leads back to a lock the caller holds.

// A callback passed as an argument and run under the lock.
type table struct {
	mu   sync.Mutex
	rows map[string]int
}

// bad: each runs fn holding t.mu, and Clear passes a literal that deletes from the same table.
func (t *table) each(fn func(k string, v int)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, v := range t.rows {
		fn(k, v) // want "GL019"
	}
}

func (t *table) Delete(k string) {
	t.mu.Lock()
	delete(t.rows, k)
	t.mu.Unlock()
}

// (the literal passed to each deletes from the very table each holds)
func (t *table) Clear() {
	t.each(func(k string, v int) {
		t.Delete(k)
	})
}

// ok: the literal only collects; the deletes run after each returns.
func (t *table) ClearAfter() {
	var keys []string
	t.each(func(k string, v int) {
		keys = append(keys, k)
	})
	for _, k := range keys {
		t.Delete(k)
	}
}

// A method value stored by a setter; explicit unlock after the call.
type journal struct {
	mu      sync.RWMutex
	entries []string
	onWrite func() int
}

func (j *journal) SetOnWrite(f func() int) { j.onWrite = f }

func (j *journal) size() int {
	j.mu.RLock()
	n := len(j.entries)
	j.mu.RUnlock()
	return n
}

func newJournal() *journal {
	j := &journal{}
	j.SetOnWrite(j.size)
	return j
}

// bad: onWrite is j.size, which read-locks j.mu while Append holds it.
func (j *journal) Append(e string) {
	j.mu.Lock()
	j.entries = append(j.entries, e)
	j.onWrite() // want "GL019"
	j.mu.Unlock()
}

// ok: the callback runs after the unlock.
func (j *journal) AppendThenNotify(e string) {
	j.mu.Lock()
	j.entries = append(j.entries, e)
	j.mu.Unlock()
	j.onWrite()
}

// A closure kept in a field of a nested struct value.
type pool struct {
	mu    sync.Mutex
	idle  int
	hooks poolHooks
}

type poolHooks struct {
	onPut func()
}

func newPool() *pool {
	p := &pool{}
	p.hooks = poolHooks{onPut: func() { p.count() }}
	return p
}

func (p *pool) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.idle
}

// bad: hooks.onPut counts this pool, under its own lock.
func (p *pool) Put() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.idle++
	p.hooks.onPut() // want "GL019"
}

// ok: the hook runs once the lock is gone.
func (p *pool) PutThenHook() {
	p.mu.Lock()
	p.idle++
	p.mu.Unlock()
	p.hooks.onPut()
}

// fmt calls String(), which read-locks; the package also write-locks.
type gauge struct {
	mu sync.RWMutex
	v  int
}

func (g *gauge) String() string {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return fmt.Sprint(g.v)
}

func (g *gauge) Set(v int) {
	g.mu.Lock()
	g.v = v
	g.mu.Unlock()
}

// bad: a recursive RLock through fmt.
func (g *gauge) Log() {
	g.mu.RLock()
	fmt.Println("gauge", g) // want "GL019"
	g.mu.RUnlock()
}

// ok: prints a copy of the value, not the gauge.
func (g *gauge) LogValue() {
	g.mu.RLock()
	v := g.v
	g.mu.RUnlock()
	fmt.Println("gauge", v)
}
