// Package gl003 specifies GL003 (waitgroup-add-in-goroutine) by example.
//
// Contract (go vet analysistest style): a line that must be reported ends
// with a want comment naming GL003; every other line must stay silent.
//
// Cases: each case opens with a top-level comment "// bad: …" (it holds at
// least one want) or "// ok: …" (it holds none) and runs until the next such
// comment in the same file. Helpers after a case belong to it.
//
// GL003 is reported on the line of the Add call. The Add must be on a
// sync.WaitGroup (resolved from declarations, never from the name wg), in the
// body of the goroutine it counts — a `go func(){…}()`, a closure variable or
// a same-package function/method launched with go — and that goroutine must
// call Done (plain or deferred) on the same WaitGroup. An Add followed by a
// nested go statement in the same body counts the nested goroutine: silent.
// "First statements" is read as "before the goroutine's Done and before any
// nested go", not literally statement number one (see addAfterLog).
package gl003

import (
	"fmt"
	"sync"
)

func doWork() { fmt.Println("work") }

// bad: seed §1.3 — `go func() { wg.Add(1); doWork(); wg.Done() }()`: Wait can
// run before any goroutine has called Add and return at once.
func seedAddInside(items []int) {
	var wg sync.WaitGroup
	for range items {
		go func() { wg.Add(1); doWork(); wg.Done() }() // want "GL003"
	}
	wg.Wait()
}

// ok: seed §1.3 fixed — `wg.Add(1); go func() { doWork(); wg.Done() }()`.
func seedAddBefore(items []int) {
	var wg sync.WaitGroup
	for range items {
		wg.Add(1)
		go func() { doWork(); wg.Done() }()
	}
	wg.Wait()
}

// bad: staticcheck SA2000's form — `wg := sync.WaitGroup{}`, Add as the first
// statement of the goroutine, Done at its end.
func compositeLiteral() {
	wg := sync.WaitGroup{}
	wg.Add(1)
	go func() {
		wg.Done()
	}()

	go func() {
		wg.Add(1) // want "GL003"
		wg.Done()
	}()
	wg.Wait()
}

// bad: go vet's waitgroup form — a *sync.WaitGroup, Add first, then
// `defer wg.Done()`. Only the Add inside the goroutine is reported.
func pointerParam(wg *sync.WaitGroup) {
	wg.Add(1)
	go func() {
		wg.Add(1) // want "GL003"
		defer wg.Done()
		doWork()
	}()
	wg.Wait()
}

// bad: seed §2.5 — `defer wg.Done()` registered before the Add: the Done
// still runs after the Add, inside the goroutine being counted.
func deferBeforeAdd(jobs []string) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		go func() {
			defer wg.Done()
			wg.Add(1) // want "GL003"
			fmt.Println(j)
		}()
	}
	wg.Wait()
}

// bad: the Add is not literally the first statement (a log line comes
// first), but it is still inside the goroutine it counts.
func addAfterLog(ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		go func() {
			fmt.Println("starting", id)
			wg.Add(1) // want "GL003"
			defer wg.Done()
			doWork()
		}()
	}
	wg.Wait()
}

// bad: the WaitGroup reaches the function literal as a parameter
// (`go func(wg *sync.WaitGroup, id int){…}(&wg, i)`).
func literalParam(n int) {
	var wg sync.WaitGroup
	for i := range n {
		go func(wg *sync.WaitGroup, id int) {
			wg.Add(1) // want "GL003"
			defer wg.Done()
			fmt.Println(id)
		}(&wg, i)
	}
	wg.Wait()
}

// ok: the goroutine Adds for the children it starts: each Add precedes a
// nested go in the same body (a tree walker); its own count was added by the
// caller before the outer go.
func nestedSpawn(roots [][]string) {
	var wg sync.WaitGroup
	for _, children := range roots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, c := range children {
				wg.Add(1)
				go func() {
					defer wg.Done()
					fmt.Println(c)
				}()
			}
		}()
	}
	wg.Wait()
}

// ok: Add(len(items)) once, before the loop that starts the goroutines.
func addAllUpFront(items []string) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for _, it := range items {
		go func() {
			defer wg.Done()
			fmt.Println(it)
		}()
	}
	wg.Wait()
}

// ok: the goroutine Adds to `pending`, a WaitGroup it never calls Done on:
// the Add counts queued jobs that another goroutine finishes; this is not
// the goroutine counting itself.
func handoff(jobs <-chan string, queue chan<- string) *sync.WaitGroup {
	var wg, pending sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for j := range jobs {
			pending.Add(1)
			queue <- j
		}
	}()
	wg.Wait()
	return &pending
}

// ok: a closure that reserves the count is called directly (not with go)
// before the goroutines start.
func closureCalled() {
	var wg sync.WaitGroup
	reserve := func(n int) { wg.Add(n) }
	reserve(2)
	go func() { defer wg.Done(); doWork() }()
	go func() { defer wg.Done(); doWork() }()
	wg.Wait()
}

// bad: a closure assigned to a variable, then launched with `go task()`.
func closureVariable() {
	var wg sync.WaitGroup
	task := func() {
		wg.Add(1) // want "GL003"
		defer wg.Done()
		doWork()
	}
	for i := 0; i < 3; i++ {
		go task()
	}
	wg.Wait()
}
