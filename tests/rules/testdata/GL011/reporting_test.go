package gl011

import (
	"errors"
	"fmt"
	"testing"
)

func check(n int) error {
	if n%7 == 0 {
		return errors.New("multiple of seven")
	}
	return nil
}

// ok: each goroutine reports its outcome through the test: the testing
// package collects the failures.
func TestChecksReport(t *testing.T) {
	for i := 1; i < 5; i++ {
		go func() {
			if err := check(i); err != nil {
				t.Errorf("check(%d): %v", i, err)
			}
		}()
	}
}

// ok: through a helper that takes testing.TB.
func TestChecksFatal(t *testing.T) {
	for _, n := range []int{3, 5, 8} {
		go func(tb testing.TB) {
			if check(n) != nil {
				tb.Fatal("unexpected failure")
			}
		}(t)
	}
}

// bad: the errors only reach stdout; nothing fails the test and nobody waits.
func TestChecksPrinted(t *testing.T) {
	for i := 1; i < 5; i++ {
		go func() { // want "GL011"
			if err := check(i); err != nil {
				fmt.Println("check:", err)
			}
		}()
	}
}
