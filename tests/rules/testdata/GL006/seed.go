// Package gl006 specifies GL006 (abandoned-sender) by example.
//
// Contract (go vet analysistest style): a line that must be reported ends
// with a want comment naming GL006; every other line must stay silent.
//
// GL006 is reported at the send (or receive) in the goroutine that can block
// forever: the goroutine talks over a local unbuffered channel whose only
// partner operation, in the function that started it, can be skipped — it
// sits in a select with another case, or an early return lies between the go
// statement and it, or N goroutines send and the receiver returns after fewer
// than N receives (first-error / first-result patterns).
package gl006

import (
	"context"
	"errors"
	"runtime"
	"time"
)

type result struct {
	body string
	err  error
}

func compute() int                 { return 42 }
func fetchURL(url string) result   { return result{body: url} }
func validate(n int) error         { if n < 0 { return errors.New("neg") }; return nil }
func process(item string) error    { if item == "" { return errors.New("empty") }; return nil }
func handle(v int)                 {}

// bad: seed §2.1/§2.2 — the caller gives up on ctx.Done() and returns; the
// goroutine's send on the unbuffered channel never finds a receiver.
func withContext(ctx context.Context) (int, error) {
	ch := make(chan int)
	go func() {
		ch <- compute() // want "GL006"
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// ok: the same with make(chan int, 1): the send always completes into the
// buffer, even when nobody receives any more.
func withContextBuffered(ctx context.Context) (int, error) {
	ch := make(chan int, 1)
	go func() {
		ch <- compute()
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// bad: the classic timeout — time.After wins the select, the worker's result
// is never read.
func withTimeout(url string) (string, error) {
	done := make(chan result)
	go func() {
		r := fetchURL(url)
		done <- r // want "GL006"
	}()
	select {
	case r := <-done:
		return r.body, r.err
	case <-time.After(2 * time.Second):
		return "", errors.New("timeout")
	}
}

// ok: the sender itself selects on ctx.Done(): it leaves when the caller
// gives up.
func senderSelects(ctx context.Context, url string) (string, error) {
	done := make(chan result)
	go func() {
		r := fetchURL(url)
		select {
		case done <- r:
		case <-ctx.Done():
		}
	}()
	select {
	case r := <-done:
		return r.body, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// bad: another channel (quit) competes with the result channel.
func withQuit(quit <-chan struct{}) int {
	out := make(chan int)
	go func() { out <- compute() }() // want "GL006"
	select {
	case v := <-out:
		return v
	case <-quit:
		return -1
	}
}

// bad: an early return between the go statement and the receive.
func earlyReturn(n int) (int, error) {
	ch := make(chan int)
	go func() {
		ch <- compute() // want "GL006"
	}()
	if err := validate(n); err != nil {
		return 0, err
	}
	return <-ch, nil
}

// ok: the early return comes before the go statement; after it, the receive
// runs on every path.
func returnBeforeGo(n int) (int, error) {
	if err := validate(n); err != nil {
		return 0, err
	}
	ch := make(chan int)
	go func() {
		ch <- compute()
	}()
	v := <-ch
	return v, nil
}

// ok: both branches of the select receive — the cancel branch drains the
// channel before returning.
func drainOnCancel(ctx context.Context) (int, error) {
	ch := make(chan int)
	go func() {
		ch <- compute()
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		<-ch
		return 0, ctx.Err()
	}
}

// ok: the receive is guaranteed on every path — both arms of the if receive.
func receiveOnBothArms(fast bool) int {
	ch := make(chan int)
	go func() { ch <- compute() }()
	if fast {
		return <-ch
	}
	v := <-ch
	return v * 2
}

// bad: declared with var and an explicit zero capacity: still unbuffered.
func explicitZero(ctx context.Context) error {
	var errc = make(chan error, 0)
	go func() {
		errc <- validate(compute()) // want "GL006"
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ok: the channel escapes to the caller, who may still receive from it.
func escapesByReturn() <-chan int {
	ch := make(chan int)
	go func() { ch <- compute() }()
	return ch
}

// ok: the channel is handed to another function we do not follow as a
// partner; it may receive from it.
func escapesToFunction(ctx context.Context, sink func(<-chan int)) {
	ch := make(chan int)
	go func() { ch <- compute() }()
	if ctx.Err() != nil {
		sink(ch)
		return
	}
	<-ch
}

// ok: the send is in a select with a default — it never blocks.
func sendWithDefault(ctx context.Context) int {
	ch := make(chan int)
	go func() {
		select {
		case ch <- compute():
		default:
		}
	}()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

// ok: a panic between the go and the receive ends the process, not just the
// caller.
func panicBetween(n int) int {
	ch := make(chan int)
	go func() { ch <- compute() }()
	if n < 0 {
		panic("negative")
	}
	return <-ch
}

// ok: the select's other case sends on a local channel that nobody ever
// receives from: it can never fire, so the receive-side partner is the only
// way out (runtime/pprof's blockSelectSendSync).
func deadAlternative() {
	c := make(chan bool)
	c2 := make(chan bool)
	go func() {
		<-c
	}()
	select {
	case c <- true:
	case c2 <- true:
	}
}

// bad: a test-style failure path — the t.Fatal-like exit (runtime.Goexit)
// leaves the caller's goroutine while the worker waits to send.
func goexitBetween(stop func() bool) int {
	ch := make(chan int)
	go func() {
		ch <- compute() // want "GL006"
	}()
	if stop() {
		runtime.Goexit()
	}
	return <-ch
}

// bad: a server's error channel — ListenAndServe's result is abandoned when
// the context ends first (the shutdown path returns without receiving).
func serveUntil(ctx context.Context, listen func() error, shutdown func()) error {
	errc := make(chan error)
	go func() {
		errc <- listen() // want "GL006"
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown()
		return ctx.Err()
	}
}

// bad: the goroutine closes the channel after sending, but the close comes
// too late: the send itself blocks once the caller has left.
func sendThenClose(ctx context.Context) int {
	c := make(chan int)
	go func() {
		defer close(c)
		c <- compute() // want "GL006"
	}()
	select {
	case v := <-c:
		return v
	case <-ctx.Done():
		return 0
	}
}

// ok: the goroutine signals completion by closing the channel: a close never
// blocks, whoever is (or is not) still listening.
func closeToSignal(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		defer close(done)
		handle(compute())
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
