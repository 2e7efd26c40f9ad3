package gl022

import "sync"

type feed struct {
	mu     sync.Mutex
	errs   chan error
	notes  chan string
	fails  int
	last   error
	latest string
}

// Both channels are made by the caller and stored through a parameter.
func newFeed(errs chan error, notes chan string) *feed {
	return &feed{errs: errs, notes: notes}
}

func OpenFeed() *feed {
	var errs chan error
	errs = make(chan error, 16)
	notes := make(chan string)
	return newFeed(errs, notes)
}

// drain takes f.mu after each receive, before the next one.
func (f *feed) drain() {
	for {
		select {
		case err := <-f.errs:
			f.mu.Lock()
			f.last = err
			f.mu.Unlock()
		case n := <-f.notes:
			f.mu.Lock()
			f.latest = n
			f.mu.Unlock()
		}
	}
}

// ok: f.errs is buffered (made by OpenFeed, passed to newFeed): the send
// does not wait for drain.
func (f *feed) fail(err error) {
	f.mu.Lock()
	f.fails++
	f.errs <- err
	f.mu.Unlock()
}

// bad: f.notes is unbuffered, also made by the caller: drain may be waiting
// for f.mu after its previous receive.
func (f *feed) note(s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.notes <- s // want "GL022"
}
