package gl006

import (
	"context"
	"fmt"
	"time"
)

type tdDebouncer struct {
	timer *time.Timer
	reset chan struct{}
	every time.Duration
}

// bad: the first case takes the timer's value and never resets it; the next reset finds Stop
// false and the drain waits forever.
func (d *tdDebouncer) loop(ctx context.Context) {
	for {
		select {
		case <-d.timer.C:
			fmt.Println("fire")
		case <-d.reset:
			if !d.timer.Stop() {
				<-d.timer.C // want "GL006"
			}
			d.timer.Reset(d.every)
		case <-ctx.Done():
			return
		}
	}
}

// bad: a local timer, the value received into a variable.
func tdLocal(ctx context.Context, kick <-chan int) {
	t := time.NewTimer(time.Second)
	for {
		select {
		case now := <-t.C:
			fmt.Println(now)
		case n := <-kick:
			if !t.Stop() {
				<-t.C // want "GL006"
			}
			t.Reset(time.Duration(n))
		case <-ctx.Done():
			return
		}
	}
}

// ok: the consuming case re-arms the timer, so Stop reports a pending or stopped timer correctly.
func tdRearmed(ctx context.Context, kick <-chan int) {
	t := time.NewTimer(time.Second)
	for {
		select {
		case <-t.C:
			t.Reset(time.Second)
		case n := <-kick:
			if !t.Stop() {
				<-t.C
			}
			t.Reset(time.Duration(n))
		case <-ctx.Done():
			return
		}
	}
}

// ok: the drain does not block.
func tdNonBlocking(ctx context.Context, kick <-chan int) {
	t := time.NewTimer(time.Second)
	for {
		select {
		case <-t.C:
			fmt.Println("fire")
		case n := <-kick:
			if !t.Stop() {
				select {
				case <-t.C:
				default:
				}
			}
			t.Reset(time.Duration(n))
		case <-ctx.Done():
			return
		}
	}
}

// ok: the consuming case leaves the loop: no later drain.
func tdLeaves(kick <-chan int) {
	t := time.NewTimer(time.Second)
	for {
		select {
		case <-t.C:
			return
		case n := <-kick:
			if !t.Stop() {
				<-t.C
			}
			t.Reset(time.Duration(n))
		}
	}
}

// ok: the timer is re-armed at the top of every iteration.
func tdTopReset(kick <-chan int, done <-chan struct{}) {
	t := time.NewTimer(time.Second)
	for {
		t.Reset(time.Second)
		select {
		case <-t.C:
			fmt.Println("fire")
		case <-kick:
			if !t.Stop() {
				<-t.C
			}
		case <-done:
			return
		}
	}
}

var (
	_ = (*tdDebouncer).loop
	_ = tdLocal
	_ = tdRearmed
	_ = tdNonBlocking
	_ = tdLeaves
	_ = tdTopReset
)

// ok: a fresh timer each iteration; the case that took a value went round the loop to a new timer,
// so the drain only ever stops the timer of its own iteration, whose value nobody took.
func tdFreshEachRound(ctx context.Context, retry func() bool) {
	for {
		t := time.NewTimer(time.Second)
		select {
		case <-t.C:
			if retry() {
				continue
			}
		case <-ctx.Done():
			if !t.Stop() {
				<-t.C
			}
		}
		break
	}
}
