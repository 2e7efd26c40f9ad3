package gl020

import "sync"

type Sub struct {
	mu     sync.Mutex
	closed bool
	onDone func()
}

// Sub.mu → (the callback's) mutex: Close runs the done callback under s.mu.
func (s *Sub) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	if s.onDone != nil {
		s.onDone()
	}
}

type Watcher struct {
	mu      sync.Mutex
	sub     *Sub
	stopped bool
}

// ok: w.mu → sub.mu happens before the callback that takes w.mu is stored
// on the sub, and sub.mu is not taken again afterwards: while this holds
// w.mu and waits for sub.mu, no Close of that sub can be running w's
// callback.
func Watch(sub *Sub) *Watcher {
	w := &Watcher{sub: sub}
	register(w)
	w.mu.Lock()
	defer w.mu.Unlock()
	sub.mu.Lock()
	sub.closed = false
	sub.mu.Unlock()
	sub.onDone = func() {
		w.mu.Lock()
		w.stopped = true
		w.mu.Unlock()
	}
	return w
}

var (
	watchersMu sync.Mutex
	watchers   []*Watcher
)

func register(w *Watcher) {
	watchersMu.Lock()
	watchers = append(watchers, w)
	watchersMu.Unlock()
}

type Tap struct {
	mu    sync.Mutex
	sub   *Sub
	count int
}

// bad: the callback is stored first, then sub.mu is taken under t.mu: a
// Close of that sub (holding sub.mu, running the callback that waits for
// t.mu) deadlocks against this.
func NewTap(sub *Sub) *Tap {
	t := &Tap{sub: sub}
	register2(t)
	sub.onDone = func() {
		t.mu.Lock()
		t.count = -1
		t.mu.Unlock()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	sub.mu.Lock() // want "GL020"
	t.count = 0
	sub.mu.Unlock()
	return t
}

var taps []*Tap

func register2(t *Tap) {
	watchersMu.Lock()
	taps = append(taps, t)
	watchersMu.Unlock()
}
