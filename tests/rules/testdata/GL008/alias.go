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
