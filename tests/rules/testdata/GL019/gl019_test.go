package gl019

import (
	"sync"
	"testing"
)

type fixture struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (f *fixture) mark(k string) {
	f.mu.Lock()
	f.seen[k] = true
	f.mu.Unlock()
}

// bad: in a _test.go file — the helper holds f.mu and calls mark.
func (f *fixture) markAll(ks []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, k := range ks {
		f.mark(k) // want "GL019"
	}
}

func TestMark(t *testing.T) {
	f := &fixture{seen: map[string]bool{}}
	f.markAll([]string{"a"})
}
