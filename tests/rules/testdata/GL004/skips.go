package gl004

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"example.com/gl004/pool"
)

// More shapes of Add(len(xs)) / Add(n) before a loop that can skip an element.

type unit struct {
	name string
	off  bool
}

func check(u unit) error {
	if u.off {
		return errors.New("unit is off: " + u.name)
	}
	return nil
}

func show(u unit) { fmt.Fprintln(os.Stdout, u.name) }

// bad: index loop over the counted slice.
func showByIndex(units []unit) {
	var wg sync.WaitGroup
	wg.Add(len(units))
	for i := range units {
		if units[i].off {
			continue // want "GL004"
		}
		go func() {
			defer wg.Done()
			show(units[i])
		}()
	}
	wg.Wait()
}

// bad: three-clause loop up to len(units).
func showCounting(units []unit) {
	var wg sync.WaitGroup
	wg.Add(len(units))
	for i := 0; i < len(units); i++ {
		if err := check(units[i]); err != nil {
			continue // want "GL004"
		}
		go func(u unit) {
			defer wg.Done()
			show(u)
		}(units[i])
	}
	wg.Wait()
}

// bad: the count goes through a local first.
func showViaLocal(units []unit) {
	var wg sync.WaitGroup
	total := len(units)
	wg.Add(total)
	for _, u := range units {
		if u.off {
			continue // want "GL004"
		}
		go func() {
			defer wg.Done()
			show(u)
		}()
	}
	wg.Wait()
}

// bad: a labelled break leaves the loop with elements left uncounted.
func showUntilOff(units []unit) {
	var wg sync.WaitGroup
	wg.Add(len(units))
scan:
	for _, u := range units {
		switch {
		case u.off:
			break scan // want "GL004"
		}
		go func() {
			defer wg.Done()
			show(u)
		}()
	}
	wg.Wait()
}

// ok: a plain break in a switch only leaves the switch; the goroutine still starts.
func showSwitchBreak(units []unit) {
	var wg sync.WaitGroup
	wg.Add(len(units))
	for _, u := range units {
		switch {
		case u.off:
			fmt.Fprintln(os.Stderr, "off:", u.name)
			break
		}
		go func() {
			defer wg.Done()
			show(u)
		}()
	}
	wg.Wait()
}

// ok: a plain break in a select only leaves the select.
func showSelectBreak(units []unit, stop <-chan struct{}) {
	var wg sync.WaitGroup
	wg.Add(len(units))
	for _, u := range units {
		select {
		case <-stop:
			break
		default:
		}
		go func() {
			defer wg.Done()
			show(u)
		}()
	}
	wg.Wait()
}

// bad: the return runs the deferred Wait with elements never started.
func showOrFail(units []unit) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Add(len(units))
	for _, u := range units {
		if err := check(u); err != nil {
			return err // want "GL004"
		}
		go func() {
			defer wg.Done()
			show(u)
		}()
	}
	return nil
}

// ok: the return also skips the Wait; the goroutines already started still finish and nobody waits
// on the counter (wg is local), so nothing blocks.
func showOrReturn(units []unit) error {
	var wg sync.WaitGroup
	wg.Add(len(units))
	for _, u := range units {
		if err := check(u); err != nil {
			return err
		}
		go func() {
			defer wg.Done()
			show(u)
		}()
	}
	wg.Wait()
	return nil
}

type launcher struct{ prefix string }

func (l *launcher) spawn(wg *sync.WaitGroup, u unit) {
	go func() {
		defer wg.Done()
		fmt.Fprintln(os.Stdout, l.prefix, u.name)
	}()
}

// bad: the goroutine is started by a helper method; the skipped unit gets none.
func (l *launcher) showAll(units []unit) {
	var wg sync.WaitGroup
	wg.Add(len(units))
	for _, u := range units {
		if u.off {
			continue // want "GL004"
		}
		l.spawn(&wg, u)
	}
	wg.Wait()
}

// ok: every unit goes through the helper that starts its goroutine.
func (l *launcher) showEvery(units []unit) {
	var wg sync.WaitGroup
	wg.Add(len(units))
	for _, u := range units {
		l.spawn(&wg, u)
	}
	wg.Wait()
}

// bad: the counter is the caller's parameter: its Wait is the caller's.
func showN(wg *sync.WaitGroup, n int, units []unit) {
	wg.Add(n)
	for i := 0; i < n; i++ {
		if i >= len(units) {
			return // want "GL004"
		}
		go func() {
			defer wg.Done()
			show(units[i])
		}()
	}
}

