// Command gl002tool holds the main-package cases of GL002.
package main

import (
	"context"
	"fmt"
	"os"
	"time"
)

// ok: in main.main, returning ends the process, so the early return before
// `defer cancel()` leaks nothing (vet's lostcancel skips main.main too).
func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	if len(os.Args) < 2 {
		fmt.Println("usage: gl002tool NAME")
		return
	}
	defer cancel()
	run(ctx, os.Args[1])
}

// bad: a helper of package main: its return does not end the process.
func run(parent context.Context, name string) {
	ctx, _ := context.WithCancel(parent) // want "GL002"
	go greet(ctx, name)
}

func greet(ctx context.Context, name string) {
	select {
	case <-ctx.Done():
	case <-time.After(time.Second):
		fmt.Println("hello", name)
	}
}
