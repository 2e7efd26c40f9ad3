package gl004

import (
	"sync"

	"example.com/gl004/pool"
)

// Goroutines that run a method of another package's type (pool.Worker) handed the WaitGroup: the
// method's body decides whether the Add before the go statement is ever matched.

// bad: Try returns for an empty job before it defers Done.
func runWithLocalWorker(jobs []string) {
	var wg sync.WaitGroup
	w := pool.NewWorker("local")
	for _, j := range jobs {
		wg.Add(1)
		go w.Try(&wg, j) // want "GL004"
	}
	wg.Wait()
}

// ok: Run defers Done first thing.
func runWithLocalWorkerFixed(jobs []string) {
	var wg sync.WaitGroup
	w := pool.NewWorker("local")
	for _, j := range jobs {
		wg.Add(1)
		go w.Run(&wg, j)
	}
	wg.Wait()
}

type shop struct {
	worker *pool.Worker
	wg     sync.WaitGroup
}

// bad: the worker is a field of the struct, and so is the WaitGroup.
func (s *shop) serve(orders []string) {
	for _, o := range orders {
		s.wg.Add(1)
		go s.worker.Try(&s.wg, o) // want "GL004"
	}
	s.wg.Wait()
}

// ok: the same field worker, through the method that always counts down.
func (s *shop) serveFixed(orders []string) {
	for _, o := range orders {
		s.wg.Add(1)
		go s.worker.Run(&s.wg, o)
	}
	s.wg.Wait()
}

// bad: the worker is a parameter.
func runOn(w *pool.Worker, jobs []string) {
	var wg sync.WaitGroup
	wg.Add(len(jobs))
	for _, j := range jobs {
		go w.Try(&wg, j) // want "GL004"
	}
	wg.Wait()
}

// ok: a parameter worker whose method hands Done to its own goroutine.
func runOnFixed(w *pool.Worker, jobs []string) {
	var wg sync.WaitGroup
	wg.Add(len(jobs))
	for _, j := range jobs {
		w.Start(&wg, j)
	}
	wg.Wait()
}

// bad: the method is called on the constructor's result directly.
func runFresh(jobs []string) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go pool.NewWorker("fresh").Try(&wg, j) // want "GL004"
	}
	wg.Wait()
}

// ok: the constructor's result, with the method that always counts down.
func runFreshFixed(jobs []string) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go pool.NewWorker("fresh").Run(&wg, j)
	}
	wg.Wait()
}

// bad: a value (not a pointer) of the other package's type, value receiver.
func tallyAll(jobs []string) {
	var wg sync.WaitGroup
	var w pool.Worker
	for _, j := range jobs {
		wg.Add(1)
		go w.Tally(&wg, j) // want "GL004"
	}
	wg.Wait()
}

// ok: the value receiver that counts down on every path.
func tallyAllFixed(jobs []string) {
	var wg sync.WaitGroup
	var w pool.Worker
	for _, j := range jobs {
		wg.Add(1)
		go w.Count(&wg, j)
	}
	wg.Wait()
}

// bad: Add(len(jobs)) counts every job, but an empty one is skipped without a goroutine that counts
// it down (Start, a method of the other package, is what counts the others down).
func startAll(w *pool.Worker, jobs []string) {
	var wg sync.WaitGroup
	wg.Add(len(jobs))
	for _, j := range jobs {
		if j == "" {
			continue // want "GL004"
		}
		w.Start(&wg, j)
	}
	wg.Wait()
}

// ok: the skipped job is counted down by Skip before the continue.
func startAllFixed(w *pool.Worker, jobs []string) {
	var wg sync.WaitGroup
	wg.Add(len(jobs))
	for _, j := range jobs {
		if j == "" {
			w.Skip(&wg, j)
			continue
		}
		w.Start(&wg, j)
	}
	wg.Wait()
}

// ok: a goroutine whose early return hands the WaitGroup to Skip first (the Done made one call away,
// in another package's method).
func runChecked(w *pool.Worker, jobs []string) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			if j == "" {
				w.Skip(&wg, j)
				return
			}
			defer wg.Done()
			_ = len(j)
		}()
	}
	wg.Wait()
}

// squad embeds the other package's Worker: its methods are promoted.
type squad struct {
	*pool.Worker
	name string
}

// bad: the promoted Try returns for an empty job before it defers Done.
func (c *squad) runAll(jobs []string) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go c.Try(&wg, j) // want "GL004"
	}
	wg.Wait()
}

// ok: the promoted Run defers Done first thing.
func (c *squad) runAllFixed(jobs []string) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go c.Run(&wg, j)
	}
	wg.Wait()
}

// bad: the goroutine's Done is made by Run (a method of the constructor's result, in the other
// package), but the oversized-job return skips it.
func runGuarded(jobs []string) {
	var wg sync.WaitGroup
	w := pool.NewWorker("guarded")
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			if len(j) > 64 {
				return // want "GL004"
			}
			w.Run(&wg, j)
		}()
	}
	wg.Wait()
}

// ok: the oversized job is counted down by Skip before the return.
func runGuardedFixed(jobs []string) {
	var wg sync.WaitGroup
	w := pool.NewWorker("guarded")
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			if len(j) > 64 {
				w.Skip(&wg, j)
				return
			}
			w.Run(&wg, j)
		}()
	}
	wg.Wait()
}