// bad: wg.Go counts its own goroutine, so the Add before the loop is never matched.
func showWithGo(units []unit) {
	var wg sync.WaitGroup
	wg.Add(len(units))
	for _, u := range units {
		wg.Go(func() { // want "GL004"
			show(u)
		})
	}
	wg.Wait()
}

// ok: wg.Go alone, skipping freely.
func showWithGoOnly(units []unit) {
	var wg sync.WaitGroup
	for _, u := range units {
		if u.off {
			continue
		}
		wg.Go(func() {
			show(u)
		})
	}
	wg.Wait()
}

// bad: the goroutines come from another package's launcher; the skipped name gets none.
func launchNamed(names []string) {
	var wg sync.WaitGroup
	wg.Add(len(names))
	for _, name := range names {
		if name == "" {
			continue // want "GL004"
		}
		pool.Launch(&wg, name)
	}
	wg.Wait()
}

// ok: every name is launched.
func launchAll(names []string) {
	var wg sync.WaitGroup
	wg.Add(len(names))
	for _, name := range names {
		pool.Launch(&wg, name)
	}
	wg.Wait()
}

// bad: go statements running another package's function that defers Done, but one is skipped.
func serveNamed(names []string) {
	var wg sync.WaitGroup
	wg.Add(len(names))
	for _, name := range names {
		if name == "" {
			continue // want "GL004"
		}
		go pool.Serve(&wg, name)
	}
	wg.Wait()
}

// ok: the skipped name is counted down by another package's helper.
func serveOrFinish(names []string) {
	var wg sync.WaitGroup
	wg.Add(len(names))
	for _, name := range names {
		if name == "" {
			pool.Finish(&wg, "empty name")
			continue
		}
		go pool.Serve(&wg, name)
	}
	wg.Wait()
}

// bad: Settle, in another package, returns without Done for an empty name.
func settleAll(names []string) {
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Add(1)
		go pool.Settle(&wg, name) // want "GL004"
	}
	wg.Wait()
}

// ok: Serve defers its Done.
func serveEach(names []string) {
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Add(1)
		go pool.Serve(&wg, name)
	}
	wg.Wait()
}

// ok: the early path hands the count to another package's helper that calls Done.
func settleOrFinish(names []string) {
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Add(1)
		go func() {
			if name == "" {
				pool.Finish(&wg, "empty name")
				return
			}
			fmt.Fprintln(os.Stdout, name)
			wg.Done()
		}()
	}
	wg.Wait()
}

// bad: the goroutine's only Done is another package's Release, which the empty-name return skips.
func releaseNamed(names []string) {
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Add(1)
		go func() {
			if name == "" {
				return // want "GL004"
			}
			pool.Release(&wg, name)
		}()
	}
	wg.Wait()
}

// ok: Release is deferred.
func releaseDeferred(names []string) {
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Add(1)
		go func() {
			defer pool.Release(&wg, name)
			if name == "" {
				return
			}
			fmt.Fprintln(os.Stdout, name)
		}()
	}
	wg.Wait()
}

// bad: the count is a local set from len(units); other statements use it before the loop.
func checkAll(units []unit) []error {
	var wg sync.WaitGroup
	n := len(units)
	errs := make([]error, n)
	wg.Add(n)
	fmt.Fprintln(os.Stdout, "checking", n)
	for i, u := range units {
		if u.off {
			continue // want "GL004"
		}
		go func() {
			defer wg.Done()
			errs[i] = check(u)
		}()
	}
	wg.Wait()
	return errs
}

// bad: var form of the count, and a break.
func checkUntilOff(units []unit) {
	var wg sync.WaitGroup
	var pending = len(units)
	wg.Add(pending)
	for _, u := range units {
		if u.off {
			break // want "GL004"
		}
		go func() {
			defer wg.Done()
			_ = check(u)
		}()
	}
	wg.Wait()
}

// bad: the closer goroutine after the loop waits for a count the skipped unit never brings down.
func collectChecks(units []unit) []error {
	var wg sync.WaitGroup
	errc := make(chan error)
	wg.Add(len(units))
	for _, u := range units {
		if u.off {
			continue // want "GL004"
		}
		go func() {
			defer wg.Done()
			errc <- check(u)
		}()
	}
	go func() {
		wg.Wait()
		close(errc)
	}()
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errs
}

// bad: the closer goroutine is already waiting when the loop returns early.
func firstFailure(units []unit) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(units))
	wg.Add(len(units))
	go func() {
		wg.Wait()
		close(errc)
	}()
	for _, u := range units {
		if u.name == "" {
			return errors.New("unnamed unit") // want "GL004"
		}
		go func() {
			defer wg.Done()
			errc <- check(u)
		}()
	}
	for err := range errc {
		if err != nil {
			return err
		}
	}
	return nil
}

