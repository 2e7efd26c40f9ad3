package gl006

import (
	"sync"
	"time"
)

// ok: the loop polls with a default case, but its only way out is the
// receive itself: `for !finished` ends only after `case <-done` ran.
func pollUntilDone() int {
	done := make(chan int)
	go func() {
		done <- compute()
	}()
	finished := false
	got := 0
	for !finished {
		select {
		case got = <-done:
			finished = true
		default:
			time.Sleep(time.Millisecond)
		}
	}
	return got
}

// bad: the same poll loop can also give up after a deadline, leaving the
// sender behind.
func pollWithDeadline(deadline time.Time) int {
	done := make(chan int)
	go func() {
		done <- compute() // want "GL006"
	}()
	finished := false
	got := 0
	for !finished {
		select {
		case got = <-done:
			finished = true
		default:
			if time.Now().After(deadline) {
				return -1
			}
		}
	}
	return got
}

// ok: the senders are joined before the only path that skips the receive:
// each goroutine has sent (into the buffer) before it calls Done, so after
// wg.Wait() nothing is left blocked on errc.
func joinedThenPeek(items []string) error {
	errc := make(chan error, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		errc <- process(items[0])
	}()
	wg.Wait()
	if len(errc) == 0 {
		return nil
	}
	return <-errc
}
