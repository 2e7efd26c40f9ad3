package gl008

import (
	ctxpkg "context"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// bad: the context package under an alias is still a context.Context.
func aliased(c ctxpkg.Context, tick chan struct{}) {
	go func() {
		for {
			select { // want "GL008"
			case <-tick:
				fmt.Println("tick")
			}
		}
	}()
	_ = c
}

// bad: ctx := r.Context() is a local context.Context; the goroutine sleeps
// past the request without looking at it.
func fromRequest(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	go func() {
		time.Sleep(time.Minute) // want "GL008"
		fmt.Println("late")
	}()
	fmt.Fprintln(w, ctx.Err())
}

// bad: sync.Cond.Wait blocks until someone signals; ctx is never consulted.
func condWait(ctx ctxpkg.Context, c *sync.Cond, ready *bool) {
	go func() {
		c.L.Lock()
		for !*ready {
			c.Wait() // want "GL008"
		}
		c.L.Unlock()
	}()
}

// ok: a local called ctx that is not a context.Context (types, not names).
func notAContext(jobs chan int) {
	ctx := &fakeCtx{}
	go func() {
		<-jobs
		ctx.n++
	}()
}

type fakeCtx struct{ n int }

// ok: the context is handed to another goroutine, which watches it.
func handsOn(ctx ctxpkg.Context, out chan int) {
	go func() {
		go watch(ctx, out)
		out <- 1
	}()
}

func watch(ctx ctxpkg.Context, out chan int) {
	select {
	case <-ctx.Done():
	case v := <-out:
		fmt.Println(v)
	}
}

// bad: the goroutine builds its own context from Background and passes
// that on: the caller's c is still ignored while it blocks on the send.
func ownBackground(c ctxpkg.Context, out chan string) {
	go func() {
		bg := ctxpkg.Background()
		out <- describe(bg) // want "GL008"
	}()
}

func describe(c ctxpkg.Context) string { return fmt.Sprint(c) }

type conn struct {
	mu      sync.Mutex
	cond    *sync.Cond
	streams int
}

// ok: as in net/http's HTTP/2 Shutdown — the launcher watches ctx itself
// and wakes the waiting goroutine with Broadcast when it is cancelled.
func (cc *conn) Shutdown(ctx ctxpkg.Context) error {
	done := make(chan struct{})
	cancelled := false
	go func() {
		cc.mu.Lock()
		defer cc.mu.Unlock()
		for cc.streams > 0 && !cancelled {
			cc.cond.Wait()
		}
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		cc.mu.Lock()
		cancelled = true
		cc.cond.Broadcast()
		cc.mu.Unlock()
		return ctx.Err()
	}
}
