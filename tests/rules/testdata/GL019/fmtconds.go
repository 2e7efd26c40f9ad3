package gl019

import (
	"fmt"
	"io"
	"sync"
)

// Second read locks hidden in a Cond's Locker (RLocker) and in String methods fmt calls.

type board struct {
	mu    sync.RWMutex
	ready *sync.Cond
	n     int
}

func newBoard() *board {
	b := &board{}
	b.ready = &sync.Cond{L: b.mu.RLocker()}
	return b
}

func (b *board) waitReady() {
	b.ready.L.Lock()
	for b.n == 0 {
		b.ready.Wait()
	}
	b.ready.L.Unlock()
}

// bad: waitReady's b.ready.L.Lock() is b.mu.RLock(), while Snapshot read-locks b.mu already.
func (b *board) Snapshot() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	b.waitReady() // want "GL019"
	return b.n
}

// ok: waits first, then reads under its own read lock.
func (b *board) SnapshotAfter() int {
	b.waitReady()
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.n
}

func (b *board) Post() {
	b.mu.Lock()
	b.n++
	b.mu.Unlock()
	b.ready.Broadcast()
}

type stage struct {
	mu   sync.RWMutex
	done bool
}

// bad: a local Cond on s.mu.RLocker(), locked while s.mu is read-locked.
func (s *stage) Await() {
	c := sync.NewCond(s.mu.RLocker())
	s.mu.RLock()
	c.L.Lock() // want "GL019"
	for !s.done {
		c.Wait()
	}
	c.L.Unlock()
	s.mu.RUnlock()
}

// ok: the Cond's read lock is the only one.
func (s *stage) AwaitOnce() {
	c := sync.NewCond(s.mu.RLocker())
	c.L.Lock()
	for !s.done {
		c.Wait()
	}
	c.L.Unlock()
}

func (s *stage) Finish() {
	s.mu.Lock()
	s.done = true
	s.mu.Unlock()
}

// A value receiver sharing a *RWMutex.
type peerSet struct {
	mu    *sync.RWMutex
	peers []string
}

func (p peerSet) String() string {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return fmt.Sprint(p.peers)
}

func (p peerSet) Add(x string) {
	p.mu.Lock()
	p.peers = append(p.peers, x)
	p.mu.Unlock()
}

// bad: Errorf's %v calls String, which read-locks p.mu again.
func (p peerSet) Check() error {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if len(p.peers) == 0 {
		return fmt.Errorf("no peers in %v", p) // want "GL019"
	}
	return nil
}

// ok: formats the slice, not the set.
func (p peerSet) CheckPeers() error {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if len(p.peers) == 0 {
		return fmt.Errorf("no peers in %v", p.peers)
	}
	return nil
}

// An embedded RWMutex; String read-locks through a helper.
type route struct {
	sync.RWMutex
	hops []string
}

func (r *route) describe() string {
	r.RLock()
	defer r.RUnlock()
	return fmt.Sprint(r.hops)
}

func (r *route) String() string { return r.describe() }

func (r *route) Extend(h string) {
	r.Lock()
	r.hops = append(r.hops, h)
	r.Unlock()
}

// bad: Fprintf's %s calls r.String → r.describe → r.RLock() while Dump holds the read lock.
func (r *route) Dump(w io.Writer) {
	r.RLock()
	fmt.Fprintf(w, "route %s\n", r) // want "GL019"
	r.RUnlock()
}

// ok: prints the hops, not the route.
func (r *route) DumpHops(w io.Writer) {
	r.RLock()
	defer r.RUnlock()
	fmt.Fprintf(w, "route %v\n", r.hops)
}
