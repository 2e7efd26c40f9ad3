package gl007

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// bad: the `break` in the quit case only leaves the select, not the for
// loop; quit is a channel made here that nothing closes, so the loop spins on.
func breakLeavesSelectOnly() chan<- struct{} {
	quit := make(chan struct{})
	go func() { // want "GL007"
		for {
			select {
			case <-quit:
				fmt.Println("stopping")
				break
			case <-time.After(time.Second):
				processJob()
			}
		}
	}()
	return nil
}

// ok: a labeled break leaves the loop itself.
func labeledBreak(quit chan struct{}) {
	go func() {
	loop:
		for {
			select {
			case <-quit:
				break loop
			default:
				processJob()
			}
		}
		fmt.Println("done")
	}()
}

// bad: a poll loop with a sleep and no exit at all.
func pollForever(check func() error) {
	go func() { // want "GL007"
		for {
			if err := check(); err != nil {
				fmt.Println("check failed:", err)
				continue
			}
			time.Sleep(5 * time.Second)
		}
	}()
}

// ok: the poll loop returns when the context is done.
func pollWithContext(ctx context.Context, check func() error) {
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(5 * time.Second):
				_ = check()
			}
		}
	}()
}

// ok: an error leaves the loop with return.
func readUntilError(next func() (string, error)) {
	go func() {
		for {
			line, err := next()
			if err != nil {
				return
			}
			fmt.Println(line)
		}
	}()
}

// ok: the loop ends the process on a fatal condition.
func exitOnFailure(check func() bool) {
	go func() {
		for {
			if !check() {
				os.Exit(1)
			}
			time.Sleep(time.Second)
		}
	}()
}

// ok: goto leaves the loop.
func gotoOut(next func() error) {
	go func() {
		for {
			if err := next(); errors.Is(err, os.ErrClosed) {
				goto out
			}
		}
	out:
		fmt.Println("closed")
	}()
}

// ok: the events channel is a parameter of unknown origin; the receive may
// be how the goroutine gets told to stop (its sender may close it).
func consume(events <-chan string) {
	go func() {
		for {
			e := <-events
			fmt.Println(e)
		}
	}()
}

// ok: init-started goroutines live as long as the process by design.
func init() {
	go func() {
		for {
			time.Sleep(time.Minute)
		}
	}()
}

// ok: a loop with a condition is not an endless loop.
func conditional(running *bool) {
	go func() {
		for *running {
			time.Sleep(time.Millisecond)
		}
	}()
}

// bad: a nested switch's break does not leave the loop either; the work
// channel is made here and never closed.
func switchBreak(items []int) {
	work := make(chan int)
	go func() { // want "GL007"
		for {
			switch v := <-work; {
			case v < 0:
				break
			default:
				fmt.Println(v)
			}
		}
	}()
	for _, it := range items {
		work <- it
	}
}

func doWork() { fmt.Println("work") }

// bad: a busy loop with no exit and nothing to wait on.
func spin() {
	go func() { // want "GL007"
		for {
			doWork()
		}
	}()
}

func flushLoop() {
	for {
		doWork()
	}
}

// ok: a package-level function whose loop blocks only inside calls we
// cannot see is taken for a process-wide service started once (like the
// runtime's sweeper): precision first.
func startFlusher() {
	go flushLoop()
}

// bad: the enclosing function has a context the goroutine never looks at,
// so the receive from `in` is its work queue, not a stop signal.
func drainIgnoringContext(ctx context.Context, in <-chan string) {
	go func() { // want "GL007"
		for {
			s := <-in
			fmt.Println(s)
		}
	}()
	_ = ctx
}
