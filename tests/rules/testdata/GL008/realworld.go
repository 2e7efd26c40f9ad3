package gl008

import (
	"context"
	"io"
	"net/http"
)

// bad: modelled on etcd's leasehttp fix ("buffer error channel to prevent
// goroutine leak"): the caller returns on ctx.Done(), the goroutine's send
// on the unbuffered error channel then blocks forever.
func timeToLive(ctx context.Context, cc *http.Client, req *http.Request) ([]byte, error) {
	errc := make(chan error)
	var body []byte
	go func() {
		resp, err := cc.Do(req)
		if err != nil {
			errc <- err // want "GL008"
			return
		}
		body, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		errc <- err
	}()
	select {
	case err := <-errc:
		return body, err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// bad: a producer feeding the channel it returns; the consumer stops reading
// when its context is cancelled and the producer blocks on the next send.
func produce(ctx context.Context, items []string) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		for _, it := range items {
			out <- it // want "GL008"
		}
	}()
	return out
}

// ok: the same producer with a select on ctx.Done() around each send.
func produceOK(ctx context.Context, items []string) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		for _, it := range items {
			select {
			case out <- it:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

type replica struct {
	chans []chan bool
}

// bad: modelled on GoKer cockroach#10790 — when the context is done, a
// goroutine is left to drain the command channels, but their senders stop
// on the same context: it blocks on the first receive forever.
func (r *replica) beginCmds(ctx context.Context) {
	for _, ch := range r.chans {
		select {
		case <-ch:
		case <-ctx.Done():
			go func() {
				for _, c := range r.chans {
					<-c // want "GL008"
				}
			}()
			return
		}
	}
}

// ok: the sending side of the same protocol selects on ctx.Done().
func (r *replica) sendChans(ctx context.Context) {
	for _, ch := range r.chans {
		select {
		case ch <- true:
		case <-ctx.Done():
			return
		}
	}
}
