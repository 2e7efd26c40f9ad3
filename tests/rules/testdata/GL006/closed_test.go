package gl006

import (
	"testing"
	"time"
)

func probeDisk(path string) (int, error) {
	time.Sleep(2 * time.Millisecond)
	return len(path), nil
}

type probeResult struct {
	free int
	err  error
}

// bad: on the timeout the test ends, its deferred close(results) runs, and
// the probe's later send panics (send on closed channel) rather than
// blocking: the message says so.
func TestProbeDeadline(t *testing.T) {
	results := make(chan probeResult)
	defer close(results)
	go func() {
		free, err := probeDisk("/var")
		results <- probeResult{free, err} // want "GL006"
	}()
	select {
	case r := <-results:
		if r.err != nil {
			t.Error(r.err)
		}
	case <-time.After(time.Millisecond):
		t.Fatal("probe too slow")
	}
}
