package gl018

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
)

var errTooLarge = errors.New("too large")

// Devices is modelled on moby's devicemapper DeviceSet (GoKer moby#17176):
// an error path returns between Lock and Unlock.
type Devices struct {
	sync.Mutex
	mu      sync.RWMutex
	data    map[string][]byte
	max     int
	pending []string
}

// bad: an early return on the error path leaves d.mu locked (the
// classic "error path added later").
func (d *Devices) Put(k string, v []byte) error {
	d.mu.Lock() // want "GL018"
	if len(v) > d.max {
		return errTooLarge
	}
	d.data[k] = v
	d.mu.Unlock()
	return nil
}

// bad: the embedded mutex (d.Lock()) is left locked when activate fails.
func (d *Devices) Activate(name string) error {
	d.Lock() // want "GL018"
	if err := activate(name); err != nil {
		return fmt.Errorf("activate %s: %w", name, err)
	}
	d.Unlock()
	return nil
}

func activate(name string) error {
	if name == "" {
		return errors.New("empty")
	}
	return nil
}

// bad: RLock with a branch that returns before RUnlock.
func (d *Devices) Get(k string) ([]byte, bool) {
	d.mu.RLock() // want "GL018"
	v, ok := d.data[k]
	if !ok {
		return nil, false
	}
	d.mu.RUnlock()
	return v, true
}

type table struct {
	mu   sync.RWMutex
	rows map[int]string
}

// bad: a switch case returns with the read lock held.
func (t *table) Describe(id int) string {
	t.mu.RLock() // want "GL018"
	switch row := t.rows[id]; row {
	case "":
		return "missing"
	case "deleted":
		t.mu.RUnlock()
		return "gone"
	}
	t.mu.RUnlock()
	return "present"
}

// bad: runtime.Goexit ends the goroutine with the lock held.
func (d *Devices) drain() {
	d.mu.Lock() // want "GL018"
	if len(d.pending) == 0 {
		runtime.Goexit()
	}
	d.pending = d.pending[:0]
	d.mu.Unlock()
}

// ok: defer covers every path.
func (d *Devices) PutDeferred(k string, v []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(v) > d.max {
		return errTooLarge
	}
	d.data[k] = v
	return nil
}

// ok: a deferred closure unlocks.
func (d *Devices) Rename(from, to string) error {
	d.mu.Lock()
	defer func() {
		d.mu.Unlock()
	}()
	v, ok := d.data[from]
	if !ok {
		return errors.New("no such key")
	}
	d.data[to] = v
	return nil
}

// ok: every path unlocks, the early one included.
func (d *Devices) Delete(k string) bool {
	d.mu.Lock()
	if _, ok := d.data[k]; !ok {
		d.mu.Unlock()
		return false
	}
	delete(d.data, k)
	d.mu.Unlock()
	return true
}

// ok: the path that skips Unlock panics (the process dies, nothing waits).
func (d *Devices) MustPut(k string, v []byte) {
	d.mu.Lock()
	if v == nil {
		panic("nil value for " + k)
	}
	d.data[k] = v
	d.mu.Unlock()
}

// ok: os.Exit on the path that skips Unlock.
func (d *Devices) PutOrDie(k string, v []byte) {
	d.mu.Lock()
	if len(v) > d.max {
		fmt.Fprintln(os.Stderr, "value too large")
		os.Exit(2)
	}
	d.data[k] = v
	d.mu.Unlock()
}

// ok: released, work done unlocked, re-acquired; the final Unlock covers it.
func (d *Devices) Flush(write func(string)) {
	d.mu.Lock()
	for len(d.pending) > 0 {
		next := d.pending[0]
		d.pending = d.pending[1:]
		d.mu.Unlock()
		write(next)
		d.mu.Lock()
	}
	d.mu.Unlock()
}
