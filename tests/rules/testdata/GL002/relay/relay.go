// Package relay builds a forwarder whose pump goroutine runs until the forwarder's cancel func is called.
package relay

import (
	"context"
	"errors"
	"fmt"
	"os"
)

type Forwarder struct {
	stop  context.CancelFunc
	lines chan string
}

func (f *Forwarder) pump(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case line := <-f.lines:
			fmt.Fprintln(os.Stdout, line)
		}
	}
}

// Close ends the pump.
func (f *Forwarder) Close() { f.stop() }

// Send queues a line.
func (f *Forwarder) Send(line string) { f.lines <- line }

// Open starts the pump; the caller must Close the forwarder.
func Open(parent context.Context, target string) (*Forwarder, error) {
	if target == "" {
		return nil, errors.New("relay: empty target")
	}
	ctx, stop := context.WithCancel(parent)
	f := &Forwarder{stop: stop, lines: make(chan string)}
	go f.pump(ctx)
	return f, nil
}

// Drain prints lines until its context is done.
func Drain(ctx context.Context, lines <-chan string) {
	for {
		select {
		case <-ctx.Done():
			return
		case line := <-lines:
			fmt.Fprintln(os.Stdout, line)
		}
	}
}

// Watch starts a goroutine that logs until the context is done.
func Watch(ctx context.Context, what string) {
	go func() {
		<-ctx.Done()
		fmt.Fprintln(os.Stderr, "stopped watching", what)
	}()
}
