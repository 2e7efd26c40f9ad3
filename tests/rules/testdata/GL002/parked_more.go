package gl002

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"example.com/gl002/relay"
)

// More cancel funcs parked in a struct that an error return drops while a goroutine waits on Done.

type poller struct {
	cancel context.CancelFunc
	ticks  chan time.Time
	url    string
}

func (p *poller) prepare() error {
	if p.url == "" {
		return errors.New("poller: no url")
	}
	return nil
}

// loop leaves only when its context is done: the tick case only sends.
func (p *poller) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case p.ticks <- time.Now():
		}
	}
}

func (p *poller) Stop() { p.cancel() }

// bad: the struct literal parks cancel; prepare fails after the loop started.
func startPoller(parent context.Context, url string) (*poller, error) {
	ctx, cancel := context.WithCancel(parent)
	p := &poller{cancel: cancel, url: url, ticks: make(chan time.Time)}
	go p.loop(ctx)
	if err := p.prepare(); err != nil {
		return nil, err // want "GL002"
	}
	return p, nil
}

// bad: assigned into the field after the fact, with a timeout context.
func startPollerTimeout(parent context.Context, url string) (*poller, error) {
	p := &poller{url: url, ticks: make(chan time.Time)}
	ctx, cancel := context.WithTimeout(parent, time.Hour)
	p.cancel = cancel
	go p.loop(ctx)
	if err := p.prepare(); err != nil {
		return nil, err // want "GL002"
	}
	return p, nil
}

// bad: a wrapper literal parks the cause-cancel; the goroutine is a literal.
func startPollerCause(parent context.Context, url string) (*poller, error) {
	ctx, cancel := context.WithCancelCause(parent)
	p := &poller{cancel: func() { cancel(errors.New("stopped")) }, url: url}
	go func() {
		<-ctx.Done()
		fmt.Fprintln(os.Stderr, "poller stopped:", context.Cause(ctx))
	}()
	if err := p.prepare(); err != nil {
		return nil, err // want "GL002"
	}
	return p, nil
}

// ok: cancel before the error return.
func startPollerCancelled(parent context.Context, url string) (*poller, error) {
	ctx, cancel := context.WithCancel(parent)
	p := &poller{cancel: cancel, url: url, ticks: make(chan time.Time)}
	go p.loop(ctx)
	if err := p.prepare(); err != nil {
		cancel()
		return nil, err
	}
	return p, nil
}

// ok: Stop (which calls the parked cancel) before the error return.
func startPollerStopped(parent context.Context, url string) (*poller, error) {
	ctx, cancel := context.WithCancel(parent)
	p := &poller{cancel: cancel, url: url, ticks: make(chan time.Time)}
	go p.loop(ctx)
	if err := p.prepare(); err != nil {
		p.Stop()
		return nil, err
	}
	return p, nil
}

// ok: a deferred closure cancels on the error path.
func startPollerDeferred(parent context.Context, url string) (_ *poller, err error) {
	ctx, cancel := context.WithCancel(parent)
	defer func() {
		if err != nil {
			cancel()
		}
	}()
	p := &poller{cancel: cancel, url: url, ticks: make(chan time.Time)}
	go p.loop(ctx)
	if err = p.prepare(); err != nil {
		return nil, err
	}
	return p, nil
}

// ok: the holder is returned on every path; the caller owns Stop.
func startPollerAnyway(parent context.Context, url string) (*poller, error) {
	ctx, cancel := context.WithCancel(parent)
	p := &poller{cancel: cancel, url: url, ticks: make(chan time.Time)}
	go p.loop(ctx)
	if err := p.prepare(); err != nil {
		return p, err
	}
	return p, nil
}

// ok: the loop can also leave on quit, a channel its caller hands in and can close.
type quitter struct {
	cancel context.CancelFunc
	quit   chan struct{}
}

func (q *quitter) check() error { return errors.New("quitter: never ready") }

func (q *quitter) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-q.quit:
			return
		}
	}
}

func startQuitter(parent context.Context, quit chan struct{}) (*quitter, error) {
	ctx, cancel := context.WithCancel(parent)
	q := &quitter{cancel: cancel, quit: quit}
	go q.loop(ctx)
	if err := q.check(); err != nil {
		return nil, err
	}
	return q, nil
}

// bad: the forwarder from another package is discarded; its pump waits forever.
func forwardAndForget(ctx context.Context) {
	relay.Open(ctx, "logs") // want "GL002"
}

// bad: the blank identifier drops the forwarder.
func forwardCheckOnly(ctx context.Context, target string) error {
	_, err := relay.Open(ctx, target) // want "GL002"
	return err
}

// ok: the forwarder is kept and closed.
func forwardOne(ctx context.Context, line string) error {
	f, err := relay.Open(ctx, "logs")
	if err != nil {
		return err
	}
	defer f.Close()
	f.Send(line)
	return nil
}

type tap struct {
	stop  context.CancelFunc
	lines chan string
	name  string
}

func (t *tap) check() error {
	if t.name == "" {
		return errors.New("tap: no name")
	}
	return nil
}

// bad: the goroutine runs another package's Drain, which waits on the context's Done.
func openTap(parent context.Context, name string) (*tap, error) {
	ctx, stop := context.WithCancel(parent)
	t := &tap{stop: stop, lines: make(chan string), name: name}
	go relay.Drain(ctx, t.lines)
	if err := t.check(); err != nil {
		return nil, err // want "GL002"
	}
	return t, nil
}

