package gl006

import (
	"context"
	"sync"
)

// bad: first-error return — N goroutines send their error to one unbuffered
// channel, the receiver returns on the first non-nil error and the others
// block in [chan send] forever.
func firstError(items []string) error {
	errc := make(chan error)
	for _, it := range items {
		go func() {
			errc <- process(it) // want "GL006"
		}()
	}
	for range items {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// ok: the same with make(chan error, len(items)): every goroutine finds room.
func firstErrorBuffered(items []string) error {
	errc := make(chan error, len(items))
	for _, it := range items {
		go func() {
			errc <- process(it)
		}()
	}
	for range items {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// ok: a buffer of n for a loop of n goroutines.
func countedBuffered(n int) error {
	errc := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() { errc <- validate(i) }()
	}
	for i := 0; i < n; i++ {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// ok: every error is received; the first one is remembered, none is
// abandoned.
func collectAll(items []string) error {
	errc := make(chan error)
	for _, it := range items {
		go func() { errc <- process(it) }()
	}
	var first error
	for range items {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// bad: first result wins (the "replicated search" example): one receive for
// len(replicas) senders.
func firstResult(replicas []string) result {
	c := make(chan result)
	for _, r := range replicas {
		go func(url string) { c <- fetchURL(url) }(r) // want "GL006"
	}
	return <-c
}

// bad: the collecting loop gives up on ctx.Done() before all results arrived.
func collectUntilCancel(ctx context.Context, n int) ([]int, error) {
	resc := make(chan int)
	for i := 0; i < n; i++ {
		go func() {
			resc <- compute() + i // want "GL006"
		}()
	}
	var out []int
	for i := 0; i < n; i++ {
		select {
		case v := <-resc:
			out = append(out, v)
		case <-ctx.Done():
			return out, ctx.Err()
		}
	}
	return out, nil
}

// bad: break out of the receive loop on the first error.
func breakOnError(items []string) error {
	var failed error
	errc := make(chan error)
	for _, it := range items {
		go func() { errc <- process(it) }() // want "GL006"
	}
	for i := 0; i < len(items); i++ {
		if err := <-errc; err != nil {
			failed = err
			break
		}
	}
	return failed
}

// ok: the per-iteration hand-off: each iteration starts one goroutine and
// receives its result before the next.
func perIteration(items []string) []error {
	var errs []error
	for _, it := range items {
		ch := make(chan error)
		go func() { ch <- process(it) }()
		errs = append(errs, <-ch)
	}
	return errs
}

// ok: a producer that closes its channel; the consumer ranges to the end.
func producer(items []string) int {
	ch := make(chan string)
	go func() {
		defer close(ch)
		for _, it := range items {
			ch <- it
		}
	}()
	n := 0
	for s := range ch {
		n += len(s)
	}
	return n
}

// ok: a WaitGroup closes the channel after all senders are done and the
// receiver reads everything.
func fanInAll(items []string) []error {
	var wg sync.WaitGroup
	errc := make(chan error)
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errc <- process(it)
		}()
	}
	go func() { wg.Wait(); close(errc) }()
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errs
}

// bad: fan-in with a closer goroutine, but the consumer returns on the first
// error: the remaining senders (and the closer, in wg.Wait) stay blocked.
func fanInFirstError(items []string) error {
	var wg sync.WaitGroup
	errc := make(chan error)
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errc <- process(it) // want "GL006"
		}()
	}
	go func() { wg.Wait(); close(errc) }()
	for err := range errc {
		if err != nil {
			return err
		}
	}
	return nil
}

// bad: the result is sent from a deferred closure of the goroutine; the
// caller may already have left on the timeout.
func deferredSend(ctx context.Context) (err error) {
	errc := make(chan error)
	go func() {
		var failure error
		defer func() {
			errc <- failure // want "GL006"
		}()
		failure = validate(compute())
	}()
	select {
	case err = <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ok: the symmetric case with a closer goroutine: the waiting goroutine is
// released by the close on shutdown even when the caller skips its send.
func releasedOnShutdown(ctx context.Context, n int) error {
	start := make(chan struct{})
	go func() {
		<-start
		handle(n)
	}()
	go func() { <-ctx.Done(); close(start) }()
	if err := validate(n); err != nil {
		return err
	}
	start <- struct{}{}
	return nil
}

// bad: a buffer of one is not enough for a loop of senders when the
// receiver returns on the first error.
func smallBuffer(items []string) error {
	errc := make(chan error, 1)
	for _, it := range items {
		go func() { errc <- process(it) }() // want "GL006"
	}
	for range items {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// ok: a literal buffer that covers a loop with a literal bound.
func twoSlotsTwoSenders() error {
	errc := make(chan error, 2)
	for i := 0; i < 2; i++ {
		go func() { errc <- validate(i) }()
	}
	for i := 0; i < 2; i++ {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}
