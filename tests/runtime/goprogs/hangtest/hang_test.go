// Package hangtest has a test that never finishes: `go test -timeout` then dumps every goroutine,
// after a "running tests:" preamble and followed by the test runner's own output.
package hangtest

import (
	"testing"
	"time"
)

func drain(ch <-chan int) {
	for range ch {
	}
}

func TestHangs(t *testing.T) {
	t.Log("starting workers")
	ch := make(chan int)
	for range 4 {
		go drain(ch)
	}
	time.Sleep(time.Hour)
}
