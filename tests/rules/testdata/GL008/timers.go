package gl008

import (
	"context"
	"fmt"
	"time"
)

// bad: a ticker never stops on its own: this loop outlives ctx.
func tickerLoop(ctx context.Context, every time.Duration) {
	ticker := time.NewTicker(every)
	go func() {
		for range ticker.C { // want "GL008"
			fmt.Println("refresh")
		}
	}()
}

// bad: the caller gives up on ctx.Done(), but the goroutine's send on the
// unbuffered channel has nobody left to receive it (the context-specific
// abandoned sender).
func firstResult(ctx context.Context) (string, error) {
	ch := make(chan string)
	go func() {
		ch <- compute() // want "GL008"
	}()
	select {
	case s := <-ch:
		return s, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// ok: the launcher always receives the result: the local hand-off has its
// partner on every path (and no context is involved in ending it).
func joinResult(ctx context.Context) string {
	ch := make(chan string)
	go func() {
		ch <- compute()
	}()
	s := <-ch
	_ = ctx
	return s
}

// ok: a select whose only cases are a timeout and a local stop channel has
// a way out that does not depend on ctx.
func withTimeout(ctx context.Context, stop chan struct{}) {
	done := make(chan struct{})
	go func() {
		select {
		case <-time.After(time.Second):
		case <-done:
		}
	}()
	close(done)
	_ = ctx
}

// ok: the channel is declared first and made buffered later (every
// assignment has room for the one send), as in net's lookup code.
func lateBuffered(ctx context.Context) (string, error) {
	var ch chan string
	if ctx.Err() == nil {
		ch = make(chan string, 1)
		go func() {
			ch <- compute()
		}()
	}
	select {
	case s := <-ch:
		return s, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// bad: nothing but the goroutine ever touches its local channel: only ctx
// could end the wait, and the goroutine ignores it.
func orphanWait(ctx context.Context) {
	ready := make(chan struct{})
	go func() {
		<-ready // want "GL008"
		fmt.Println("ready")
	}()
}

// ok: two goroutines hand off over a local channel; each side has its
// partner in view (and the consumer ends when the producer closes it).
func pairedGoroutines(ctx context.Context, items []int) {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for _, it := range items {
			ch <- it
		}
	}()
	go func() {
		for v := range ch {
			fmt.Println(v)
		}
	}()
}
