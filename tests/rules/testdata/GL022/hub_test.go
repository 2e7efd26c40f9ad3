package gl022

import (
	"sync"
	"testing"
)

// bad: the test holds mu across wg.Wait while the worker needs mu before Done.
func TestWaitUnderLock(t *testing.T) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	n := 0
	wg.Add(1)
	go func() {
		mu.Lock()
		n++
		mu.Unlock()
		wg.Done()
	}()
	mu.Lock()
	wg.Wait() // want "GL022"
	mu.Unlock()
	t.Log(n)
}

// ok: the worker never touches mu.
func TestWaitUnderUnrelatedLock(t *testing.T) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
	}()
	mu.Lock()
	wg.Wait()
	mu.Unlock()
}
