package gl011

import (
	"errors"
	"fmt"
	"net"
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

// ok: each goroutine only computes and prints (check cannot block): nothing piles up, though the
// printed errors fail nothing.
func TestChecksPrinted(t *testing.T) {
	for i := 1; i < 5; i++ {
		go func() {
			if err := check(i); err != nil {
				fmt.Println("check:", err)
			}
		}()
	}
}

// bad: the probes dial out and their errors only reach stdout; nobody waits for them.
func TestProbesPrinted(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:1", "127.0.0.1:2"} {
		go func() { // want "GL011"
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				fmt.Println("probe:", err)
				return
			}
			conn.Close()
		}()
	}
}
