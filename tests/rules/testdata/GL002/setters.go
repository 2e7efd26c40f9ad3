package gl002

import (
	"context"
	"errors"
	"sync"

	"example.com/gl002/relay"
)

// Cancel funcs parked in a struct through a setter method (`s.setCancel(cancel)`): the method stores
// its parameter into a field of its receiver, which parks the cancel exactly like `s.cancel = cancel`.

type stream struct {
	cancel context.CancelFunc
	id     int
}

func (s *stream) setCancel(c context.CancelFunc) { s.cancel = c }

func (s *stream) Close() { s.cancel() }

func (s *stream) pump(ctx context.Context) {
	<-ctx.Done()
}

// bad: the error return drops s, which holds the only cancel func (parked by setCancel).
func openStream(ctx context.Context, id int) (*stream, error) {
	ctx, cancel := context.WithCancel(ctx)
	s := &stream{id: id}
	s.setCancel(cancel)
	go s.pump(ctx)
	if err := register(id); err != nil {
		return nil, err // want "GL002"
	}
	return s, nil
}

// ok: the error path closes the stream (its Close calls the parked cancel).
func openStreamClosed(ctx context.Context, id int) (*stream, error) {
	ctx, cancel := context.WithCancel(ctx)
	s := &stream{id: id}
	s.setCancel(cancel)
	go s.pump(ctx)
	if err := register(id); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// bad: s never leaves the function: nothing can call the cancel parked in it.
func pumpOnce(ctx context.Context, id int) {
	ctx, cancel := context.WithCancel(ctx)
	s := &stream{id: id}
	s.setCancel(cancel)
	go s.pump(ctx) // want "GL002"
}

// ok: the stream is closed when the function returns.
func pumpOnceClosed(ctx context.Context, id int) {
	ctx, cancel := context.WithCancel(ctx)
	s := &stream{id: id}
	s.setCancel(cancel)
	defer s.Close()
	go s.pump(ctx)
}

// hookRegistry keeps the cancel under its lock; Register stores it like a plain setter.
type hookRegistry struct {
	mu     sync.Mutex
	cancel context.CancelFunc
	name   string
}

func (r *hookRegistry) Register(c context.CancelFunc) {
	r.mu.Lock()
	r.cancel = c
	r.mu.Unlock()
}

func (r *hookRegistry) Shutdown() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cancel()
}

func (r *hookRegistry) watch(ctx context.Context) {
	<-ctx.Done()
}

func (r *hookRegistry) check() error {
	if r.name == "" {
		return errors.New("registry: no name")
	}
	return nil
}

// bad: the cancel is registered in r; the error return drops r.
func newHookRegistry(parent context.Context, name string) (*hookRegistry, error) {
	ctx, cancel := context.WithCancel(parent)
	r := &hookRegistry{name: name}
	r.Register(cancel)
	go r.watch(ctx)
	if err := r.check(); err != nil {
		return nil, err // want "GL002"
	}
	return r, nil
}

// ok: Shutdown on the error path.
func newHookRegistryChecked(parent context.Context, name string) (*hookRegistry, error) {
	ctx, cancel := context.WithCancel(parent)
	r := &hookRegistry{name: name}
	r.Register(cancel)
	go r.watch(ctx)
	if err := r.check(); err != nil {
		r.Shutdown()
		return nil, err
	}
	return r, nil
}

// ticker parks the cancel in its own field through a setter; the only call of that field is made by
// the goroutine itself, after the wait it should end.
type ticker struct {
	cancel context.CancelFunc
}

func (t *ticker) setCancel(c context.CancelFunc) { t.cancel = c }

func (t *ticker) run(ctx context.Context) {
	<-ctx.Done()
	t.cancel()
}

// bad: nothing but run (after its wait) calls t.cancel.
func (t *ticker) start(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	t.setCancel(cancel)
	go t.run(ctx) // want "GL002"
}

type clock struct {
	cancel context.CancelFunc
}

func (c *clock) setCancel(f context.CancelFunc) { c.cancel = f }

func (c *clock) run(ctx context.Context) {
	<-ctx.Done()
}

// ok: Stop, callable by anyone, calls the parked cancel.
func (c *clock) start(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	c.setCancel(cancel)
	go c.run(ctx)
}

