package gl003

import (
	"sync"
	"testing"
)

// bad: in a _test.go file — the Add runs inside each goroutine.
func TestParallelFetch(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		go func() {
			wg.Add(1) // want "GL003"
			defer wg.Done()
			t.Log("fetch", i)
		}()
	}
	wg.Wait()
}

// ok: in a _test.go file — Add before each go.
func TestParallelFetchFixed(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Log("fetch", i)
		}()
	}
	wg.Wait()
}
