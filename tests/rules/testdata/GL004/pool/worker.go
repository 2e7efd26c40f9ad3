package pool

import (
	"fmt"
	"os"
	"sync"
)

// Worker runs jobs for a caller that counts them with a WaitGroup; its methods are called on values of
// this type held by another package (a local, a field, a parameter, a constructor's result).
type Worker struct {
	label string
}

// NewWorker returns a Worker that prefixes its output with label.
func NewWorker(label string) *Worker { return &Worker{label: label} }

// Run counts the WaitGroup down on every path.
func (w *Worker) Run(wg *sync.WaitGroup, job string) {
	defer wg.Done()
	fmt.Fprintln(os.Stdout, w.label, "run", job)
}

// Try returns for an empty job before its deferred Done is registered.
func (w *Worker) Try(wg *sync.WaitGroup, job string) {
	if job == "" {
		return
	}
	defer wg.Done()
	fmt.Fprintln(os.Stdout, w.label, "try", job)
}

// Start hands the job to a goroutine that counts the WaitGroup down.
func (w *Worker) Start(wg *sync.WaitGroup, job string) {
	go func() {
		defer wg.Done()
		fmt.Fprintln(os.Stdout, w.label, "start", job)
	}()
}

// Skip counts the WaitGroup down for a job that is not run.
func (w *Worker) Skip(wg *sync.WaitGroup, job string) {
	fmt.Fprintln(os.Stderr, w.label, "skip", job)
	wg.Done()
}

// Tally is the value-receiver form: an oversized job returns before its Done.
func (w Worker) Tally(wg *sync.WaitGroup, job string) {
	if len(job) > 64 {
		return
	}
	fmt.Fprintln(os.Stdout, w.label, "tally", job)
	wg.Done()
}

// Count is the value-receiver form that counts down on every path.
func (w Worker) Count(wg *sync.WaitGroup, job string) {
	defer wg.Done()
	fmt.Fprintln(os.Stdout, w.label, "count", len(job))
}
