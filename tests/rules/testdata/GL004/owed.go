package gl004

import (
	"errors"
	"sync"
)

// Who owes a Done: a goroutine owes one only for an Add its parent made before the `go`. Counts the
// goroutine adds itself are balanced where it adds them: by a Done, by a goroutine it starts that
// calls Done, or by a starter that takes the count when it succeeds (`if !start() { wg.Done() }`).

type supervisor struct {
	wg      sync.WaitGroup
	workers []func()
}

func (s *supervisor) launch(w func()) bool {
	if w == nil {
		return false
	}
	go func() {
		defer s.wg.Done()
		w()
	}()
	return true
}

// ok: the goroutine adds for each worker itself; a worker that fails to start gives its count back,
// one that starts takes it (launch's goroutine calls Done). Returns before any Add owe nothing.
func (s *supervisor) run(stop <-chan struct{}) {
	go func() {
		if len(s.workers) == 0 {
			return
		}
		for _, w := range s.workers {
			s.wg.Add(1)
			if !s.launch(w) {
				s.wg.Done()
			}
		}
		<-stop
	}()
	s.wg.Wait()
}

// ok: a goroutine that registers itself: the early return comes before its own Add.
func selfCounted(wg *sync.WaitGroup, jobs <-chan int, handle func(int) error) {
	go func() {
		first, ok := <-jobs
		if !ok {
			return
		}
		wg.Add(1)
		if err := handle(first); err != nil {
			wg.Done()
			return
		}
		wg.Done()
	}()
}

// ok: the goroutine's own Add is handed to a goroutine it starts, whose deferred Done balances it.
func relay(wg *sync.WaitGroup, in <-chan int, out chan<- int) {
	go func() {
		for v := range in {
			if v < 0 {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				out <- v
			}()
		}
	}()
}

// bad: the goroutine's own Add is followed by a return that skips its Done.
func selfCountedLeak(wg *sync.WaitGroup, jobs <-chan int, handle func(int) error) {
	go func() {
		first, ok := <-jobs
		if !ok {
			return
		}
		wg.Add(1)
		if err := handle(first); err != nil {
			return // want "GL004"
		}
		wg.Done()
	}()
}

// bad: the parent added before the go, so the goroutine owes a Done even on the path before its
// own Add.
func parentAndSelf(jobs <-chan int, handle func(int) error) error {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		first, ok := <-jobs
		if !ok {
			return // want "GL004"
		}
		wg.Add(1)
		if handle(first) != nil {
			wg.Done()
		}
		wg.Done()
		wg.Done()
	}()
	wg.Wait()
	return errors.New("done")
}

// ok: the goroutine adds for the one worker it launches; launch takes the count when it succeeds.
func (s *supervisor) runOne(w func(), done chan<- struct{}) {
	go func() {
		defer close(done)
		s.wg.Add(1)
		if !s.launch(w) {
			s.wg.Done()
		}
	}()
}
