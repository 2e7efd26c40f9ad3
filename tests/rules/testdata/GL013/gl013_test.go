package gl013

import (
	"testing"
	"time"
)

// bad: a test helper that waits with a timer and returns early without stopping it.
func waitDone(t *testing.T, done <-chan struct{}) bool {
	timer := time.NewTimer(time.Second) // want "GL013"
	select {
	case <-done:
		return true
	case <-timer.C:
		t.Log("timed out")
		return false
	}
}

func TestWaitDone(t *testing.T) {
	ch := make(chan struct{})
	close(ch)
	waitDone(t, ch)
}
