package gl002

import (
	"context"
	"errors"

	"example.com/gl002/relay"
)

// Cancel funcs parked in a struct while a method of another package's type (relay.Mux, relay.Session)
// waits on the context's Done, or starts the goroutine that does.

type feed struct {
	stop  context.CancelFunc
	lines chan string
	topic string
}

func (f *feed) validate() error {
	if f.topic == "" {
		return errors.New("feed: no topic")
	}
	return nil
}

// bad: the goroutine runs Drain, a method of a parameter's type in another package, which waits on
// the context's Done; the error return drops f and the cancel it holds.
func openFeed(parent context.Context, mux *relay.Mux, topic string) (*feed, error) {
	ctx, stop := context.WithCancel(parent)
	f := &feed{stop: stop, lines: make(chan string), topic: topic}
	go mux.Drain(ctx, f.lines)
	if err := f.validate(); err != nil {
		return nil, err // want "GL002"
	}
	return f, nil
}

// ok: the error path stops the context first.
func openFeedStopped(parent context.Context, mux *relay.Mux, topic string) (*feed, error) {
	ctx, stop := context.WithCancel(parent)
	f := &feed{stop: stop, lines: make(chan string), topic: topic}
	go mux.Drain(ctx, f.lines)
	if err := f.validate(); err != nil {
		stop()
		return nil, err
	}
	return f, nil
}

// bad: Watch, called on a constructor's result, starts the goroutine that waits on ctx.Done().
func watchFeed(parent context.Context, topic string) (*feed, error) {
	ctx, stop := context.WithCancel(parent)
	f := &feed{stop: stop, topic: topic}
	mux := relay.NewMux("watch")
	mux.Watch(ctx, topic)
	if err := f.validate(); err != nil {
		return nil, err // want "GL002"
	}
	return f, nil
}

// ok: the same, with the cancel called before the error return.
func watchFeedStopped(parent context.Context, topic string) (*feed, error) {
	ctx, stop := context.WithCancel(parent)
	f := &feed{stop: stop, topic: topic}
	mux := relay.NewMux("watch")
	mux.Watch(ctx, topic)
	if err := f.validate(); err != nil {
		f.stop()
		return nil, err
	}
	return f, nil
}

type exchange struct {
	mux *relay.Mux
}

// bad: a method of another package's type (held in a field) returns a forwarder holding the only
// cancel func of its pump's context; the statement discards it.
func (x *exchange) announce(ctx context.Context) {
	x.mux.Open(ctx, "announcements") // want "GL002"
}

// ok: the forwarder is kept and closed.
func (x *exchange) announceOnce(ctx context.Context, line string) error {
	f, err := x.mux.Open(ctx, "announcements")
	if err != nil {
		return err
	}
	defer f.Close()
	f.Send(line)
	return nil
}
