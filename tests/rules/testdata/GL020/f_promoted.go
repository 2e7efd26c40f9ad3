package gl020

import "sync"

type base struct {
	mu sync.Mutex
	n  int
}

// flush: base.mu, then Journal.mu (through j.record).
func (b *base) flush(j *Journal) {
	b.mu.Lock()
	defer b.mu.Unlock()
	j.record("flush")
}

type Derived struct {
	*base
	log *Journal
}

// bad: d.mu is base.mu promoted through the embedded *base: Journal.mu,
// then base.mu, against flush's order.
func (d *Derived) Log() {
	d.log.mu.Lock()
	defer d.log.mu.Unlock()
	d.mu.Lock() // want "GL020"
	d.n++
	d.mu.Unlock()
}
