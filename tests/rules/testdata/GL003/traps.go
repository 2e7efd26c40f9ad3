package gl003

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Types that look like a WaitGroup but are not sync's.

// WaitGroup is this package's own type (a counter with a mutex), not
// sync.WaitGroup, even though its methods are called Add and Done.
type WaitGroup struct {
	mu sync.Mutex
	n  int
}

func (w *WaitGroup) Add(d int) { w.mu.Lock(); w.n += d; w.mu.Unlock() }

func (w *WaitGroup) Done() { w.Add(-1) }

// ok: a local type named WaitGroup.
func localType() {
	var wg WaitGroup
	go func() {
		wg.Add(1)
		defer wg.Done()
		doWork()
	}()
}

// tracker's implementation is unknown.
type tracker interface {
	Add(delta int)
	Done()
}

// ok: wg has an interface type: not known to be a sync.WaitGroup.
func interfaceTyped(wg tracker) {
	go func() {
		wg.Add(1)
		defer wg.Done()
		doWork()
	}()
}

// ok: an atomic in-flight gauge; Add inside the goroutine is its purpose.
func atomicGauge() {
	var inflight atomic.Int64
	go func() {
		inflight.Add(1)
		defer inflight.Add(-1)
		fmt.Println(inflight.Load())
	}()
}

// ok: the goroutine owns a WaitGroup of its own (declared inside it) and
// Adds before each nested go.
func ownGroup(parts []string) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		var inner sync.WaitGroup
		for _, p := range parts {
			inner.Add(1)
			go func() {
				defer inner.Done()
				fmt.Println(p)
			}()
		}
		inner.Wait()
	}()
	<-done
}