func (c *clock) Stop() { c.cancel() }

// Through another package's setter: relay.Session.SetCancel parks the cancel in the session.

// bad: the error return drops s, the session holding the only cancel func of Serve's context.
func dialChecked(parent context.Context, addr string) (*relay.Session, error) {
	ctx, cancel := context.WithCancel(parent)
	s := relay.NewSession(addr)
	s.SetCancel(cancel)
	go s.Serve(ctx)
	if addr == "localhost" {
		return nil, errors.New("dial: loopback refused") // want "GL002"
	}
	return s, nil
}

// ok: the session is closed before the error return.
func dialCheckedClosed(parent context.Context, addr string) (*relay.Session, error) {
	ctx, cancel := context.WithCancel(parent)
	s := relay.NewSession(addr)
	s.SetCancel(cancel)
	go s.Serve(ctx)
	if addr == "localhost" {
		s.Close()
		return nil, errors.New("dial: loopback refused")
	}
	return s, nil
}

// bad: relay.Dial parks its cancel through the setter and starts Serve; the statement drops it.
func dialAndForget(ctx context.Context) {
	relay.Dial(ctx, "example.com:80") // want "GL002"
}

// ok: the session is kept and closed.
func dialAndClose(ctx context.Context) error {
	s, err := relay.Dial(ctx, "example.com:80")
	if err != nil {
		return err
	}
	defer s.Close()
	return nil
}

// pipe parks the cancel through one setter that hands it to another.
type pipe struct {
	mu     sync.Mutex
	cancel context.CancelFunc
	name   string
}

func (p *pipe) Attach(c context.CancelFunc) { p.attach(c) }

func (p *pipe) attach(c context.CancelFunc) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cancel = c
}

func (p *pipe) flow(ctx context.Context) {
	<-ctx.Done()
}

func (p *pipe) check() error {
	if p.name == "" {
		return errors.New("pipe: no name")
	}
	return nil
}

// bad: Attach parks the cancel in p (through attach); the error return drops p.
func openPipe(parent context.Context, name string) (*pipe, error) {
	ctx, cancel := context.WithCancel(parent)
	p := &pipe{name: name}
	p.Attach(cancel)
	go p.flow(ctx)
	if err := p.check(); err != nil {
		return nil, err // want "GL002"
	}
	return p, nil
}

// ok: the local cancel is called on the error path.
func openPipeCancelled(parent context.Context, name string) (*pipe, error) {
	ctx, cancel := context.WithCancel(parent)
	p := &pipe{name: name}
	p.Attach(cancel)
	go p.flow(ctx)
	if err := p.check(); err != nil {
		cancel()
		return nil, err
	}
	return p, nil
}

// bad: Handshake, a method of the other package's Session, never reaches its cancel func; the error
// return after it drops s.
func dialShaken(parent context.Context, addr string) (*relay.Session, error) {
	ctx, cancel := context.WithCancel(parent)
	s := relay.NewSession(addr)
	s.SetCancel(cancel)
	go s.Serve(ctx)
	if err := s.Handshake(); err != nil {
		return nil, err // want "GL002"
	}
	return s, nil
}

// ok: Abort reaches the cancel func (through Close) before the error return.
func dialShakenAborted(parent context.Context, addr string) (*relay.Session, error) {
	ctx, cancel := context.WithCancel(parent)
	s := relay.NewSession(addr)
	s.SetCancel(cancel)
	go s.Serve(ctx)
	if err := s.Handshake(); err != nil {
		s.Abort(err.Error())
		return nil, err
	}
	return s, nil
}

// bad: the session never leaves the function: nothing can cancel Serve's context.
func serveOnce(parent context.Context, addr string) {
	ctx, cancel := context.WithCancel(parent)
	s := relay.NewSession(addr)
	s.SetCancel(cancel)
	go s.Serve(ctx) // want "GL002"
}

// ok: the session is closed when the function returns.
func serveOnceClosed(parent context.Context, addr string) {
	ctx, cancel := context.WithCancel(parent)
	s := relay.NewSession(addr)
	s.SetCancel(cancel)
	defer s.Close()
	go s.Serve(ctx)
}
