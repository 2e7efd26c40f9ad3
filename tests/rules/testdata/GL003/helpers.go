package gl003

import (
	"fmt"
	"sync"

	"example.com/gl003/tally"
)

// WaitGroup Adds made one call away from the goroutine.

func enrollLocal(wg *sync.WaitGroup) { wg.Add(1) }

// bad: a same-package helper Adds inside the goroutine it counts.
func countLocal(words []string) {
	var wg sync.WaitGroup
	for _, w := range words {
		go func() {
			enrollLocal(&wg) // want "GL003"
			defer wg.Done()
			fmt.Println(w)
		}()
	}
	wg.Wait()
}

// bad: another package's helper Adds inside the goroutine it counts.
func countRemote(words []string) {
	var wg sync.WaitGroup
	for _, w := range words {
		go func() {
			tally.Enroll(&wg) // want "GL003"
			defer wg.Done()
			fmt.Println(w)
		}()
	}
	wg.Wait()
}

// bad: another package's function Adds at its start and is started with go.
func countStarted(words []string) {
	var wg sync.WaitGroup
	for _, w := range words {
		go tally.Count(&wg, w) // want "GL003"
	}
	wg.Wait()
}

// ok: the helper Adds before the go statement.
func countEnrolled(words []string) {
	var wg sync.WaitGroup
	for _, w := range words {
		tally.Enroll(&wg)
		go func() {
			defer wg.Done()
			fmt.Println(w)
		}()
	}
	wg.Wait()
}

// ok: Count runs synchronously; Measure is added for before the go statement.
func countInline(words []string) {
	var wg sync.WaitGroup
	for _, w := range words {
		tally.Count(&wg, w)
		wg.Add(1)
		go tally.Measure(&wg, w)
	}
	wg.Wait()
}

// ok: the goroutine counts the goroutines it starts itself.
func countNested(groups [][]string) {
	var outer sync.WaitGroup
	for _, g := range groups {
		outer.Add(1)
		go func() {
			defer outer.Done()
			var inner sync.WaitGroup
			for _, w := range g {
				tally.Enroll(&inner)
				go tally.Measure(&inner, w)
			}
			inner.Wait()
		}()
	}
	outer.Wait()
}

// bad: the WaitGroup pointer is captured, and the helper Adds inside the goroutine.
func countShared(wg *sync.WaitGroup, words []string) {
	for _, w := range words {
		go func() {
			tally.Enroll(wg) // want "GL003"
			defer wg.Done()
			fmt.Println(w)
		}()
	}
}
