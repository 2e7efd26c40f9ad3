package gl001

import "testing"

// bad: in a _test.go file — a collector goroutine ranges over a channel the
// test never closes.
func TestCollectLeaks(t *testing.T) {
	got := make(chan string)
	go func() {
		for s := range got { // want "GL001"
			t.Log(s)
		}
	}()
	got <- "x"
}

// ok: in a _test.go file — the test closes the channel after the last send.
func TestCollectClosed(t *testing.T) {
	got := make(chan string, 1)
	got <- "x"
	close(got)
	for s := range got {
		t.Log(s)
	}
}
