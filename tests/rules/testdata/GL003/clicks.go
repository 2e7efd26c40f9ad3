package gl003

import (
	"fmt"
	"sync"

	"example.com/gl003/tally"
)

// WaitGroup Adds made by methods of another package's type (tally.Clicker) inside the goroutine.

// bad: Click, started with go on a parameter's method, Adds only once the goroutine runs.
func clickAll(c *tally.Clicker, words []string) {
	var wg sync.WaitGroup
	for _, w := range words {
		go c.Click(&wg, w) // want "GL003"
	}
	wg.Wait()
}

// ok: the caller Adds (through Join) before starting Note.
func clickAllFixed(c *tally.Clicker, words []string) {
	var wg sync.WaitGroup
	for _, w := range words {
		c.Join(&wg)
		go c.Note(&wg, w)
	}
	wg.Wait()
}

// bad: a constructor's result, its Join called inside the goroutine it counts.
func joinLate(words []string) {
	var wg sync.WaitGroup
	c := tally.NewClicker()
	for _, w := range words {
		go func() {
			c.Join(&wg) // want "GL003"
			defer wg.Done()
			fmt.Println(w)
		}()
	}
	wg.Wait()
}

// ok: the same Join, before the go statement.
func joinEarly(words []string) {
	var wg sync.WaitGroup
	c := tally.NewClicker()
	for _, w := range words {
		c.Join(&wg)
		go func() {
			defer wg.Done()
			fmt.Println(w)
		}()
	}
	wg.Wait()
}

type counter struct {
	clicks *tally.Clicker
	wg     sync.WaitGroup
}

// bad: Click on a field's value, started with go.
func (k *counter) run(words []string) {
	for _, w := range words {
		go k.clicks.Click(&k.wg, w) // want "GL003"
	}
	k.wg.Wait()
}

// ok: Click runs synchronously in the loop (it Adds and Dones itself).
func (k *counter) runInline(words []string) {
	for _, w := range words {
		k.clicks.Click(&k.wg, w)
	}
	k.wg.Wait()
}
