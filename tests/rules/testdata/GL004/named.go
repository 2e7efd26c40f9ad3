package gl004

import (
	"errors"
	"fmt"
	"sync"
)

var errSkip = errors.New("skip")

func push(target string, o Order) error {
	if o.ID == 0 {
		return errSkip
	}
	fmt.Println("push", target, o.ID)
	return nil
}

// bad: method launched with `go s.sync(o)`; it returns early on error before
// the field's Done (Syncer is declared in types.go).
func (s *Syncer) sync(o Order) {
	if err := push(s.target, o); err != nil {
		return // want "GL004"
	}
	s.wg.Done()
}

func (s *Syncer) SyncAll(orders []Order) {
	for _, o := range orders {
		s.wg.Add(1)
		go s.sync(o)
	}
	s.wg.Wait()
}

// ok: method launched with go, `defer s.wg.Done()`.
func (s *Syncer) syncDeferred(o Order) {
	defer s.wg.Done()
	if err := push(s.target, o); err != nil {
		return
	}
	fmt.Println("synced", o.ID)
}

func (s *Syncer) SyncAllDeferred(orders []Order) {
	for _, o := range orders {
		s.wg.Add(1)
		go s.syncDeferred(o)
	}
	s.wg.Wait()
}

// bad: function with a *sync.WaitGroup parameter, launched with
// `go deliver(o, &wg)`; a path falls off the end without Done. Reported on
// the function's closing brace.
func deliver(o Order, wg *sync.WaitGroup) {
	if o.Email != "" {
		fmt.Println("mail", o.Email)
		wg.Done()
	}
} // want "GL004"

func deliverAll(orders []Order) {
	var wg sync.WaitGroup
	for _, o := range orders {
		wg.Add(1)
		go deliver(o, &wg)
	}
	wg.Wait()
}

// bad: embedded sync.WaitGroup (`b.Done()`), goroutine launched through a
// method value (`run := b.process; go run()`).
func (b *batch) process() {
	for _, o := range b.orders {
		if err := push("archive", o); err != nil {
			return // want "GL004"
		}
	}
	b.Done()
}

func (b *batch) Run() {
	b.Add(1)
	run := b.process
	go run()
	b.Wait()
}

// bad: a closure assigned to a variable, then launched.
func closureVariable(orders []Order) {
	var wg sync.WaitGroup
	worker := func(o Order) {
		if o.ID < 0 {
			return // want "GL004"
		}
		save(o)
		wg.Done()
	}
	for _, o := range orders {
		wg.Add(1)
		go worker(o)
	}
	wg.Wait()
}
