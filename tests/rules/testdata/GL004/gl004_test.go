package gl004

import (
	"sync"
	"testing"
)

// bad: in a _test.go file — t.FailNow() ends the goroutine (runtime.Goexit)
// before Done. (testing forbids FailNow outside the test goroutine; that is
// vet's testinggoroutine check, GL004 reports the missed Done.)
func TestFetchAll(t *testing.T) {
	var wg sync.WaitGroup
	for _, id := range []int{1, -1} {
		wg.Add(1)
		go func() {
			if _, err := fetch(id); err != nil {
				t.Log(err)
				t.FailNow() // want "GL004"
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

// bad: in a _test.go file — t.Fatalf calls FailNow.
func TestSaveAll(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(2)
	for _, id := range []int{1, 2} {
		go func() {
			o, err := fetch(id)
			if err != nil {
				t.Fatalf("fetch %d: %v", id, err) // want "GL004"
			}
			save(o)
			wg.Done()
		}()
	}
	wg.Wait()
}

// ok: in a _test.go file — t.Errorf records the failure and returns; Done
// still runs.
func TestFetchReportOnly(t *testing.T) {
	var wg sync.WaitGroup
	for _, id := range []int{1, -1} {
		wg.Add(1)
		go func() {
			if _, err := fetch(id); err != nil {
				t.Errorf("fetch %d: %v", id, err)
			}
			wg.Done()
		}()
	}
	wg.Wait()
}
