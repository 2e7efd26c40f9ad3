package gl007

import (
	"fmt"
	"time"
)

func processJob() { fmt.Println("job") }

// Job is a unit of work.
type Job struct{ ID int }

// Process runs the job.
func (j Job) Process() { fmt.Println(j.ID) }

// bad: seed 4.1: `for range ticker.C` never ends (ticker channels are never
// closed, Stop does not close them) and nothing else leaves the loop.
func leakyTicker() {
	ticker := time.NewTicker(100 * time.Millisecond)
	go func() { // want "GL007"
		for range ticker.C {
			processJob()
		}
	}()
}

// ok: the ticker loop selects on a done channel that Stop closes.
type Poller struct {
	done chan struct{}
}

func NewPoller() *Poller {
	p := &Poller{done: make(chan struct{})}
	ticker := time.NewTicker(time.Second)
	go func() {
		defer ticker.Stop()
		for {
			select {
			case <-ticker.C:
				processJob()
			case <-p.done:
				return
			}
		}
	}()
	return p
}

func (p *Poller) Stop() { close(p.done) }

// Worker is the seed 4.2 worker.
type Worker struct{ name string }

// bad: seed 4.2: the worker method gets a quit channel but its select only
// listens on jobCh: the quit signal is ignored and the loop never ends.
func (w *Worker) run(jobCh <-chan Job, quit <-chan struct{}) {
	for {
		select {
		case job := <-jobCh:
			job.Process()
		}
	}
}

func StartWorker(w *Worker, jobs <-chan Job, quit <-chan struct{}) {
	go w.run(jobs, quit) // want "GL007"
}

// ok: seed 4.2 fixed: quit takes part in the select and returns.
func (w *Worker) runFixed(jobCh <-chan Job, quit <-chan struct{}) {
	for {
		select {
		case job := <-jobCh:
			job.Process()
		case <-quit:
			return
		}
	}
}

func StartFixed(w *Worker, jobs <-chan Job, quit <-chan struct{}) {
	go w.runFixed(jobs, quit)
}
