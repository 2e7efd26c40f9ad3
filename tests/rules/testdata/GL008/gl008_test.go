package gl008

import (
	"context"
	"testing"
	"time"
)

// bad: a test helper goroutine sleeps with the test's context in scope.
func TestIgnoresContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan bool)
	go func() {
		time.Sleep(5 * time.Millisecond) // want "GL008"
		done <- true
	}()
	<-done
	_ = ctx
}

// ok: as in net's dial tests — the goroutine cancels a context made from
// Background by the test after a delay: it is the canceller.
func TestCancelAfterDelay(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(5 * time.Millisecond)
		cancel()
	}()
	<-ctx.Done()
}
