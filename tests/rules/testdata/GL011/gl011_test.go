package gl011

import (
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
)

// bad: a test that starts goroutines and never waits for them: they may run
// after the test has finished.
func TestFanOut(t *testing.T) {
	for i := 0; i < 3; i++ {
		go func() { // want "GL011"
			fmt.Println("case", i)
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
