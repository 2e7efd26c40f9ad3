package gl020

import (
	xsync "sync"
)

var (
	configMu xsync.Mutex
	routesMu xsync.RWMutex
	config   map[string]string
	routes   map[string]int
)

// Reload takes configMu then routesMu.
func Reload(next map[string]string) {
	configMu.Lock()
	defer configMu.Unlock()
	config = next
	routesMu.Lock()
	routes = map[string]int{}
	routesMu.Unlock()
}

func lookupConfig(k string) string {
	configMu.Lock()
	defer configMu.Unlock()
	return config[k]
}

// bad: package-level mutexes (aliased import): a read lock on routesMu then
// configMu through a call, against Reload's configMu → routesMu write lock.
func Route(k string) int {
	routesMu.RLock()
	defer routesMu.RUnlock()
	if lookupConfig(k) == "" { // want "GL020"
		return -1
	}
	return routes[k]
}

// bad: two goroutines share two local mutexes and take them in opposite orders.
func pingPong(n int) {
	var a, b xsync.Mutex
	done := make(chan struct{}, 2)
	go func() {
		for i := 0; i < n; i++ {
			a.Lock()
			b.Lock()
			b.Unlock()
			a.Unlock()
		}
		done <- struct{}{}
	}()
	go func() {
		for i := 0; i < n; i++ {
			b.Lock()
			a.Lock() // want "GL020"
			a.Unlock()
			b.Unlock()
		}
		done <- struct{}{}
	}()
	<-done
	<-done
}

// ok: the two locals are always taken in the same order.
func sameOrder(n int) {
	var a, b xsync.Mutex
	for i := 0; i < n; i++ {
		go func() {
			a.Lock()
			defer a.Unlock()
			b.Lock()
			defer b.Unlock()
		}()
	}
}

type Ledger struct {
	mu      xsync.Mutex
	entries []int
}

type Journal struct {
	mu   xsync.Mutex
	ops  []string
	ledg *Ledger
}

// ok: the other lock is released before the second is taken.
func (j *Journal) Append(op string) {
	j.mu.Lock()
	j.ops = append(j.ops, op)
	j.mu.Unlock()
	j.ledg.mu.Lock()
	j.ledg.entries = append(j.ledg.entries, len(op))
	j.ledg.mu.Unlock()
}

// ok: Journal.mu → Ledger.mu here, and no path takes them the other way
// (Append releases first).
func (j *Journal) Sync() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ledg.mu.Lock()
	defer j.ledg.mu.Unlock()
}

// ok: the second lock is only tried, it never blocks.
func (l *Ledger) Peek(j *Journal) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if j.mu.TryLock() {
		defer j.mu.Unlock()
		return len(j.ops)
	}
	return -1
}

// ok: the Journal lock is taken by a new goroutine, not while Ledger.mu is held by it.
func (l *Ledger) Notify(j *Journal) {
	l.mu.Lock()
	defer l.mu.Unlock()
	go j.record("ledger")
}

func (j *Journal) record(op string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ops = append(j.ops, op)
}

// ok: slices of mutexes cannot be identified.
func lockPair(ms []xsync.Mutex, i, k int) {
	ms[i].Lock()
	ms[k].Lock()
	ms[k].Unlock()
	ms[i].Unlock()
	ms[k].Lock()
	ms[i].Lock()
	ms[i].Unlock()
	ms[k].Unlock()
}
