package gl006

import (
	stdctx "context"
	clock "time"
)

// bad: a named goroutine function gets the channel as a parameter and sends
// on it; the caller abandons it on timeout (aliased time import).
func fetchAsync(url string, out chan<- result) {
	r := fetchURL(url)
	out <- r // want "GL006"
}

func fetchWithDeadline(url string) (string, bool) {
	ch := make(chan result)
	go fetchAsync(url, ch)
	select {
	case r := <-ch:
		return r.body, true
	case <-clock.After(clock.Second):
		return "", false
	}
}

type worker struct {
	name string
}

// bad: a method launched with go; the caller returns early on a bad input
// (aliased context import).
func (w *worker) run(n int, results chan<- int) {
	results <- n * len(w.name) // want "GL006"
}

func (w *worker) start(ctx stdctx.Context, n int) (int, error) {
	results := make(chan int)
	go w.run(n, results)
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return <-results, nil
}

// ok: a named goroutine function that selects on ctx.Done() when sending.
func fetchOrQuit(ctx stdctx.Context, url string, out chan<- result) {
	r := fetchURL(url)
	select {
	case out <- r:
	case <-ctx.Done():
	}
}

func fetchCancellable(ctx stdctx.Context, url string) (result, error) {
	ch := make(chan result)
	go fetchOrQuit(ctx, url, ch)
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return result{}, ctx.Err()
	}
}

// bad: a closure that takes the channel as a parameter.
func closureParam(ctx stdctx.Context) int {
	ch := make(chan int)
	go func(out chan<- int) {
		out <- compute() // want "GL006"
	}(ch)
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

// ok: the named function hands the channel on to code we do not follow.
func relay(out chan<- int, sink func(chan<- int)) {
	sink(out)
}

func relayed(ctx stdctx.Context, sink func(chan<- int)) int {
	ch := make(chan int)
	go relay(ch, sink)
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

// bad: the symmetric case — the goroutine waits for a start signal that the
// caller only sends when validation passes.
func startSignal(n int) error {
	start := make(chan struct{})
	go func() {
		<-start // want "GL006"
		handle(compute())
	}()
	if err := validate(n); err != nil {
		return err
	}
	start <- struct{}{}
	return nil
}

// ok: the symmetric case with a deferred close: the goroutine is released
// on every path.
func doneClosed(n int) error {
	done := make(chan struct{})
	defer close(done)
	go func() {
		<-done
		handle(n)
	}()
	return validate(n)
}

// ok: the goroutine waits on the signal or on the context.
func signalOrCancel(ctx stdctx.Context, n int) error {
	start := make(chan struct{})
	go func() {
		select {
		case <-start:
			handle(n)
		case <-ctx.Done():
		}
	}()
	if err := validate(n); err != nil {
		return err
	}
	start <- struct{}{}
	return nil
}
