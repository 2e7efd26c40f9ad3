package gl021

import "testing"

// bad: in a _test.go file — the test waits on a channel it never made.
func TestNeverMade(t *testing.T) {
	var done chan bool
	go func() {
		t.Log("working")
		done <- true // want "GL021"
	}()
	<-done // want "GL021"
}

// ok: in a _test.go file — made.
func TestMade(t *testing.T) {
	done := make(chan bool)
	go func() {
		done <- true
	}()
	<-done
}
