package gl008

// A channel handed back by a call that was given the context: the callee is
// the channel's partner, and it is the one that watches ctx.

import (
	"context"
	"errors"
)

type jobQueue struct {
	base  context.Context
	names []string
}

func newJobQueue(base context.Context) *jobQueue { return &jobQueue{base: base} }

// watch reports the job's exit code, or closes the channel once ctx or the
// queue's own context is done.
func (q *jobQueue) watch(ctx context.Context, name string) (<-chan int, error) {
	if name == "" {
		return nil, errors.New("no job name")
	}
	states := make(chan int)
	go func() {
		defer close(states)
		select {
		case <-ctx.Done():
		case <-q.base.Done():
		case states <- len(name):
		}
	}()
	return states, nil
}

// ok: `states` comes from q.watch(ctx, …): cancelling ctx makes watch close
// it, which ends the goroutine's receive — whatever other context (the
// queue's) is in scope.
func followJob(report func(int)) {
	base, stopAll := context.WithCancel(context.Background())
	defer stopAll()
	q := newJobQueue(base)
	ctx, cancel := context.WithCancel(context.Background())
	states, err := q.watch(ctx, "build")
	if err != nil {
		cancel()
		return
	}
	go func() {
		report(<-states)
	}()
	cancel()
}
