// Package registry is a sub-package.
package registry

import "sync"

type Registry struct {
	sync.Mutex
	names map[string]int
}

func (r *Registry) lookup(n string) int {
	r.Lock()
	defer r.Unlock()
	return r.names[n]
}

// bad: embedded mutex held across a call that locks it.
func (r *Registry) Add(n string) int {
	r.Lock()
	defer r.Unlock()
	if id := r.lookup(n); id != 0 { // want "GL019"
		return id
	}
	r.names[n] = len(r.names) + 1
	return r.names[n]
}
