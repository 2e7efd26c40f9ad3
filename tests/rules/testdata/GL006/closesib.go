package gl006

import "context"

// ok: the other case waits for a channel the same goroutine closes only after
// its send (deferred): when it fires, the send has already completed (or was
// never made).
func resultOrDone(ctx context.Context) int {
	res := make(chan int)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if ctx.Err() != nil {
			return
		}
		res <- compute()
	}()
	select {
	case v := <-res:
		return v
	case <-done:
		return 0
	}
}

// bad: the goroutine closes done before it sends: the caller can take the
// done case and leave the send behind.
func doneBeforeSend(ctx context.Context) int {
	res := make(chan int)
	done := make(chan struct{})
	go func() {
		close(done)
		res <- compute() // want "GL006"
	}()
	select {
	case v := <-res:
		return v
	case <-done:
		return 0
	}
}
