package gl004

import "fmt"

// Look-alikes of sync.WaitGroup: silent.

// WaitGroup is this package's own type, not sync.WaitGroup.
type WaitGroup struct{ pending int }

func (w *WaitGroup) Add(n int) { w.pending += n }

func (w *WaitGroup) Done() { w.pending-- }

func (w *WaitGroup) Wait() { fmt.Println("pending", w.pending) }

// ok: a local type named WaitGroup.
func localType(ids []int) {
	var wg WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			if _, err := fetch(id); err != nil {
				return
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

// doner's implementation is unknown.
type doner interface {
	Done()
}

// ok: wg has an interface type: not known to be a sync.WaitGroup.
func interfaceTyped(wg doner, ids []int) {
	for _, id := range ids {
		go func() {
			if _, err := fetch(id); err != nil {
				return
			}
			wg.Done()
		}()
	}
}
