package gl019

import "sync"

var (
	logMu sync.Mutex
	lines []string
)

func logf(s string) {
	logMu.Lock()
	defer logMu.Unlock()
	lines = append(lines, s)
}

// bad: a package-level mutex held while calling a function that takes it.
func rotate() {
	logMu.Lock()
	defer logMu.Unlock()
	logf("rotating") // want "GL019"
	lines = nil
}

type account struct {
	mu      sync.Mutex
	balance int
}

func addLocked(mu *sync.Mutex, n *int, d int) {
	mu.Lock()
	*n += d
	mu.Unlock()
}

// bad: the mutex is passed by pointer to a function that locks it.
func (a *account) Deposit(d int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	addLocked(&a.mu, &a.balance, d) // want "GL019"
}

// ok: a different mutex is passed.
func (a *account) Transfer(other *account, d int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	addLocked(&other.mu, &other.balance, d)
	a.balance -= d
}

type fakeMutex struct{ held bool }

func (f *fakeMutex) Lock()   { f.held = true }
func (f *fakeMutex) Unlock() { f.held = false }

// ok: not a sync mutex.
func fake() {
	var mu fakeMutex
	mu.Lock()
	mu.Lock()
	mu.Unlock()
}
