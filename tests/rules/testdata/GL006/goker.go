package gl006

import (
	"context"
	"time"
)

// bad: GoKer kubernetes#5316 (finishRequest): the child goroutine reports on
// one of two unbuffered channels; when the timeout case wins, whichever send
// it reaches blocks forever. Upstream fix: both channels buffered with 1.
func finishRequest(timeout time.Duration, fn func() error) {
	ok := make(chan bool)
	errCh := make(chan error)
	go func() {
		if err := fn(); err != nil {
			errCh <- err // want "GL006"
		} else {
			ok <- true // want "GL006"
		}
	}()
	select {
	case <-ok:
	case <-errCh:
	case <-time.After(timeout):
	}
}

// ok: the upstream fix of kubernetes#5316.
func finishRequestFixed(timeout time.Duration, fn func() error) {
	ok := make(chan bool, 1)
	errCh := make(chan error, 1)
	go func() {
		if err := fn(); err != nil {
			errCh <- err
		} else {
			ok <- true
		}
	}()
	select {
	case <-ok:
	case <-errCh:
	case <-time.After(timeout):
	}
}

// ok: a result/error channel pair fed by one goroutine that sends on exactly
// one of them; the caller receives whichever comes (no timeout, no cancel).
func resultOrError(fn func() (int, error)) (int, error) {
	vals := make(chan int)
	errs := make(chan error)
	go func() {
		v, err := fn()
		if err != nil {
			errs <- err
			return
		}
		vals <- v
	}()
	select {
	case v := <-vals:
		return v, nil
	case err := <-errs:
		return 0, err
	}
}

// bad: the symmetric case in a select — the caller hands the job over or
// gives up on ctx.Done(); the worker then waits for a job forever.
func handOver(ctx context.Context, job int) error {
	jobs := make(chan int)
	go func() {
		j := <-jobs // want "GL006"
		handle(j)
	}()
	select {
	case jobs <- job:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
