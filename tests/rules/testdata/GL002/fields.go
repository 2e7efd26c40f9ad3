package gl002

import (
	"context"
	"sync"
	"time"
)

// Beyond vet: a cancel assigned straight into a struct field (`ctx, s.cancel =
// context.With…(…)`). vet skips these; GL002 reports the call when no code in
// the package calls, passes or returns that field (resolved through the
// struct type, not the field name). Writing the field (`c.cancel = nil`) or
// comparing it is not a use.

// Server's Stop method, which calls s.cancel, lives in fields_stop.go.
type Server struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// ok: s.cancel is called in Server.Stop, in another file.
func (s *Server) Start(parent context.Context) {
	s.ctx, s.cancel = context.WithCancel(parent)
	go apiCall(s.ctx)
}

type Poller struct {
	ctx      context.Context
	cancel   context.CancelFunc
	interval time.Duration
}

// bad: p.cancel is never called, passed or returned anywhere in the package.
// Server.Stop calls a field that is also named cancel, on another type.
func (p *Poller) Start(parent context.Context) {
	p.ctx, p.cancel = context.WithTimeout(parent, p.interval) // want "GL002"
	go apiCall(p.ctx)
}

type Conn struct {
	cancel context.CancelFunc
}

// bad: a local ctx and the field: `ctx, c.cancel = …`; reset only writes the
// field (assigning nil drops the cancel function, it does not call it).
func (c *Conn) dial(parent context.Context) {
	var ctx context.Context
	ctx, c.cancel = context.WithCancel(parent) // want "GL002"
	go apiCall(ctx)
}

func (c *Conn) reset() { c.cancel = nil }

type Watcher struct {
	cancel context.CancelFunc
	once   sync.Once
}

// ok: the field is passed as a value (`w.once.Do(w.cancel)`) in Close.
func (w *Watcher) Watch(parent context.Context) {
	var ctx context.Context
	ctx, w.cancel = context.WithCancel(parent)
	go apiCall(ctx)
}

func (w *Watcher) Close() { w.once.Do(w.cancel) }

type Job struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// ok: the field is returned by an accessor.
func (j *Job) begin(parent context.Context) {
	j.ctx, j.cancel = context.WithDeadline(parent, time.Now().Add(time.Minute))
}

func (j *Job) CancelFunc() context.CancelFunc { return j.cancel }

type Task struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
}

// ok: the field is read back into a local and called, in Task.Finish
// (fields_stop.go).
func (t *Task) run(parent context.Context) {
	t.ctx, t.cancel = context.WithCancelCause(parent)
	go apiCall(t.ctx)
}

type Ticket struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// bad: WithTimeoutCause into a field that is never used.
func (t *Ticket) open(parent context.Context) {
	t.ctx, t.cancel = context.WithTimeoutCause(parent, time.Second, context.DeadlineExceeded) // want "GL002"
}
