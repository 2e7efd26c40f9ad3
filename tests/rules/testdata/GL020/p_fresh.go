package gl020

import "sync"

// A pool of lazily built entries (a pool-of-values pattern).
type poolEntry struct {
	sync.RWMutex
	val int
	err error
}

type ValPool struct {
	sync.RWMutex
	items map[string]*poolEntry
}

// The new entry is locked before it is stored: while holding the pool, the
// Lock of an entry nobody else can reach yet orders nothing.
func (p *ValPool) Get(k string, build func() (int, error)) (int, error) {
	var e *poolEntry
	p.Lock()
	e, ok := p.items[k]
	if ok {
		p.Unlock()
		e.RLock()
		defer e.RUnlock()
		return e.val, e.err
	}
	e = &poolEntry{}
	e.Lock() // ok: e was just allocated and is not stored yet
	p.items[k] = e
	p.Unlock()
	e.val, e.err = build()
	if e.err != nil {
		p.Lock() // the entry's lock is held: entry → ValPool
		delete(p.items, k)
		p.Unlock()
	}
	e.Unlock()
	return e.val, e.err
}

// bad: ValPool → entry (read locks), against Get's entry → ValPool on its error path.
func (p *ValPool) Each(f func(int)) {
	p.RLock()
	defer p.RUnlock()
	for _, e := range p.items {
		e.RLock() // want "GL020"
		v := e.val
		e.RUnlock()
		f(v)
	}
}
