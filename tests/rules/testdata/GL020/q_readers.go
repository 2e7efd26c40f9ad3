package gl020

import "sync"

// A table whose readers take a read lock and whose Compact takes the write lock.
type table struct {
	mu   sync.RWMutex
	rows []int
}

func (t *table) snapshot() []int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return append([]int(nil), t.rows...)
}

func (t *table) Compact() {
	t.mu.Lock()
	t.rows = t.rows[:0]
	t.mu.Unlock()
}

// ok (low confidence at most): both orders of tab.mu and mu are read locks of
// tab.mu, a table local to this function that nothing here write-locks.
func checkSnapshots(n int) {
	tab := &table{rows: []int{1, 2}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			tab.mu.RLock()
			mu.Lock()
			mu.Unlock()
			tab.mu.RUnlock()
		}()
		go func() {
			defer wg.Done()
			mu.Lock()
			_ = tab.snapshot()
			mu.Unlock()
		}()
	}
	wg.Wait()
}

// bad: the same read-lock orders, and a third goroutine compacts this very
// table: its queued Lock makes the second RLock wait.
func checkSnapshotsWhileCompacting(n int) {
	tab := &table{rows: []int{1, 2}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(3)
		go func() {
			defer wg.Done()
			tab.mu.RLock()
			mu.Lock()
			mu.Unlock()
			tab.mu.RUnlock()
		}()
		go func() {
			defer wg.Done()
			mu.Lock()
			_ = tab.snapshot() // want "GL020"
			mu.Unlock()
		}()
		go func() {
			defer wg.Done()
			tab.Compact()
		}()
	}
	wg.Wait()
}
