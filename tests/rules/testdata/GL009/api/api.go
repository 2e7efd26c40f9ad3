// Package api holds GL009 cases in a sub-package.
package api

import (
	"context"
	"net/http"
	"time"
)

// bad: a handler literal whose goroutine sends to a channel from outside.
//
// Handler returns a handler literal.
func Handler(jobs chan string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		go func() { // want "GL009"
			jobs <- r.URL.Path
		}()
	}
}

// ok: the send selects on the request's context.
//
// Safe returns a handler whose goroutine watches the request context.
func Safe(jobs chan string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		go func() {
			select {
			case jobs <- r.URL.Path:
			case <-ctx.Done():
			}
		}()
	}
}

// ok: a plain function with a context parameter is not a handler.
func Background(ctx context.Context) {
	go func() {
		time.Sleep(time.Second)
	}()
}
