package gl002

import (
	"context"
	"errors"
)

// Cancel funcs parked in a struct while a goroutine waits on the context's Done.

type watcher struct {
	cancel context.CancelFunc
	events chan int
}

func (w *watcher) shutdown() {
	w.cancel()
}

func (w *watcher) wait(ctx context.Context) {
	<-ctx.Done()
	w.shutdown()
}

// bad: the only call of w.cancel runs inside the goroutine, after the wait it should end.
func (w *watcher) start(ctx context.Context) {
	ctx, w.cancel = context.WithCancel(ctx)
	go w.wait(ctx) // want "GL002"
}

type follower struct {
	cancel context.CancelFunc
}

func (f *follower) follow(ctx context.Context) {
	<-ctx.Done()
}

// ok: Stop (callable by anyone) cancels the context.
func (f *follower) start(ctx context.Context) {
	ctx, f.cancel = context.WithCancel(ctx)
	go f.follow(ctx)
}

func (f *follower) Stop() { f.cancel() }

type rpcSession struct {
	cancel context.CancelFunc
	id     int
}

func (s *rpcSession) Close() { s.cancel() }

func (s *rpcSession) keepalive(ctx context.Context) {
	<-ctx.Done()
}

func register(id int) error {
	if id < 0 {
		return errors.New("negative id")
	}
	return nil
}

// bad: the error return drops s, the only holder of the cancel func.
func openRPCSession(ctx context.Context, id int) (*rpcSession, error) {
	ctx, cancel := context.WithCancel(ctx)
	s := &rpcSession{cancel: cancel, id: id}
	go s.keepalive(ctx)
	if err := register(id); err != nil {
		return nil, err // want "GL002"
	}
	return s, nil
}

// ok: the error path cancels before dropping s.
func openRPCSessionChecked(ctx context.Context, id int) (*rpcSession, error) {
	ctx, cancel := context.WithCancel(ctx)
	s := &rpcSession{cancel: cancel, id: id}
	go s.keepalive(ctx)
	if err := register(id); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

type lease struct {
	cancel context.CancelFunc
}

func (l *lease) Release() { l.cancel() }

func (l *lease) expire(ctx context.Context) {
	<-ctx.Done()
}

// bad: the caller below discards the lease, and with it the only cancel func.
func grant(ctx context.Context) *lease {
	ctx, cancel := context.WithCancel(ctx)
	l := &lease{cancel: cancel}
	go l.expire(ctx) // want "GL002"
	return l
}

func renewOnce(ctx context.Context) {
	grant(ctx)
}

type ticket struct {
	cancel context.CancelFunc
}

func (t *ticket) Release() { t.cancel() }

func (t *ticket) expire(ctx context.Context) {
	<-ctx.Done()
}

// ok: every caller keeps the ticket and releases it.
func issue(ctx context.Context) *ticket {
	ctx, cancel := context.WithCancel(ctx)
	t := &ticket{cancel: cancel}
	go t.expire(ctx)
	return t
}

func useTicket(ctx context.Context) {
	t := issue(ctx)
	defer t.Release()
}

var _ = renewOnce
var _ = useTicket
