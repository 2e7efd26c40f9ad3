package gl006

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func parseHeader(s string) (string, error) {
	if !strings.Contains(s, ":") {
		return "", errors.New("no colon")
	}
	return strings.SplitN(s, ":", 2)[0], nil
}

// bad: the goroutine reports either an error or a result, never both, and
// closes both channels only on its way out: while it waits on one send the
// other channel cannot be ready. What strands it is the timeout case, and
// the message names that case.
func TestHeaderOrError(t *testing.T) {
	errs := make(chan error)
	names := make(chan string)
	go func() {
		defer close(names)
		defer close(errs)
		name, err := parseHeader("Host: example")
		if err != nil {
			errs <- err // want "GL006"
			return
		}
		names <- name // want "GL006"
	}()
	select {
	case err := <-errs:
		if err != nil {
			t.Fatalf("parse: %v", err)
		}
	case name := <-names:
		if name != "Host" {
			t.Fatalf("name %q", name)
		}
	case <-time.After(time.Second):
		t.Fatal("parser stuck")
	}
}
