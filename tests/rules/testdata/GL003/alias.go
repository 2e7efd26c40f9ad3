package gl003

import (
	"fmt"
	s "sync"
)

// Import alias: `s "sync"` — s.WaitGroup is sync.WaitGroup.

// bad: aliased import.
func aliasAddInside(names []string) {
	var wg s.WaitGroup
	for _, n := range names {
		go func() {
			wg.Add(1) // want "GL003"
			defer wg.Done()
			fmt.Println(n)
		}()
	}
	wg.Wait()
}

// ok: aliased import, Add before go.
func aliasAddBefore(names []string) {
	wg := new(s.WaitGroup)
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fmt.Println(n)
		}()
	}
	wg.Wait()
}
