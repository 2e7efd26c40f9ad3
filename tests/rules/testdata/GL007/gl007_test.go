package gl007

import (
	"context"
	"testing"
	"time"
)

// bad: a test helper starts a ticker loop that outlives the test.
func TestTickerLeak(t *testing.T) {
	tick := time.Tick(10 * time.Millisecond)
	go func() { // want "GL007"
		for range tick {
			t.Log("tick")
		}
	}()
}

// ok: the test's context is canceled when the test ends.
func TestWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
}
