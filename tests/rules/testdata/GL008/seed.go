// Package gl008 specifies GL008 (ignored-context) by example.
//
// Contract (go vet analysistest style): a line that must be reported ends
// with a want comment naming GL008; every other line must stay silent.
//
// GL008 is reported on the goroutine's first blocking operation (time.Sleep,
// a channel send or receive, a range over a channel, a select without
// default, sync.Cond.Wait), once per goroutine body, when a context.Context
// is in reach — a parameter or local of the launching function, or a
// context parameter of the function started with go — and the goroutine
// never uses any context (Done, Err, passing it on). Types are resolved
// from declarations: a variable called ctx that is not a context.Context
// does not count.
package gl008

import (
	"context"
	"fmt"
	"time"
)

// bad: seed §2.3 — the goroutine holds ctx in scope but sleeps without
// watching ctx.Done(): cancelling ctx cannot stop it.
func startWorker(ctx context.Context) {
	go func() {
		time.Sleep(10 * time.Second) // want "GL008"
		fmt.Println("worker finished")
	}()
}

// ok: seed §2.3 fixed — the sleep is a select on time.After and ctx.Done().
func startWorkerFixed(ctx context.Context) {
	go func() {
		select {
		case <-time.After(10 * time.Second):
			fmt.Println("worker finished")
		case <-ctx.Done():
			return
		}
	}()
}

// bad: a local context (derived with a timeout) is in scope; the goroutine
// blocks on a receive and never looks at it. Only the first blocking
// operation is reported.
func localTimeout(parent context.Context, results chan int) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	go func() {
		v := <-results // want "GL008"
		time.Sleep(time.Millisecond)
		fmt.Println(v)
	}()
	<-ctx.Done()
}

// bad: a send on an unbuffered channel, with the caller's ctx in scope.
func sendResult(ctx context.Context, out chan string) {
	go func() {
		out <- compute() // want "GL008"
	}()
	_ = ctx.Err()
}

func compute() string { return "x" }

// bad: the goroutine only reads a value from the context: Value does not
// watch cancellation.
func valueOnly(ctx context.Context, jobs chan string) {
	go func() {
		id := ctx.Value(traceKey{})
		for j := range jobs { // want "GL008"
			fmt.Println(id, j)
		}
	}()
}

type traceKey struct{}

// ok: the goroutine passes ctx on to a call: the callee owns cancellation.
func passesOn(ctx context.Context, out chan string) {
	go func() {
		out <- fetch(ctx)
	}()
}

func fetch(ctx context.Context) string {
	<-ctx.Done()
	return ""
}

// ok: a select with a default never blocks.
func nonBlockingSelect(ctx context.Context, ch chan int) {
	go func() {
		select {
		case ch <- 1:
		default:
		}
	}()
	<-ctx.Done()
}

// ok: a single send on a local channel buffered for it cannot block.
func bufferedSend(ctx context.Context) chan int {
	done := make(chan int, 1)
	go func() {
		done <- 42
	}()
	_ = ctx
	return done
}

// ok: no context anywhere in reach (GL008 needs one to be ignored).
func noContext(ch chan int) {
	go func() {
		ch <- 1
	}()
}

// ok: the goroutine does not block at all.
func printsOnly(ctx context.Context, n int) {
	go func() {
		fmt.Println("got", n)
	}()
	<-ctx.Done()
}

// ok: checks ctx.Err() between items.
func checksErr(ctx context.Context, jobs chan int) {
	go func() {
		for j := range jobs {
			if ctx.Err() != nil {
				return
			}
			fmt.Println(j)
		}
	}()
}

// ok: the goroutine is the context's canceller (it calls cancel after a
// delay): it is part of the context's lifecycle, not ignoring it.
func cancelLater(parent context.Context, d time.Duration) context.Context {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		time.Sleep(d)
		cancel()
	}()
	return ctx
}
