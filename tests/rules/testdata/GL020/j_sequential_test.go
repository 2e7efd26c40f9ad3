package gl020

import (
	"sync"
	"testing"
)

var (
	setupMu  sync.Mutex
	reportMu sync.Mutex
)

func prepare() {
	setupMu.Lock()
	defer setupMu.Unlock()
	reportMu.Lock()
	reportMu.Unlock()
}

// ok (low confidence at most): both orders are test code that runs on the
// test's own goroutine, one after the other; nothing shows they overlap.
func TestPrepareThenReport(t *testing.T) {
	prepare()
	reportMu.Lock()
	setupMu.Lock()
	setupMu.Unlock()
	reportMu.Unlock()
}
