// Package feed returns channels to its callers in package gl001.
package feed

// Numbers sends each number on a channel it never closes.
func Numbers(xs []int) chan int {
	ch := make(chan int)
	go func() {
		for _, x := range xs {
			ch <- x
		}
	}()
	return ch
}

// Finite sends each number and closes the channel when done.
func Finite(xs []int) <-chan int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for _, x := range xs {
			ch <- x
		}
	}()
	return ch
}

// Ticker hands out a channel that only Stop closes.
type Ticker struct {
	c chan int
}

// Start returns the ticker's channel.
func Start() *Ticker {
	return &Ticker{c: make(chan int)}
}

// Events returns the channel a Stop call closes.
func (t *Ticker) Events() chan int { return t.c }

// Stop closes the events channel.
func (t *Ticker) Stop() { close(t.c) }
