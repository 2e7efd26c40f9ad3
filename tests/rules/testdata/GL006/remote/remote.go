// Package remote returns channels its goroutines send one result on; the callers are in package gl006.
package remote

import (
	"context"
	"errors"
	"strings"
)

func compute(k string) string { return strings.Repeat(k, 2) }

// Later's goroutine sends once on an unbuffered channel: a caller that stops waiting strands it.
func Later(k string) <-chan string {
	ch := make(chan string)
	go func() {
		ch <- compute(k)
	}()
	return ch
}

// LaterBuffered leaves room for the one result: nobody has to receive it.
func LaterBuffered(k string) <-chan string {
	ch := make(chan string, 1)
	go func() {
		ch <- compute(k)
	}()
	return ch
}

// LaterCtx's sender gives up with its caller's context.
func LaterCtx(ctx context.Context, k string) <-chan string {
	ch := make(chan string)
	go func() {
		select {
		case ch <- compute(k):
		case <-ctx.Done():
		}
	}()
	return ch
}

// Oracle answers through a named method started as the goroutine.
type Oracle struct{ prefix string }

// Ask returns the channel the answer goroutine sends on.
func (o *Oracle) Ask(k string) <-chan string {
	ch := make(chan string)
	go o.answer(k, ch)
	return ch
}

func (o *Oracle) answer(k string, out chan<- string) {
	out <- o.prefix + compute(k)
}

// Fill sends every item on out, then closes it.
func Fill(out chan<- int, xs []int) {
	for _, x := range xs {
		out <- x
	}
	close(out)
}

// Dial returns the channel its goroutine sends the connection result on, and an error.
func Dial(addr string) (<-chan string, error) {
	if addr == "" {
		return nil, errors.New("empty address")
	}
	ch := make(chan string)
	go func() {
		ch <- compute(addr)
	}()
	return ch, nil
}

// Pending holds the channel its goroutine sends the result on.
type Pending struct {
	Done <-chan string
	key  string
}

// Start returns the result channel inside a struct.
func Start(k string) *Pending {
	ch := make(chan string)
	go func() {
		ch <- compute(k)
	}()
	return &Pending{Done: ch, key: k}
}

// StartBuffered does the same with room for the result.
func StartBuffered(k string) *Pending {
	ch := make(chan string, 1)
	go func() {
		ch <- compute(k)
	}()
	return &Pending{Done: ch, key: k}
}

// Pair sends values and warnings on two unbuffered channels and closes the first when done.
func Pair(xs []int) (<-chan int, <-chan error, error) {
	if len(xs) == 0 {
		return nil, nil, errors.New("nothing to send")
	}
	vals := make(chan int)
	warns := make(chan error)
	go func() {
		defer close(vals)
		for _, x := range xs {
			if x < 0 {
				warns <- errors.New("negative")
				continue
			}
			vals <- x
		}
	}()
	return vals, warns, nil
}
