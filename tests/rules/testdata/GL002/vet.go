package gl002

import (
	"context"
	"log"
	"os"
	"testing"
	"time"
)

// The cases of go vet's lostcancel testdata (golang.org/x/tools
// go/analysis/passes/lostcancel/testdata/src/a/a.go), rewritten as named
// functions. GL002 must agree with vet on every one of them.

var bg = context.Background()

var condition bool

var someInt int

// bad: vet — `var` form; the only reference to cancel is on one branch.
func varFormOneBranch() {
	var _, cancel = context.WithCancel(bg) // want "GL002"
	if false {
		_ = cancel
	}
}

// bad: vet — `:=` form with WithDeadline; a reference on one branch only.
func deadlineOneBranch() {
	_, cancel2 := context.WithDeadline(bg, time.Time{}) // want "GL002"
	if condition {
		cancel2()
	}
}

// bad: vet — plain `=` into a variable declared earlier.
func assignFormOneBranch() {
	var cancel3 func()
	_, cancel3 = context.WithTimeout(bg, 0) // want "GL002"
	if condition {
		cancel3()
	}
}

// bad: vet — the cancel function is discarded with `_`, in each of the three
// assignment forms (one finding per call line).
func discarded() {
	ctx, _ := context.WithCancel(bg)                    // want "GL002"
	ctx, _ = context.WithTimeout(bg, 0)                 // want "GL002"
	var ctx2, _ = context.WithDeadline(bg, time.Time{}) // want "GL002"
	_, _ = ctx, ctx2
}

// ok: vet — defer cancel().
func deferred() {
	_, cancel := context.WithCancel(bg)
	defer cancel()
}

// bad: vet — cancel on one branch, then an explicit return.
func explicitReturn() {
	_, cancel := context.WithCancel(bg) // want "GL002"
	if condition {
		cancel()
	}
	return
}

// ok: vet — the else branch never ends (infinite loop), so every path that
// returns has called cancel.
func infiniteElse() {
	_, cancel := context.WithCancel(bg)
	if condition {
		cancel()
	} else {
		for {
			print(0)
		}
	}
}

// bad: vet — same shape, but the loop in the else branch is bounded.
func boundedElse() {
	_, cancel := context.WithCancel(bg) // want "GL002"
	if condition {
		cancel()
	} else {
		for i := 0; i < 10; i++ {
			print(0)
		}
	}
}

// ok: vet — every switch case calls cancel or never returns: t.FailNow ends
// the goroutine, log.Fatal and os.Exit end the process, and case 3 falls
// through into os.Exit.
func switchAllPaths() {
	_, cancel := context.WithCancel(bg)
	switch someInt {
	case 0:
		new(testing.T).FailNow()
	case 1:
		log.Fatal()
	case 2:
		cancel()
	case 3:
		print("hi")
		fallthrough
	default:
		os.Exit(1)
	}
}

// bad: vet — case 3 falls out of the switch to the implicit return.
func switchFallsOut() {
	_, cancel := context.WithCancel(bg) // want "GL002"
	switch someInt {
	case 0:
		new(testing.T).FailNow()
	case 1:
		log.Fatal()
	case 2:
		cancel()
	case 3:
		print("hi")
	default:
		os.Exit(1)
	}
}

// bad: vet — one select case falls out to the implicit return.
func selectFallsOut(ch chan int) {
	_, cancel := context.WithCancel(bg) // want "GL002"
	select {
	case <-ch:
		new(testing.T).FailNow()
	case ch <- 2:
		print("hi")
	case ch <- 1:
		cancel()
	default:
		os.Exit(1)
	}
}

// ok: vet — a blocking select must run one of its cases, and the only case
// panics: the code after it (and the implicit return) is unreachable.
func blockingSelectPanics(ch chan int) {
	_, cancel := context.WithCancel(bg)
	select {
	case <-ch:
		panic(0)
	}
	if false {
		_ = cancel
	}
}

// bad: vet — inside a goroutine's function literal; each function literal is
// analysed on its own.
func inGoroutine() {
	go func() {
		ctx, cancel := context.WithCancel(bg) // want "GL002"
		if false {
			_ = cancel
		}
		print(ctx)
	}()
}

// ok: vet (Go issue 16230) — a naked return of named results returns cancel.
func namedResults() (ctx context.Context, cancel func()) {
	ctx, cancel = context.WithCancel(bg)
	return
}

// ok: vet (Go issue 16230) — the same in a function literal.
var namedResultsLit = func() (ctx context.Context, cancel func()) {
	ctx, cancel = context.WithCancel(bg)
	return
}

// ok: vet (Go issue 31856) — cancel is declared outside the closure that
// assigns it, and called after the closure ran.
func assignedInClosure() {
	var cancel func()

	func() {
		_, cancel = context.WithCancel(bg)
	}()

	cancel()
}
