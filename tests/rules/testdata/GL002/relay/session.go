package relay

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// Session serves one address until its cancel func, handed to it through SetCancel, is called.
type Session struct {
	addr string
	stop context.CancelFunc
}

// NewSession returns a Session for addr; its caller parks a cancel func in it with SetCancel.
func NewSession(addr string) *Session { return &Session{addr: addr} }

// SetCancel parks the cancel func that Close calls.
func (s *Session) SetCancel(stop context.CancelFunc) { s.stop = stop }

// Serve waits for the session's context to end.
func (s *Session) Serve(ctx context.Context) {
	<-ctx.Done()
	fmt.Fprintln(os.Stderr, "session closed:", s.addr)
}

// Close cancels the session's context.
func (s *Session) Close() { s.stop() }

// Handshake checks the address; it does not touch the session's cancel func.
func (s *Session) Handshake() error {
	if s.addr == "localhost" {
		return errors.New("relay: loopback refused")
	}
	return nil
}

// Abort gives up on the session: it cancels through Close.
func (s *Session) Abort(reason string) {
	fmt.Fprintln(os.Stderr, "abort:", reason)
	s.Close()
}

// Dial parks the cancel through the setter and starts the session: the caller must Close it.
func Dial(parent context.Context, addr string) (*Session, error) {
	if addr == "" {
		return nil, errors.New("relay: empty address")
	}
	ctx, cancel := context.WithCancel(parent)
	s := NewSession(addr)
	s.SetCancel(cancel)
	go s.Serve(ctx)
	return s, nil
}

// Mux moves lines between goroutines that run until the context they are handed ends.
type Mux struct {
	name string
}

// NewMux returns a named Mux.
func NewMux(name string) *Mux { return &Mux{name: name} }

// Drain prints lines until its context is done.
func (m *Mux) Drain(ctx context.Context, lines <-chan string) {
	for {
		select {
		case <-ctx.Done():
			return
		case line := <-lines:
			fmt.Fprintln(os.Stdout, m.name, line)
		}
	}
}

// Watch starts a goroutine that logs once the context is done.
func (m *Mux) Watch(ctx context.Context, what string) {
	go func() {
		<-ctx.Done()
		fmt.Fprintln(os.Stderr, m.name, "stopped watching", what)
	}()
}

// Open starts a forwarder on the mux; the caller must Close it.
func (m *Mux) Open(parent context.Context, target string) (*Forwarder, error) {
	if target == "" {
		return nil, errors.New("relay: empty target")
	}
	ctx, stop := context.WithCancel(parent)
	f := &Forwarder{stop: stop, lines: make(chan string)}
	go f.pump(ctx)
	return f, nil
}
