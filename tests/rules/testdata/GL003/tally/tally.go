// Package tally holds WaitGroup helpers that the root package calls across the package boundary.
package tally

import (
	"fmt"
	"sync"
)

// Enroll counts one more task on the WaitGroup.
func Enroll(wg *sync.WaitGroup) { wg.Add(1) }

// Count adds for itself at its start: it must not be started with go.
func Count(wg *sync.WaitGroup, word string) {
	wg.Add(1)
	defer wg.Done()
	fmt.Println("count", word)
}

// Measure expects its caller to have added for it.
func Measure(wg *sync.WaitGroup, word string) {
	defer wg.Done()
	fmt.Println("measure", len(word))
}
