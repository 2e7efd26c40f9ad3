package gl020

import "testing"

// ok (low confidence at most): the test takes ledger.mu → auditor.mu on its
// own goroutine, against audit's order, and no goroutine is seen running
// audit (or the test) at the same time.
func TestLedgerFreeze(t *testing.T) {
	books.audit()
	books.ledger.mu.Lock()
	books.mu.Lock()
	books.checks = 0
	books.mu.Unlock()
	books.ledger.mu.Unlock()
}
