package gl002

import (
	"context"
	"errors"
	"time"
)

// The …Cause variants (Go 1.20/1.21): WithCancelCause returns a
// CancelCauseFunc, WithTimeoutCause and WithDeadlineCause a CancelFunc.

var errShutdown = errors.New("shutting down")

// bad: WithCancelCause's CancelCauseFunc discarded.
func causeDiscard(parent context.Context) context.Context {
	ctx, _ := context.WithCancelCause(parent) // want "GL002"
	return ctx
}

// bad: WithTimeoutCause — cancel only on the success path.
func timeoutCauseOneBranch(parent context.Context) error {
	ctx, cancel := context.WithTimeoutCause(parent, time.Second, errShutdown) // want "GL002"
	if err := ping(ctx); err != nil {
		return err
	}
	cancel()
	return nil
}

// bad: WithDeadlineCause discarded with the `var` form.
func deadlineCauseDiscard(parent context.Context) {
	var ctx, _ = context.WithDeadlineCause(parent, time.Now().Add(time.Second), errShutdown) // want "GL002"
	apiCall(ctx)
}

// ok: WithCancelCause — `defer cancel(nil)`.
func causeDeferred(parent context.Context) error {
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	return ping(ctx)
}

// ok: WithCancelCause — the cause function is called with an error on the
// failure path and with nil on the success path.
func causeEveryPath(parent context.Context) error {
	ctx, cancel := context.WithCancelCause(parent)
	if err := ping(ctx); err != nil {
		cancel(err)
		return err
	}
	cancel(nil)
	return nil
}

// ok: WithDeadlineCause — deferred.
func deadlineCauseDeferred(parent context.Context) error {
	ctx, cancel := context.WithDeadlineCause(parent, time.Now().Add(time.Minute), errShutdown)
	defer cancel()
	return ping(ctx)
}
