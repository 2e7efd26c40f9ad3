package gl020

import (
	"sync"
	"testing"
)

var (
	fixtureMu sync.Mutex
	resultsMu sync.Mutex
)

func record() {
	fixtureMu.Lock()
	defer fixtureMu.Unlock()
	resultsMu.Lock()
	defer resultsMu.Unlock()
}

// bad: in a _test.go file — resultsMu then fixtureMu, against record's order.
func TestRecord(t *testing.T) {
	go record()
	resultsMu.Lock()
	fixtureMu.Lock() // want "GL020"
	fixtureMu.Unlock()
	resultsMu.Unlock()
}
