package gl006

import (
	"context"
	"time"
)

const workers = 3

// ok: three goroutines from a constant-bound loop, one send each, into a
// buffer of three: every send finds room even when nobody receives.
func constLoopFits(ctx context.Context) error {
	errc := make(chan error, 3)
	for i := 0; i < workers; i++ {
		go func() { errc <- validate(i) }()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ok: a goroutine per element of a literal slice, buffer of the same size.
func literalSliceFits(ctx context.Context) error {
	names := []string{"a", "b"}
	errc := make(chan error, 2)
	for _, n := range names {
		go func() { errc <- process(n) }()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ok: two sends per goroutine, len(items) goroutines, 2*len(items) slots.
func twoSendsEachFit(ctx context.Context, items []string) error {
	errc := make(chan error, 2*len(items))
	for _, it := range items {
		go func() {
			errc <- process(it)
			errc <- process(it + "!")
		}()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ok: one goroutine that sends at most twice on any path (either branch),
// a buffer of two.
func twoSendsOnePathFit(ctx context.Context, fast bool) error {
	errc := make(chan error, workers-1)
	go func() {
		if fast {
			errc <- validate(1)
			errc <- validate(2)
		} else {
			errc <- validate(3)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ok: range over an integer constant (Go 1.22) starts exactly workers
// goroutines.
func rangeIntFits(ctx context.Context) error {
	errc := make(chan error, workers)
	for i := range workers {
		go func() { errc <- validate(i) }()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// bad: a buffer of two, but two goroutines send twice each: once the caller
// gives up, two of the four values have no room.
func twoSendsEachOverflow(ctx context.Context) error {
	errc := make(chan error, 2)
	for i := 0; i < 2; i++ {
		go func() {
			errc <- validate(i)     // want "GL006"
			errc <- validate(i + 1) // want "GL006"
		}()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// bad: one goroutine, two sends, one slot: the first value always fits, the
// second blocks once the caller has given up.
func oneGoroutineTwoSends(ctx context.Context) (int, error) {
	vals := make(chan int, 1)
	go func() {
		vals <- compute()
		vals <- compute() // want "GL006"
	}()
	select {
	case v := <-vals:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// bad: four goroutines from a literal slice, three slots.
func literalSliceOverflow(ctx context.Context) error {
	errc := make(chan error, 3)
	for _, n := range []string{"a", "b", "c", "d"} {
		go func() { errc <- process(n) }() // want "GL006"
	}
	select {
	case err := <-errc:
		return err
	case <-time.After(time.Second):
		return nil
	}
}

// ok: a fresh one-slot channel per iteration, one goroutine and one send
// each: the loop around both does not multiply the senders of a channel.
func retryHandshake(ctx context.Context, attempts []string) error {
	for _, a := range attempts {
		errc := make(chan error, 1)
		go func() { errc <- process(a) }()
		select {
		case err := <-errc:
			if err == nil {
				return nil
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// ok: the ranged slice is built by a constant-bound loop of appends: at most
// three goroutines for three slots.
func appendedFits(ctx context.Context) error {
	var names []string
	const n = 3
	for i := 0; i < n; i++ {
		names = append(names, string(rune('a'+i)))
	}
	errc := make(chan error, n)
	for _, name := range names {
		go func() { errc <- process(name) }()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// low confidence only: a buffer of two for goroutines started per element
// of a slice received from elsewhere, whose length the analysis cannot
// bound; the author may well know it is at most two.
func sizedByCaller(ctx context.Context, pairs <-chan []string) error {
	errc := make(chan error, 2)
	for _, p := range <-pairs {
		go func() { errc <- process(p) }()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