// ok: the closer pattern with Add(1) per started goroutine.
func collectStarted(units []unit) []error {
	var wg sync.WaitGroup
	errc := make(chan error)
	for _, u := range units {
		if u.off {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errc <- check(u)
		}()
	}
	go func() {
		wg.Wait()
		close(errc)
	}()
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errs
}

// bad: another package's Process returns before its defer registers the Done.
func processAll(names []string) {
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Add(1)
		go pool.Process(&wg, name) // want "GL004"
	}
	wg.Wait()
}

// ok: Visit's deferred Done is guarded by a nil check only.
func visitAll(names []string) {
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Add(1)
		go pool.Visit(&wg, name)
	}
	wg.Wait()
}

// bad: the goroutine returns before its deferred Done is registered.
func showLate(units []unit) {
	var wg sync.WaitGroup
	for _, u := range units {
		wg.Add(1)
		go func() {
			if u.off {
				return // want "GL004"
			}
			defer wg.Done()
			show(u)
		}()
	}
	wg.Wait()
}

func (l *launcher) visit(wg *sync.WaitGroup, u unit) {
	if wg != nil {
		defer wg.Done()
	}
	fmt.Fprintln(os.Stdout, l.prefix, u.name)
}

// ok: the nil-guarded deferred Done comes first.
func (l *launcher) visitAll(units []unit) {
	var wg sync.WaitGroup
	for _, u := range units {
		wg.Add(1)
		go l.visit(&wg, u)
	}
	wg.Wait()
}

// dispatcher starts each unit through a func field holding one of its methods.
type dispatcher struct {
	run func(wg *sync.WaitGroup, u unit)
}

func newDispatcher() *dispatcher {
	d := &dispatcher{}
	d.run = d.start
	return d
}

func (d *dispatcher) start(wg *sync.WaitGroup, u unit) {
	go func() {
		defer wg.Done()
		show(u)
	}()
}

// bad: the func field starts the goroutine; the skipped unit gets none.
func (d *dispatcher) dispatchAll(units []unit) {
	var wg sync.WaitGroup
	wg.Add(len(units))
	for _, u := range units {
		if u.off {
			continue // want "GL004"
		}
		d.run(&wg, u)
	}
	wg.Wait()
}

// ok: every unit goes through the func field.
func (d *dispatcher) dispatchEvery(units []unit) {
	var wg sync.WaitGroup
	wg.Add(len(units))
	for _, u := range units {
		d.run(&wg, u)
	}
	wg.Wait()
}

type crew struct {
	size  int
	names []string
}

// bad: the count is a field; the loop stops at the first missing name.
func (c *crew) greetAll() {
	var wg sync.WaitGroup
	wg.Add(c.size)
	for i := 0; i < c.size; i++ {
		if i >= len(c.names) {
			break // want "GL004"
		}
		go func() {
			defer wg.Done()
			fmt.Fprintln(os.Stdout, "hello", c.names[i])
		}()
	}
	wg.Wait()
}

// bad: only the units that are on get a goroutine; the others are counted but never started.
func showOnOnly(units []unit) {
	var wg sync.WaitGroup
	wg.Add(len(units))
	for _, u := range units {
		if !u.off { // want "GL004"
			go func() {
				defer wg.Done()
				show(u)
			}()
		}
	}
	wg.Wait()
}

// ok: the other branch accounts for its unit.
func showOnOrDone(units []unit) {
	var wg sync.WaitGroup
	wg.Add(len(units))
	for _, u := range units {
		if !u.off {
			go func() {
				defer wg.Done()
				show(u)
			}()
		} else {
			wg.Done()
		}
	}
	wg.Wait()
}

// ok: the count of the units never started is taken off after the loop.
func showCorrected(units []unit) {
	var wg sync.WaitGroup
	wg.Add(len(units))
	started := 0
	for _, u := range units {
		if u.off {
			continue
		}
		started++
		go func() {
			defer wg.Done()
			show(u)
		}()
	}
	wg.Add(started - len(units))
	wg.Wait()
}

// bad: a local closure starts each unit's goroutine; the skipped unit gets none.
func showViaClosure(units []unit) {
	var wg sync.WaitGroup
	spawn := func(u unit) {
		go func() {
			defer wg.Done()
			show(u)
		}()
	}
	wg.Add(len(units))
	for _, u := range units {
		if u.off {
			continue // want "GL004"
		}
		spawn(u)
	}
	wg.Wait()
}
