package gl006

import (
	"testing"
	"time"
)

// bad: in a _test.go file — the test gives up after a second and the worker
// stays blocked for the rest of the test binary.
func TestComputeTimeout(t *testing.T) {
	ch := make(chan int)
	go func() {
		ch <- compute() // want "GL006"
	}()
	select {
	case v := <-ch:
		if v != 42 {
			t.Errorf("got %d", v)
		}
	case <-time.After(time.Second):
		t.Error("timeout")
	}
}

// ok: in a _test.go file — buffered result channel.
func TestComputeTimeoutBuffered(t *testing.T) {
	ch := make(chan int, 1)
	go func() {
		ch <- compute()
	}()
	select {
	case v := <-ch:
		if v != 42 {
			t.Errorf("got %d", v)
		}
	case <-time.After(time.Second):
		t.Error("timeout")
	}
}
