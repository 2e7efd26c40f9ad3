package gl005

import (
	"os"
	"testing"
)

// ok: TestMain may park itself while m.Run runs elsewhere and exits.
func TestMain(m *testing.M) {
	go func() { os.Exit(m.Run()) }()
	select {}
}

// bad: in a _test.go file — an ordinary test that parks forever.
func TestParks(t *testing.T) {
	t.Log("start")
	if testing.Short() {
		return
	}
	select {} // want "GL005"
}

// bad: in a _test.go file — a test helper selecting on a channel never made.
func waitNever(t *testing.T) {
	var done chan bool
	select { // want "GL005"
	case <-done:
		t.Log("done")
	}
}
