package gl002

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"
)

// Hand-offs: the cancel function moves somewhere else, which counts as a use.

// ok: returned to the caller (ownership moves with it).
func newRequestContext(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(parent, 30*time.Second)
	return ctx, cancel
}

// ok: passed to a function; the watchdog goroutine calls it.
func withWatchdog(parent context.Context, stop <-chan struct{}) context.Context {
	ctx, cancel := context.WithCancel(parent)
	go watchdog(stop, cancel)
	return ctx
}

func watchdog(stop <-chan struct{}, cancel context.CancelFunc) {
	<-stop
	cancel()
}

// ok: called inside a goroutine started here.
func cancelInGoroutine(parent context.Context, done <-chan struct{}) context.Context {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		<-done
		cancel()
	}()
	return ctx
}

type session struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// ok: stored in a struct through a composite literal.
func openSession(parent context.Context) *session {
	ctx, cancel := context.WithCancel(parent)
	return &session{ctx: ctx, cancel: cancel}
}

// ok: stored in a struct field through a local (`s.cancel = cancel`). Only a
// cancel assigned straight from the With… call into a field is tracked as a
// field (see fields.go).
func (s *session) renew(parent context.Context) {
	ctx, cancel := context.WithTimeout(parent, time.Minute)
	s.ctx = ctx
	s.cancel = cancel
}

var stopAll context.CancelFunc

// ok: assigned straight to a package-level variable. Like vet, GL002 does not
// analyse variables declared outside the function (and GL002's field rule is
// about struct fields only).
func initRoot() context.Context {
	var ctx context.Context
	ctx, stopAll = context.WithCancel(context.Background())
	return ctx
}

// ok: captured by a closure that is deferred.
func closureDeferred(parent context.Context) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	cleanup := func() {
		cancel()
		log.Println("cleaned up")
	}
	defer cleanup()
	apiCall(ctx)
}

// ok: conditional creation — a no-op cancel when there is no timeout, then
// `defer cancel()` on every path (the net/http idiom).
func maybeTimeout(ctx context.Context, d time.Duration) {
	cancel := func() {}
	if d > 0 {
		ctx, cancel = context.WithTimeout(ctx, d)
	}
	defer cancel()
	apiCall(ctx)
}

// ok: the bad path ends in a same-package helper that never returns
// (fatalf calls os.Exit); vet learns this through its noreturn facts, GL002
// follows the helper one level.
func mustConnect(parent context.Context, addr string) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	if addr == "" {
		fatalf("no address\n")
	}
	defer cancel()
	apiCall(ctx)
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format, args...)
	os.Exit(1)
}

// ok: retry loop reassigning one pair of variables (`ctx, cancel = …`); each
// attempt cancels before the next one and before leaving the loop.
func poll(parent context.Context) error {
	var (
		ctx    context.Context
		cancel context.CancelFunc
		err    error
	)
	for attempt := 0; attempt < 3; attempt++ {
		ctx, cancel = context.WithTimeout(parent, time.Second)
		err = ping(ctx)
		cancel()
		if err == nil {
			break
		}
	}
	return err
}

// bad: retry loop where `continue` skips the cancel of this attempt; the
// loop then ends and the function returns without it.
func retry(parent context.Context, attempts int) error {
	for i := 0; i < attempts; i++ {
		ctx, cancel := context.WithTimeout(parent, time.Second) // want "GL002"
		if err := ping(ctx); err != nil {
			continue
		}
		cancel()
		return nil
	}
	return fmt.Errorf("gave up after %d attempts", attempts)
}
