package gl004

import (
	"context"
	"fmt"
	"sort"
	"sync"
)

// bad: one goroutine works through a batch counted with Add(len(batch)) and
// calls Done per item; `continue` skips the Done of the skipped item.
func batchContinue(batch []Order) {
	var wg sync.WaitGroup
	wg.Add(len(batch))
	go func() {
		for _, o := range batch {
			if o.Email == "" {
				continue // want "GL004"
			}
			save(o)
			wg.Done()
		}
	}()
	wg.Wait()
}

// ok: the `continue` belongs to a loop that runs before Done; Done after the
// loop still runs.
func continueBeforeDone(batches [][]Order) {
	var wg sync.WaitGroup
	for _, b := range batches {
		wg.Add(1)
		go func() {
			for _, o := range b {
				if o.Email == "" {
					continue
				}
				save(o)
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

// ok: `break` leaves the loop, not the goroutine; Done after the loop runs.
func breakThenDone(in <-chan Order) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		for o := range in {
			if o.ID < 0 {
				break
			}
			save(o)
		}
		wg.Done()
	}()
	wg.Wait()
}

// bad: a `return` inside the loop leaves the goroutine; Done is after the loop.
func returnInLoop(batches [][]Order) {
	var wg sync.WaitGroup
	for _, b := range batches {
		wg.Add(1)
		go func() {
			for _, o := range b {
				if o.ID < 0 {
					return // want "GL004"
				}
				save(o)
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

// bad: a select case returns when the context is cancelled, skipping Done
// (Wait then blocks even though everyone was told to stop).
func selectReturn(ctx context.Context, in <-chan Order) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		select {
		case <-ctx.Done():
			return // want "GL004"
		case o := <-in:
			save(o)
		}
		wg.Done()
	}()
	wg.Wait()
}

// bad: a switch case returns before Done.
func switchReturn(orders []Order) {
	var wg sync.WaitGroup
	for _, o := range orders {
		wg.Add(1)
		go func() {
			switch {
			case o.ID < 0:
				fmt.Println("invalid order")
				return // want "GL004"
			case o.Email == "":
				fmt.Println("no email")
			}
			save(o)
			wg.Done()
		}()
	}
	wg.Wait()
}

// ok: the `return` belongs to a nested function literal (the sort.Slice
// comparator), not to the goroutine.
func nestedLiteralReturn(batch []Order) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		sort.Slice(batch, func(i, j int) bool {
			return batch[i].ID < batch[j].ID
		})
		for _, o := range batch {
			save(o)
		}
		wg.Done()
	}()
	wg.Wait()
}
