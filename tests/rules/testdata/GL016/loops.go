package gl016

import (
	"fmt"
	str "strings"
	"sync"
)

// Job is a unit of work.
type Job struct{ Name string }

func run(j Job) { fmt.Println(j.Name) }

// ok: at go 1.22 each iteration has its own variable. Before: the range value is shared by all iterations before Go 1.22: every
// goroutine may run the last job.
func runAll(jobs []Job) {
	for _, job := range jobs {
		go func() {
			run(job)
		}()
	}
}

// ok: at go 1.22 each iteration has its own variable. Before: the index of a three-clause loop, also counted by a WaitGroup that is
// only waited for after the loop.
func printIndexes(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fmt.Println("index", i)
		}()
	}
	wg.Wait()
}

// ok: at go 1.22 each iteration has its own variable. Before: key and value of a map range, used on different lines: each is
// reported at its first use.
func dump(m map[string]int) {
	for k, v := range m {
		go func() {
			fmt.Println("key", k)
			fmt.Println("value", v)
			fmt.Println(k, v)
		}()
	}
}

// ok: at go 1.22 each iteration has its own variable. Before: both variables of the same range on one line: one report names both.
func pairs(xs []string) {
	for i, x := range xs {
		go func() {
			fmt.Println(i, str.ToUpper(x))
		}()
	}
}

// ok: at go 1.22 each iteration has its own variable. Before: the captured use is inside a closure nested in the goroutine.
func deferred(jobs []Job) {
	for _, j := range jobs {
		go func() {
			defer func() {
				fmt.Println("finished", j.Name)
			}()
			fmt.Println("start")
		}()
	}
}

// ok: at go 1.22 each iteration has its own variable. Before: an outer loop's variable captured from an inner loop's goroutine.
func grid(rows, cols int) {
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			go func() {
				fmt.Println("row", r)
				fmt.Println("col", c)
			}()
		}
	}
}

// ok: the classic fix: a per-iteration copy.
func runAllCopy(jobs []Job) {
	for _, job := range jobs {
		job := job
		go func() {
			run(job)
		}()
	}
}

// ok: the value is passed as an argument.
func runAllArg(jobs []Job) {
	for _, job := range jobs {
		go func(j Job) {
			run(j)
		}(job)
	}
}

// ok: a parameter with the same name shadows the loop variable.
func runAllShadow(jobs []Job) {
	for _, job := range jobs {
		go func(job Job) {
			run(job)
		}(job)
	}
}

// ok: go with a named function evaluates its arguments at once.
func runAllNamed(jobs []Job) {
	for _, job := range jobs {
		go run(job)
	}
}

// ok: the iteration waits for its goroutine before the variable changes.
func oneAtATime(jobs []Job) {
	done := make(chan struct{})
	for _, job := range jobs {
		go func() {
			run(job)
			done <- struct{}{}
		}()
		<-done
	}
}

// ok: a closure called in place, not a goroutine.
func inPlace(jobs []Job) {
	for _, job := range jobs {
		func() {
			run(job)
		}()
	}
}

// ok: the loop variable is declared outside the loop header (plain =).
func declaredOutside(jobs []Job) {
	var job Job
	for _, job = range jobs {
		fmt.Println(job.Name)
	}
	go func() {
		run(job)
	}()
}

// ok: a new variable derived in the body is per iteration.
func derived(jobs []Job) {
	for _, job := range jobs {
		name := str.TrimSpace(job.Name)
		go func() {
			fmt.Println(name)
		}()
	}
}

// ok: the goroutine waits with a WaitGroup inside each iteration.
func waitEach(jobs []Job) {
	var wg sync.WaitGroup
	for _, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run(job)
		}()
		wg.Wait()
	}
}

// ok: at go 1.22 each iteration has its own variable (index range).
func zero(xs []int) {
	for i := range xs {
		go func() {
			xs[i] = 0
		}()
	}
}
