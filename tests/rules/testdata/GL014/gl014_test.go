package gl014

import (
	"testing"
)

func flaky() { panic("flaky") }

// bad: a test helper goroutine respawning itself on panic.
func spin(t *testing.T) {
	defer func() {
		if r := recover(); r != nil {
			t.Log("recovered", r)
			go spin(t) // want "GL014"
		}
	}()
	flaky()
}

func TestSpin(t *testing.T) {
	go spin(t)
}

// ok: the test helper recovers and reports; no restart.
func once(t *testing.T) {
	defer func() {
		if r := recover(); r != nil {
			t.Log("recovered", r)
		}
	}()
	flaky()
}

func TestOnce(t *testing.T) { once(t) }
