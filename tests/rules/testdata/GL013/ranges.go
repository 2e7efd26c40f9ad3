package gl013

import (
	"fmt"
	"time"
)

// `for range ticker.C` never ends by itself (a ticker's channel is never closed): only a break,
// return or goto leaves it, so the loop's natural exit is no path.

// ok: the loop's only way out stops the ticker; nothing follows the loop.
func pollUntil(ready func() bool) {
	tk := time.NewTicker(20 * time.Millisecond)
	for range tk.C {
		if ready() {
			tk.Stop()
			return
		}
	}
}

// ok: code after the loop is dead unless a break reaches it, and the break stops first.
func pollThenReport(ready func() bool) string {
	tk := time.NewTicker(20 * time.Millisecond)
	for range tk.C {
		if ready() {
			tk.Stop()
			break
		}
	}
	return "ready"
}

// bad: the break leaves the loop without stopping the ticker.
func pollLeaky(ready func() bool) string {
	tk := time.NewTicker(20 * time.Millisecond) // want "GL013"
	for range tk.C {
		if ready() {
			break
		}
	}
	return "ready"
}

// bad: an early return inside the loop skips the Stop.
func pollError(check func() error) error {
	tk := time.NewTicker(20 * time.Millisecond) // want "GL013"
	for range tk.C {
		if err := check(); err != nil {
			return err
		}
		if check == nil {
			tk.Stop()
			return nil
		}
	}
	return nil
}

// ok: a ranged ticker owned by a goroutine that stops it when its loop's only exit is taken.
func background(work func() bool) {
	go func() {
		tk := time.NewTicker(time.Second)
		for t := range tk.C {
			if !work() {
				tk.Stop()
				fmt.Println("stopped at", t)
				return
			}
		}
		fmt.Println("never printed")
	}()
}
