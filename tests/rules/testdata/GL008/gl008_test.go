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
