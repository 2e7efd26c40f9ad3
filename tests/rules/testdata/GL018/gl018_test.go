package gl018

import (
	"sync"
	"testing"
)

type counter struct {
	mu sync.Mutex
	n  map[string]int
}

// bad: in a _test.go file — the helper returns early with c.mu held, the
// second call in the test then blocks forever.
func (c *counter) bump(k string) {
	c.mu.Lock() // want "GL018"
	if k == "" {
		return
	}
	c.n[k]++
	c.mu.Unlock()
}

func TestBump(t *testing.T) {
	c := &counter{n: map[string]int{}}
	c.bump("a")
	c.bump("")
}

// ok: t.Fatal ends a failing test: the lock it leaves behind is an artefact
// of the failure, not a leak of the code under test.
func TestBumpAsync(t *testing.T) {
	c := &counter{n: map[string]int{}}
	c.bump("b")
	c.mu.Lock()
	if len(c.n) > 1 {
		t.Fatal("too many keys")
	}
	c.mu.Unlock()
}

// ok: the mutex is the test's own local: nothing else can wait for it.
func TestLocalMutex(t *testing.T) {
	var mu sync.Mutex
	mu.Lock()
	if !mu.TryLock() {
		mu.Unlock()
		return
	}
	t.Fatal("TryLock succeeded on a locked mutex")
	mu.Unlock()
}
