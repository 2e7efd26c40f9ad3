package gl023

import (
	"sync"
	"testing"
)

// bad: a test helper that waits once under `if`: the Signal can arrive before the Wait.
func TestWaitOnce(t *testing.T) {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	fired := false
	go func() {
		mu.Lock()
		fired = true
		mu.Unlock()
		c.Signal()
	}()
	mu.Lock()
	if !fired {
		c.Wait() // want "GL023"
	}
	mu.Unlock()
}

// ok: the same test written with a loop.
func TestWaitLoop(t *testing.T) {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	fired := false
	go func() {
		mu.Lock()
		fired = true
		mu.Unlock()
		c.Signal()
	}()
	mu.Lock()
	for !fired {
		c.Wait()
	}
	mu.Unlock()
}
