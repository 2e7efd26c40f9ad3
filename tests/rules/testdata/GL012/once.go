package gl012

import (
	"errors"
	"time"
)

// Selects that run at most once however long the loop runs: every other case ends the loop (through
// its condition or a test failure), or a once-guard keeps the select from running again.

// ok: the other case clears the loop's condition: the loop ends after it, one timer at most.
func untilReady(ready <-chan struct{}) error {
	waiting := true
	for waiting {
		select {
		case <-ready:
			waiting = false
		case <-time.After(time.Second):
			return errors.New("not ready")
		}
	}
	return nil
}

// ok: `for !done`: the other case sets done, so the loop ends.
func untilDone(done <-chan struct{}, poll func()) error {
	finished := false
	for !finished {
		poll()
		select {
		case <-done:
			finished = true
		case <-time.After(time.Second):
			return errors.New("timed out")
		}
	}
	return nil
}

// ok: a once-guard: the select runs only while `!swapped`, and the guarded block sets it.
func watchSwap(events <-chan int, swap <-chan struct{}) int {
	swapped := false
	total := 0
	for ev := range events {
		if !swapped {
			select {
			case <-swap:
			case <-time.After(50 * time.Millisecond):
				return -1
			}
			swapped = true
		}
		total += ev
	}
	return total
}

// bad: the guard is cleared again each iteration: the select runs on every event.
func watchReset(events <-chan int, swap <-chan struct{}) int {
	swapped := false
	total := 0
	for ev := range events {
		if !swapped {
			select {
			case <-swap:
			case <-time.After(50 * time.Millisecond): // want "GL012"
				return -1
			}
			swapped = true
		}
		if ev < 0 {
			swapped = false
		}
		total += ev
	}
	return total
}

// bad: only one branch of the other case clears the flag; the other goes round again.
func untilReadyOrRetry(ready <-chan bool) error {
	waiting := true
	for waiting {
		select {
		case ok := <-ready:
			if ok {
				waiting = false
			}
		case <-time.After(time.Second): // want "GL012"
			return errors.New("not ready")
		}
	}
	return nil
}
