package gl012

import (
	"context"
	"errors"
	"fmt"
	"time"
)

type job struct{ id int }

func handle(j job) { fmt.Println(j.id) }

// bad: the classic worker loop: every job received leaves the timer of that iteration running for a minute.
func idleTimeout(jobs <-chan job) {
	for {
		select {
		case j := <-jobs:
			handle(j)
		case <-time.After(time.Minute): // want "GL012"
			fmt.Println("idle, exiting")
			return
		}
	}
}

// bad: a send with a timeout per item of a range loop; each delivered item leaves a pending timer.
func forward(items []int, out chan<- int) {
	for _, it := range items {
		select {
		case out <- it:
		case <-time.After(5 * time.Second): // want "GL012"
			fmt.Println("dropped", it)
		}
	}
}

// bad: the received value of time.After is bound (`case t := <-time.After(d)`), still one timer per iteration.
func ticks(events <-chan string) {
	for {
		select {
		case e := <-events:
			fmt.Println(e)
		case t := <-time.After(time.Second): // want "GL012"
			fmt.Println("quiet since", t)
		}
	}
}

// bad: a default case makes the loop spin, creating a fresh timer on every pass.
func spin(done func() bool) {
	for !done() {
		select {
		case <-time.After(time.Second): // want "GL012"
			return
		default:
		}
	}
}

// bad: a three-clause loop collecting results with a per-receive timeout.
func collect(results <-chan error, n int) []error {
	var errs []error
	for i := 0; i < n; i++ {
		select {
		case err := <-results:
			errs = append(errs, err)
		case <-time.After(10 * time.Second): // want "GL012"
			errs = append(errs, errors.New("timeout"))
		}
	}
	return errs
}

// bad: the select sits in a branch of the loop body; the loop still repeats it.
func nested(in <-chan int, verbose bool) {
	for v := range in {
		if verbose {
			select {
			case in2 := <-in:
				fmt.Println(v, in2)
			case <-time.After(time.Millisecond): // want "GL012"
			}
		}
	}
}

// bad: `continue outer` from the other case starts the inner loop again: the timer leaks each time.
func labeled(batches [][]int, acks <-chan int) {
outer:
	for _, b := range batches {
		for {
			select {
			case <-acks:
				continue outer
			case <-time.After(time.Second): // want "GL012"
				fmt.Println("retry", len(b))
			}
		}
	}
}

// ok: a single select, not in a loop: one timer per call, collected when it fires.
func once(ch <-chan int) (int, error) {
	select {
	case v := <-ch:
		return v, nil
	case <-time.After(time.Second):
		return 0, errors.New("timeout")
	}
}

// ok: the timer is created once, before the loop; the loop only receives from it.
func hoisted(ch <-chan int) {
	timeout := time.After(time.Minute)
	for {
		select {
		case v := <-ch:
			fmt.Println(v)
		case <-timeout:
			return
		}
	}
}

// ok: one reusable timer, reset on each iteration.
func reused(ch <-chan int) {
	t := time.NewTimer(time.Second)
	defer t.Stop()
	for {
		select {
		case v := <-ch:
			fmt.Println(v)
			if !t.Stop() {
				<-t.C
			}
			t.Reset(time.Second)
		case <-t.C:
			return
		}
	}
}

// ok: `<-time.After(d)` used as a sleep, not in a select: the timer has fired before the next iteration.
func pace(items []int) {
	for _, it := range items {
		fmt.Println(it)
		<-time.After(10 * time.Millisecond)
	}
}

// ok: a backoff loop: the only other case returns, so at most one timer is left pending, nothing piles up.
func retry(ctx context.Context, op func() error) error {
	for attempt := 0; attempt < 5; attempt++ {
		if err := op(); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt) * time.Second):
		}
	}
	return errors.New("gave up")
}

// ok: every case leaves the loop (return / break to the loop's label): the select runs once.
func firstOf(a, b <-chan int) int {
	v := 0
loop:
	for {
		select {
		case v = <-a:
			break loop
		case v = <-b:
			return v
		case <-time.After(time.Second):
			return -1
		}
	}
	return v
}

// ok: time.Time's After method, not the time.After function.
func deadlineLoop(ch <-chan int, deadline time.Time) {
	for {
		select {
		case <-ch:
			if time.Now().After(deadline) {
				return
			}
		}
	}
}

// ok: the select runs in a goroutine started per item: each goroutine makes one timer (not a loop of its own).
func fanOut(ids []int, fetch func(int) <-chan string) {
	for _, id := range ids {
		go func() {
			select {
			case s := <-fetch(id):
				fmt.Println(s)
			case <-time.After(time.Second):
			}
		}()
	}
}

// ok: time.AfterFunc is a different function (and one timer per item is the point).
func schedule(items []int, run func(int)) {
	for _, it := range items {
		time.AfterFunc(time.Second, func() { run(it) })
	}
}

// ok: a periodic loop: the loop only goes round through the time.After case, after its timer fired.
func periodic(ctx context.Context, work func()) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Minute):
			work()
		}
	}
}
