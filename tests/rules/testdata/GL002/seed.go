// Package gl002 specifies GL002 (lost-cancel) by example.
//
// Contract (go vet analysistest style): a line that must be reported ends
// with a want comment naming GL002; every other line must stay silent.
//
// Cases: each case opens with a top-level comment "// bad: …" (it holds at
// least one want) or "// ok: …" (it holds none) and runs until the next such
// comment in the same file. Helpers after a case belong to it.
//
// GL002 is reported on the line of the context.With… call. Unlike vet, which
// also reports the return statement reached without a cancel, GL002 reports
// one finding per leak.
//
// What counts as a use of the cancel variable (as in vet's lostcancel): a
// call, defer, go, being passed as an argument, returned (including a naked
// return of a named result), stored (assigned to a field, a global, a
// composite literal), or captured by a function literal. vet.go carries vet's
// own testdata cases.
package gl002

import (
	"context"
	"errors"
	"time"
)

func apiCall(ctx context.Context) { <-ctx.Done() }

func ping(ctx context.Context) error { return ctx.Err() }

// bad: seed §1.2 without the `defer cancel()` — the cancel function is
// dropped, so the context and its timer outlive fetchWithTimeout. (With `:=`
// an unused cancel would not compile; `_` is how this bug looks in real code.)
func fetchWithTimeout() {
	ctx, _ := context.WithTimeout(context.Background(), 5*time.Second) // want "GL002"
	go apiCall(ctx)
}

// ok: seed §1.2 as written — defer cancel().
func fetchWithTimeoutFixed() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go apiCall(ctx)
}

// bad: seed §2.3 — a context derived for a worker; the early return on a bad
// id comes before the `defer cancel()`, so that path leaks the context.
func startWorker(parent context.Context, id int) error {
	ctx, cancel := context.WithCancel(parent) // want "GL002"
	if id < 0 {
		return errors.New("bad id")
	}
	defer cancel()
	go apiCall(ctx)
	return nil
}

// ok: seed §2.3 fixed — defer right after the call.
func startWorkerFixed(parent context.Context, id int) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	if id < 0 {
		return errors.New("bad id")
	}
	go apiCall(ctx)
	return nil
}