func (t *tap) serve(ctx context.Context) { t.loop(ctx) }

func (t *tap) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case line := <-t.lines:
			fmt.Fprintln(os.Stdout, t.name, line)
		}
	}
}

// bad: the goroutine's method waits on Done one call further down.
func openServedTap(parent context.Context, name string) (*tap, error) {
	ctx, stop := context.WithCancel(parent)
	t := &tap{stop: stop, lines: make(chan string), name: name}
	go t.serve(ctx)
	if err := t.check(); err != nil {
		return nil, err // want "GL002"
	}
	return t, nil
}

// ok: stop before the error return.
func openTapStopped(parent context.Context, name string) (*tap, error) {
	ctx, stop := context.WithCancel(parent)
	t := &tap{stop: stop, lines: make(chan string), name: name}
	go relay.Drain(ctx, t.lines)
	if err := t.check(); err != nil {
		stop()
		return nil, err
	}
	return t, nil
}

// A hub whose links wait, one call down, on contexts derived from the hub's.

type link struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (l *link) await() {
	<-l.ctx.Done()
	fmt.Fprintln(os.Stderr, "link closed")
}

type hub struct {
	ctx    context.Context
	cancel context.CancelFunc
	links  []*link
}

func (h *hub) connect() {
	l := &link{}
	l.ctx, l.cancel = context.WithCancel(h.ctx)
	h.links = append(h.links, l)
	l.await()
}

// Close cancels every link and the hub.
func (h *hub) Close() {
	for _, l := range h.links {
		l.cancel()
	}
	h.cancel()
}

// bad: h holds the only cancel and never leaves openHub: the link's wait never ends.
func openHub() {
	h := &hub{}
	h.ctx, h.cancel = context.WithCancel(context.Background())
	go func() { // want "GL002"
		h.connect()
	}()
}

// ok: the hub is handed to the caller, who can Close it.
func openHubKept() *hub {
	h := &hub{}
	h.ctx, h.cancel = context.WithCancel(context.Background())
	go func() {
		h.connect()
	}()
	return h
}

// ok: the hub is closed when the function is done with it.
func useHub(work func()) {
	h := &hub{}
	h.ctx, h.cancel = context.WithCancel(context.Background())
	defer h.Close()
	go func() {
		h.connect()
	}()
	work()
}

type monitor struct {
	cancel context.CancelFunc
	target string
}

func (m *monitor) probe() error {
	if m.target == "" {
		return errors.New("monitor: no target")
	}
	return nil
}

// bad: another package's Watch starts the goroutine waiting on ctx; the error return drops m.
func startMonitor(parent context.Context, target string) (*monitor, error) {
	ctx, cancel := context.WithCancel(parent)
	m := &monitor{cancel: cancel, target: target}
	relay.Watch(ctx, target)
	if err := m.probe(); err != nil {
		return nil, err // want "GL002"
	}
	return m, nil
}

// ok: cancelled on the error path.
func startMonitorCancelled(parent context.Context, target string) (*monitor, error) {
	ctx, cancel := context.WithCancel(parent)
	m := &monitor{cancel: cancel, target: target}
	relay.Watch(ctx, target)
	if err := m.probe(); err != nil {
		cancel()
		return nil, err
	}
	return m, nil
}

// ok: the bare return hands the named result, with its cancel, back to the caller.
func startPollerNamed(parent context.Context, url string) (p *poller, err error) {
	ctx, cancel := context.WithCancel(parent)
	p = &poller{cancel: cancel, url: url, ticks: make(chan time.Time)}
	go p.loop(ctx)
	if err = p.prepare(); err != nil {
		return
	}
	return p, nil
}

// A streamer leaves on its context or on its own quit channel, which only its Close closes.
type streamer struct {
	cancel context.CancelFunc
	quit   chan struct{}
	out    chan string
}

func (s *streamer) Close() {
	s.cancel()
	close(s.quit)
}

func (s *streamer) open() error { return errors.New("streamer: no source") }

func (s *streamer) pump(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.quit:
			return
		case s.out <- "tick":
		}
	}
}

// bad: quit is reachable only through s, which the error return drops with the cancel.
func startStreamer(parent context.Context) (*streamer, error) {
	ctx, cancel := context.WithCancel(parent)
	s := &streamer{cancel: cancel, quit: make(chan struct{}), out: make(chan string)}
	go s.pump(ctx)
	if err := s.open(); err != nil {
		return nil, err // want "GL002"
	}
	return s, nil
}

// bad: the blank identifier drops the poller this package's constructor returns.
func checkPoller(ctx context.Context, url string) error {
	_, err := startPollerAnyway(ctx, url) // want "GL002"
	return err
}

// ok: the poller is kept and stopped.
func usePoller(ctx context.Context, url string) error {
	p, err := startPollerAnyway(ctx, url)
	if err != nil {
		return err
	}
	defer p.Stop()
	return nil
}

type registry struct{ pollers map[string]*poller }

func (r *registry) drop(p *poller) {
	delete(r.pollers, p.url)
	p.Stop()
}

// ok: the poller is handed to drop, which stops it, before the error return.
func (r *registry) add(parent context.Context, url string) (*poller, error) {
	ctx, cancel := context.WithCancel(parent)
	p := &poller{cancel: cancel, url: url, ticks: make(chan time.Time)}
	go p.loop(ctx)
	if err := p.prepare(); err != nil {
		r.drop(p)
		return nil, err
	}
	r.pollers[url] = p
	return p, nil
}
