package gl011

import (
	"fmt"
	"os"
	"sync"
	"testing"
	"testing/synctest"
)

// ok: the goroutines only print: they cannot block, so they finish on their own even though the test
// does not wait for them.
func TestFanOut(t *testing.T) {
	for i := 0; i < 3; i++ {
		go func() {
			fmt.Println("case", i)
		}()
	}
}

// bad: a test that starts goroutines writing files and never waits for them: they may still be writing
// after the test (and its temporary directory) is gone.
func TestFanOutWrites(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 3; i++ {
		go func() { // want "GL011"
			_ = os.WriteFile(fmt.Sprintf("%s/case-%d", dir, i), []byte("x"), 0o600)
		}()
	}
}

// ok: the test waits.
func TestFanOutWaited(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fmt.Println("case", i)
		}()
	}
	wg.Wait()
}

// ok: inside a synctest bubble, synctest.Test waits for every goroutine.
func TestBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		for i := 0; i < 3; i++ {
			go func() {
				fmt.Println("bubble", i)
			}()
		}
		synctest.Wait()
	})
}
