// Package gl004 specifies GL004 (waitgroup-done-missed) by example.
//
// Contract (go vet analysistest style): a line that must be reported ends
// with a want comment naming GL004; every other line must stay silent.
//
// Cases: each case opens with a top-level comment "// bad: …" (it holds at
// least one want) or "// ok: …" (it holds none) and runs until the next such
// comment in the same file. Helpers after a case belong to it.
//
// GL004: a goroutine that calls Done on a sync.WaitGroup without defer, where
// some path leaves the goroutine (or the loop iteration that owns one count)
// without calling it. Reported on the exit statement that skips Done: the
// `return`, the `continue`, the `runtime.Goexit()` / `t.FailNow()` /
// `t.Fatal…()` call; when a path simply falls off the end of the goroutine's
// function, on the line of that function's closing brace. A path that ends
// the process (os.Exit, log.Fatal…, panic) leaks nothing: silent.
package gl004

import (
	"errors"
	"fmt"
	"sync"
)

type Order struct {
	ID    int
	Email string
}

func fetch(id int) (Order, error) {
	if id < 0 {
		return Order{}, errors.New("not found")
	}
	return Order{ID: id}, nil
}

func save(o Order) { fmt.Println("saved", o.ID) }

// bad: seed §2.5 — the error branch returns before wg.Done(): Wait blocks
// forever once one fetch fails.
func seedEarlyReturn(ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			o, err := fetch(id)
			if err != nil {
				fmt.Println("fetch:", err)
				return // want "GL004"
			}
			save(o)
			wg.Done()
		}()
	}
	wg.Wait()
}

// ok: seed §2.5 fixed — `defer wg.Done()` covers every return.
func seedDeferDone(ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, err := fetch(id)
			if err != nil {
				return
			}
			save(o)
		}()
	}
	wg.Wait()
}

// ok: Done is called on every path, including right before the early return.
func doneOnEveryPath(ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			o, err := fetch(id)
			if err != nil {
				wg.Done()
				return
			}
			save(o)
			wg.Done()
		}()
	}
	wg.Wait()
}

// bad: two early returns skip Done: each is a finding.
func twoReturns(ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			o, err := fetch(id)
			if err != nil {
				return // want "GL004"
			}
			if o.Email == "" {
				return // want "GL004"
			}
			save(o)
			wg.Done()
		}()
	}
	wg.Wait()
}

// bad: Done only on one branch; the other falls off the end of the goroutine.
// Reported on the line of the function literal's closing brace.
func fallsOffEnd(ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			if o, err := fetch(id); err == nil {
				save(o)
				wg.Done()
			}
		}() // want "GL004"
	}
	wg.Wait()
}

// ok: Done in a deferred closure (with recover), not a plain call.
func doneInDeferredClosure(ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					fmt.Println("recovered:", r)
				}
				wg.Done()
			}()
			o, err := fetch(id)
			if err != nil {
				return
			}
			save(o)
		}()
	}
	wg.Wait()
}

// ok: a goroutine that never calls Done is not counted by a WaitGroup here;
// its early return is not GL004's business.
func notCounted(ids []int) {
	for _, id := range ids {
		go func() {
			o, err := fetch(id)
			if err != nil {
				return
			}
			save(o)
		}()
	}
}
