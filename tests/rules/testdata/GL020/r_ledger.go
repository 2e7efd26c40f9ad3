package gl020

import "sync"

type ledger struct {
	mu      sync.Mutex
	entries []int
}

type auditor struct {
	mu     sync.Mutex
	ledger *ledger
	checks int
}

// auditor.mu → ledger.mu; nothing in the package runs it in a goroutine.
func (a *auditor) audit() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.ledger.mu.Lock()
	a.checks += len(a.ledger.entries)
	a.ledger.mu.Unlock()
}

var books = &auditor{ledger: &ledger{}}
