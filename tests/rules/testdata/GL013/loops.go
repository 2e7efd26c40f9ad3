package gl013

import "time"

// A timer made inside a loop body: `defer t.Stop()` there would pile up one
// deferred call per iteration until the function returns (an endless loop
// never returns), so the message says to stop it in the iteration instead.

// bad: a fresh timer per message, only used for its channel; the worker runs
// for the life of the program, so each iteration's timer is never stopped.
func relayWithIdle(in <-chan string, out chan<- string, quit <-chan struct{}) {
	for {
		select {
		case m := <-in:
			out <- m
		case <-time.NewTimer(5 * time.Second).C: // want "GL013"
			out <- "idle"
		case <-quit:
			return
		}
	}
}

// bad: the continue skips the Stop at the end of the iteration.
func firstReplies(replies []chan int, skip func(int) bool) []int {
	var got []int
	for i, r := range replies {
		wait := time.NewTimer(time.Second) // want "GL013"
		if skip(i) {
			continue
		}
		select {
		case v := <-r:
			got = append(got, v)
		case <-wait.C:
		}
		wait.Stop()
	}
	return got
}

// ok: every iteration stops its timer before moving on.
func firstRepliesStopped(replies []chan int, skip func(int) bool) []int {
	var got []int
	for i, r := range replies {
		wait := time.NewTimer(time.Second)
		if skip(i) {
			wait.Stop()
			continue
		}
		select {
		case v := <-r:
			got = append(got, v)
		case <-wait.C:
		}
		wait.Stop()
	}
	return got
}
