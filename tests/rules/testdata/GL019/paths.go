package gl019

import (
	"strings"
	"sync"
)

// Precision cases: path-sensitive lock state.

type ledger struct {
	mu     sync.RWMutex
	terms  map[int]string
	faults []string
}

type wallet struct {
	mu      sync.Mutex
	balance int
}

// ok: the flag says the lock is already held: the loop takes it once and
// keeps it until the deferred unlock at return.
func (l *ledger) recordAll(terms []int, who string) {
	locked := false
	for _, t := range terms {
		if t < 0 {
			continue
		}
		if !locked {
			l.mu.Lock()
			defer l.mu.Unlock()
			locked = true
		}
		l.terms[t] = who
	}
}

// bad: the flag is reset inside the loop while the lock stays held.
func (l *ledger) recordSome(terms []int, who string) {
	locked := false
	for _, t := range terms {
		if !locked {
			l.mu.Lock() // want "GL019"
			defer l.mu.Unlock()
			locked = true
		}
		l.terms[t] = who
		if t == 0 {
			locked = false
		}
	}
}

// ok: the two branches test opposite values of `seen`: the path that
// holds the write lock from the first one never takes the second.
func (l *ledger) check(term int, who string) {
	l.mu.RLock()
	prev, seen := l.terms[term]
	l.mu.RUnlock()
	if seen && prev != who {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.faults = append(l.faults, who)
	}
	if !seen {
		l.mu.Lock()
		l.terms[term] = who
		l.mu.Unlock()
	}
}

// bad: `conflict` and `!seen` can both hold.
func (l *ledger) checkBoth(term int, who string, conflict bool) {
	l.mu.RLock()
	_, seen := l.terms[term]
	l.mu.RUnlock()
	if conflict {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.faults = append(l.faults, who)
	}
	if !seen {
		l.mu.Lock() // want "GL019"
		l.terms[term] = who
		l.mu.Unlock()
	}
}

// ok: each iteration locks another wallet (the loop variable), all held
// until return: different mutexes, not one locked twice.
func transferAll(wallets []*wallet, amount int) {
	for _, a := range wallets {
		a.mu.Lock()
		defer a.mu.Unlock()
	}
	for _, a := range wallets {
		a.balance -= amount
	}
}

// ok: the same with a local taken from the slice inside the body.
func freezeAll(wallets []*wallet) {
	for i := range wallets {
		a := wallets[i]
		a.mu.Lock()
		defer a.mu.Unlock()
		a.balance = 0
	}
}

// bad: the same wallet every iteration.
func (l *ledger) chargeAll(a *wallet, times int) {
	for i := 0; i < times; i++ {
		a.mu.Lock() // want "GL019"
		defer a.mu.Unlock()
		a.balance--
	}
}

// ok: every caller passes false for locked, so the write lock is taken only
// when the caller does not hold it.
func (l *ledger) fault(msg string, locked bool) {
	if !locked {
		l.mu.Lock()
	}
	l.faults = append(l.faults, msg)
	if !locked {
		l.mu.Unlock()
	}
}

func (l *ledger) Fault(msg string) {
	l.fault(strings.TrimSpace(msg), false)
}

// ok: dead code.
func (l *ledger) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if false {
		l.mu.Lock()
	}
	l.terms = map[int]string{}
}

// ok: a goroutine that blocks on the second Lock until its parent, which
// never locked it, unlocks the mutex for it (a hand-off between
// goroutines).
func handOff() {
	var mu sync.Mutex
	ready := make(chan struct{})
	go func() {
		mu.Lock()
		close(ready)
		mu.Lock()
	}()
	<-ready
	mu.Unlock()
}

type tracker struct {
	mu     sync.Mutex
	onDone func(int)
	count  int
}

// ok: the new hook calls the hook it replaces, read before the replacement:
// not itself, so s.mu is not locked twice.
func (t *tracker) chain() {
	prev := t.onDone
	t.onDone = func(n int) {
		t.mu.Lock()
		defer t.mu.Unlock()
		t.count += n
		if prev != nil {
			prev(n)
		}
	}
}

// ok: the closure takes the lock only when the enclosing function's
// parameter says the caller does not hold it; Record holds it and passes
// true.
func (l *ledger) lookup(term int, locked bool) string {
	read := func() string {
		if !locked {
			l.mu.RLock()
			defer l.mu.RUnlock()
		}
		return l.terms[term]
	}
	return read()
}

func (l *ledger) Record(term int, who string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	prev := l.lookup(term, true)
	l.terms[term] = who
	return prev
}

// ok: both branches assert the same type on the same value: the path that
// holds the lock from the first never takes the second.
func (l *ledger) note(x any) {
	if s, ok := x.(string); ok {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.faults = append(l.faults, s)
	}
	if _, ok := x.(string); !ok {
		l.mu.Lock()
		l.faults = append(l.faults, "?")
		l.mu.Unlock()
	}
}

// bad: different assertions: an error value is both.
func (l *ledger) noteErr(x any) {
	if s, ok := x.(interface{ Error() string }); ok {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.faults = append(l.faults, s.Error())
	}
	if _, ok := x.(string); !ok {
		l.mu.Lock() // want "GL019"
		l.faults = append(l.faults, "?")
		l.mu.Unlock()
	}
}

// bad: a local declared in the loop that names the same mutex every time.
func (l *ledger) retally(rounds int) {
	for i := 0; i < rounds; i++ {
		mu := &l.mu
		mu.Lock() // want "GL019"
		defer mu.Unlock()
		l.faults = l.faults[:0]
	}
}

// ok: every caller passes false for reset, so the second Lock is dead code
// here (the function is unexported and not used as a value).
func (l *ledger) trimFaults(n int, reset bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if reset {
		l.mu.Lock()
		l.faults = nil
	}
	if len(l.faults) > n {
		l.faults = l.faults[:n]
	}
}

func (l *ledger) Trim(n int) {
	l.trimFaults(n, false)
}

// bad: the same shape, with a caller passing true.
func (l *ledger) capFaults(n int, reset bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if reset {
		l.mu.Lock() // want "GL019"
		l.faults = nil
	}
	if len(l.faults) > n {
		l.faults = l.faults[:n]
	}
}

func (l *ledger) Cap(n int) {
	l.capFaults(n, false)
	l.capFaults(n, true)
}

type sampler struct {
	mu    sync.Mutex
	bufMu sync.Mutex
	n     int
}

// ok: flushAsync hands its lock to the goroutine it starts, which unlocks
// it when the flush is done: a second call waits for that, not forever.
func (s *sampler) flushAsync() {
	s.mu.Lock()
	go func() {
		s.n = 0
		s.mu.Unlock()
	}()
}

func (s *sampler) Observe(v int) {
	s.bufMu.Lock()
	defer s.bufMu.Unlock()
	if v > 10 {
		s.flushAsync()
	}
	s.n++
	if s.n > 100 {
		s.flushAsync()
	}
}
