package gl013

import (
	"context"
	"errors"
	"fmt"
	"time"
)

func processJob() {}

// bad: the seed's leakyTicker: the goroutine ranges over ticker.C forever and nobody stops the ticker.
func leakyTicker() {
	ticker := time.NewTicker(100 * time.Millisecond) // want "GL013"
	go func() {
		for range ticker.C {
			processJob()
		}
	}()
}

// bad: Stop only on the ctx.Done path; the error return leaves the ticker running.
func poll(ctx context.Context, check func() error) error {
	t := time.NewTicker(time.Second) // want "GL013"
	for {
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
			if err := check(); err != nil {
				return err
			}
		}
	}
}

// bad: a timeout timer that is stopped after the select, but the early return skips it.
func await(ch <-chan int) (int, error) {
	timer := time.NewTimer(5 * time.Second) // want "GL013"
	select {
	case v := <-ch:
		if v < 0 {
			return 0, errors.New("negative")
		}
		timer.Stop()
		return v, nil
	case <-timer.C:
		return 0, errors.New("timeout")
	}
}

// bad: a goroutine that exits on quit but never stops its ticker.
func heartbeat(quit <-chan struct{}) {
	go func() {
		t := time.NewTicker(time.Second) // want "GL013"
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				fmt.Println("beat")
			}
		}
	}()
}

// bad: a ticker used inline is never reachable for Stop.
func waitTwoTicks() {
	c := time.NewTicker(time.Second).C // want "GL013"
	<-c
	<-c
}

// bad: time.Tick in a function that returns: before Go 1.23 its ticker is never stopped nor collected.
func waitUntil(ready func() bool) {
	for range time.Tick(10 * time.Millisecond) { // want "GL013"
		if ready() {
			return
		}
	}
}

// bad: time.Tick evaluated in every iteration of an endless loop: a new, never-collected ticker each time.
func tickEveryLoop(events <-chan string) {
	for {
		select {
		case e := <-events:
			fmt.Println(e)
		case <-time.Tick(time.Second): // want "GL013"
			fmt.Println("tick")
		}
	}
}

// ok: defer Stop right after the constructor.
func deferred(ch <-chan int) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ch:
			return
		case <-t.C:
			processJob()
		}
	}
}

// ok: Stop in a deferred closure.
func deferredClosure(n int) {
	t := time.NewTicker(time.Second)
	defer func() {
		t.Stop()
		fmt.Println("stopped")
	}()
	for i := 0; i < n; i++ {
		<-t.C
	}
}

// ok: Stop on every path, explicitly.
func stoppedEverywhere(ch <-chan int) int {
	t := time.NewTimer(time.Second)
	select {
	case v := <-ch:
		t.Stop()
		return v
	case <-t.C:
		return -1
	}
}

// ok: the timer has fired (its channel was received) on the only path: nothing is left running.
func sleepish(d time.Duration) {
	t := time.NewTimer(d)
	<-t.C
	fmt.Println("done")
}

// ok: returned: the caller owns the ticker now.
func newTicker(d time.Duration) *time.Ticker {
	t := time.NewTicker(d)
	return t
}

// ok: passed on: run owns the ticker (and stops it).
func handOff(quit <-chan struct{}) {
	t := time.NewTicker(time.Second)
	go run(t, quit)
}

func run(t *time.Ticker, quit <-chan struct{}) {
	defer t.Stop()
	for {
		select {
		case <-quit:
			return
		case <-t.C:
		}
	}
}

// ok: the goroutine that uses the ticker stops it.
func stoppedInGoroutine(quit <-chan struct{}) {
	t := time.NewTicker(time.Second)
	go func() {
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
			}
		}
	}()
}

// ok: an endless function: it never returns, so the ticker is needed for the process lifetime.
func forever() {
	t := time.NewTicker(time.Minute)
	for range t.C {
		processJob()
	}
}

// ok: time.Tick in an endless goroutine (the documented use of time.Tick).
func startReporter() {
	go func() {
		for range time.Tick(time.Minute) {
			processJob()
		}
	}()
}

// ok: sent to another goroutine, which becomes the owner.
func sendTicker(out chan<- *time.Ticker) {
	out <- time.NewTicker(time.Second)
}
