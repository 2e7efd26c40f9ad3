package tally

import (
	"fmt"
	"sync"
)

// Clicker counts words for a caller that waits on a WaitGroup; the root package calls its methods on
// values it holds (a local, a field, a parameter, a constructor's result).
type Clicker struct {
	seen int
}

// NewClicker returns an empty Clicker.
func NewClicker() *Clicker { return &Clicker{} }

// Join counts one more task.
func (c *Clicker) Join(wg *sync.WaitGroup) { wg.Add(1) }

// Click adds for itself at its start: it must not be started with go.
func (c *Clicker) Click(wg *sync.WaitGroup, word string) {
	wg.Add(1)
	defer wg.Done()
	c.seen++
	fmt.Println("click", word)
}

// Note expects its caller to have added for it.
func (c *Clicker) Note(wg *sync.WaitGroup, word string) {
	defer wg.Done()
	fmt.Println("note", word)
}
