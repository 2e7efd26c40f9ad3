// Package gl013 under `go 1.23`: unstopped tickers are collected once unreachable, so a missing Stop is
// only info, and time.Tick is no longer reported at all.
package gl013

import (
	"context"
	"fmt"
	"time"
)

// bad: Stop missed on the error path: info under Go 1.23 (the ticker is collected once unreachable).
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

// bad: a timer not stopped when the result wins: info under Go 1.23.
func await(ch <-chan int) int {
	timer := time.NewTimer(time.Second) // want "GL013"
	select {
	case v := <-ch:
		return v
	case <-timer.C:
		return -1
	}
}

// ok: time.Tick in a function that returns: its ticker is collected since Go 1.23.
func waitUntil(ready func() bool) {
	for range time.Tick(10 * time.Millisecond) {
		if ready() {
			return
		}
	}
}

// ok: time.Tick evaluated per iteration: churn, but collected since Go 1.23 (GL013 stays silent).
func tickEveryLoop(events <-chan string) {
	for {
		select {
		case e := <-events:
			fmt.Println(e)
		case <-time.Tick(time.Second):
		}
	}
}

// ok: defer Stop.
func deferred(n int) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for i := 0; i < n; i++ {
		<-t.C
	}
}
