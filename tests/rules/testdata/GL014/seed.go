package gl014

import (
	"fmt"
	"log"
	"time"
)

func doWork() { fmt.Println("work") }

// bad: seed 4.3: the handler recovers without ending anything and the code
// after the panic starts the worker again with go.
func worker() {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("recovered: %v", r)
		}
	}()
	panic("task failed")
	go worker() // want "GL014"
}

// bad: the handler itself restarts the goroutine, at once and forever.
func loopWorker() {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("worker panicked: %v", r)
			go loopWorker() // want "GL014"
		}
	}()
	doWork()
}

// ok: the restart is bounded by an attempt counter passed along.
func boundedWorker(attempt int) {
	defer func() {
		if r := recover(); r != nil {
			if attempt < 3 {
				go boundedWorker(attempt + 1)
			}
		}
	}()
	doWork()
}

// ok: the handler backs off before restarting.
func backoffWorker() {
	defer func() {
		if r := recover(); r != nil {
			time.Sleep(time.Second)
			go backoffWorker()
		}
	}()
	doWork()
}

// ok: the handler re-panics: nothing is restarted.
func rethrow() {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("cleanup after %v", r)
			panic(r)
		}
	}()
	doWork()
}

// ok: the handler only logs; the goroutine ends.
func logOnly() {
	defer func() {
		if r := recover(); r != nil {
			log.Println("recovered:", r)
		}
	}()
	doWork()
}

// bad: the recovered value is checked through a variable, then the handler
// calls the enclosing function again on the same stack.
func restartInPlace() {
	defer func() {
		r := recover()
		if r != nil {
			fmt.Println("again")
			restartInPlace() // want "GL014"
		}
	}()
	doWork()
}

// ok: the handler starts a different function (a reporter), not itself.
func reportPanics() {
	defer func() {
		if r := recover(); r != nil {
			go report(r)
		}
	}()
	doWork()
}

func report(v any) { fmt.Println("panic:", v) }

// ok: the handler ends the process.
func fatal() {
	defer func() {
		if r := recover(); r != nil {
			log.Fatalf("unrecoverable: %v", r)
		}
	}()
	doWork()
}
