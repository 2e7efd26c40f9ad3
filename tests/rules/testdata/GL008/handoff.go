package gl008

import (
	"context"
	"fmt"
)

const batchSlots = 4

// bad: the producer goroutine hands ctx to a same-package helper that never
// looks at it and pushes more items than the buffer holds; the forwarding loop
// walks away when ctx is cancelled, so the helper stays stuck on a full
// channel (modelled on cockroach#18101). Reported at the send in the helper.
func importSpans(ctx context.Context, spans []int, out chan<- int) {
	ready := make(chan int, batchSlots)
	go func() {
		defer close(ready)
		scatterSpans(ctx, spans, ready)
	}()
	for n := range ready {
		select {
		case out <- n:
		case <-ctx.Done():
			return
		}
	}
}

func scatterSpans(ctx context.Context, spans []int, ready chan int) {
	for _, s := range spans {
		ready <- s // want "GL008"
	}
}

// ok: the fixed helper selects on ctx.Done() around each send, so the producer
// returns when the forwarding loop walks away.
func importSpansFixed(ctx context.Context, spans []int, out chan<- int) {
	ready := make(chan int, batchSlots)
	go func() {
		defer close(ready)
		scatterSpansFixed(ctx, spans, ready)
	}()
	for n := range ready {
		select {
		case out <- n:
		case <-ctx.Done():
			return
		}
	}
}

func scatterSpansFixed(ctx context.Context, spans []int, ready chan int) {
	for _, s := range spans {
		select {
		case ready <- s:
		case <-ctx.Done():
			return
		}
	}
}

// ok: the helper ignores ctx, but the launcher drains the channel to the end
// (it never walks away): the partner is in view, whether it can be skipped is
// GL006's question.
func importAll(ctx context.Context, spans []int) int {
	ready := make(chan int, batchSlots)
	go func() {
		defer close(ready)
		scatterSpans(ctx, spans, ready)
	}()
	total := 0
	for n := range ready {
		total += n
	}
	return total
}

// ok: the helper declares its context parameter blank: ignored on purpose.
func importBlank(ctx context.Context, spans []int, out chan int) {
	go func() {
		scatterBlank(ctx, spans, out)
	}()
}

func scatterBlank(_ context.Context, spans []int, out chan int) {
	for _, s := range spans {
		out <- s
	}
}

type feeder struct {
	events chan string
}

// bad: a named goroutine passes its ctx on to a method of the same package
// that ignores it and blocks on a struct field channel (one call level is
// followed). Reported inside the method.
func (f *feeder) Run(ctx context.Context) {
	go f.loop(ctx)
}

func (f *feeder) loop(ctx context.Context) {
	f.publish(ctx, "start")
}

func (f *feeder) publish(ctx context.Context, ev string) {
	f.events <- ev // want "GL008"
}

// ok: the method the goroutine calls really uses the context it is given.
func (f *feeder) RunWatched(ctx context.Context) {
	go func() {
		f.publishWatched(ctx, "start")
	}()
}

func (f *feeder) publishWatched(ctx context.Context, ev string) {
	select {
	case f.events <- ev:
	case <-ctx.Done():
		fmt.Println("cancelled before", ev)
	}
}

// bad: a generator closure sends every value on a local channel without
// watching ctx; the consuming range loop returns on cancellation and strands
// the generator on its next send.
func squares(ctx context.Context, n int, out chan<- int) {
	vals := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			vals <- i * i // want "GL008"
		}
		close(vals)
	}()
	for v := range vals {
		select {
		case out <- v:
		case <-ctx.Done():
			return
		}
	}
}

// ok: the closure sends a single value: the range loop takes it before it can
// walk away (the loop itself waiting for a close is GL001's question).
func firstSquare(ctx context.Context, n int, out chan<- int) {
	vals := make(chan int)
	go func() {
		vals <- n * n
	}()
	for v := range vals {
		select {
		case out <- v:
		case <-ctx.Done():
			return
		}
	}
}
