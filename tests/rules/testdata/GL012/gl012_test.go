package gl012

import (
	"testing"
	"time"
)

// bad: a test helper polling with a per-iteration timeout.
func waitFor(t *testing.T, ready <-chan bool) {
	for {
		select {
		case ok := <-ready:
			if ok {
				return
			}
		case <-time.After(100 * time.Millisecond): // want "GL012"
			t.Log("still waiting")
		}
	}
}

func TestWait(t *testing.T) {
	ch := make(chan bool, 1)
	ch <- true
	waitFor(t, ch)
}
