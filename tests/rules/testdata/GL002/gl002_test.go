package gl002

import (
	"context"
	"testing"
	"time"
)

// ok: in a _test.go file — t.Cleanup(cancel) passes the cancel function on.
func TestCleanup(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := ping(ctx); err != nil {
		t.Fatal(err)
	}
}

// bad: in a _test.go file — t.Fatal ends the test goroutine on one path, but
// the other path falls out of the function without cancel.
func TestLeaky(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second) // want "GL002"
	if err := ping(ctx); err != nil {
		t.Fatal(err)
	}
	if condition {
		cancel()
	}
}
