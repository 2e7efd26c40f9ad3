// Package pool holds WaitGroup helpers that the root package calls across the package boundary.
package pool

import (
	"fmt"
	"os"
	"sync"
)

// Serve counts itself down on every path (deferred Done).
func Serve(wg *sync.WaitGroup, name string) {
	defer wg.Done()
	fmt.Fprintln(os.Stdout, "serve", name)
}

// Launch starts the goroutine that counts the WaitGroup down.
func Launch(wg *sync.WaitGroup, name string) {
	go func() {
		defer wg.Done()
		fmt.Fprintln(os.Stdout, "launch", name)
	}()
}

// Settle counts down only when the name is non-empty: the empty-name return skips Done.
func Settle(wg *sync.WaitGroup, name string) {
	if name == "" {
		return
	}
	fmt.Fprintln(os.Stdout, "settle", name)
	wg.Done()
}

// Finish counts the WaitGroup down for a task that gives up early.
func Finish(wg *sync.WaitGroup, reason string) {
	fmt.Fprintln(os.Stderr, "giving up:", reason)
	wg.Done()
}

// Release reports the task as finished and counts the WaitGroup down.
func Release(wg *sync.WaitGroup, name string) {
	defer wg.Done()
	fmt.Fprintln(os.Stdout, "released", name)
}

// Process defers its Done only after the validity check: an empty name returns first.
func Process(wg *sync.WaitGroup, name string) {
	if name == "" {
		return
	}
	defer wg.Done()
	fmt.Fprintln(os.Stdout, "process", name)
}

// Visit defers its Done when it was given a WaitGroup at all.
func Visit(wg *sync.WaitGroup, name string) {
	if wg != nil {
		defer wg.Done()
	}
	fmt.Fprintln(os.Stdout, "visit", name)
}
