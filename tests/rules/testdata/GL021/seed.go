// Package gl021 specifies GL021 (nil-channel-op) by example.
//
// Contract (go vet analysistest style): a line that must be reported ends
// with a want comment naming GL021; every other line must stay silent.
//
// GL021 is reported at a send, receive or range on a channel that is
// provably nil: a variable declared without a value (`var ch chan T`) that
// nothing ever assigns — no assignment in the function or its closures, no
// address taken — or an unexported struct field / package variable that the
// package never assigns and no composite literal sets. Operations that are
// cases of a select are left to GL005 (a nil case is the idiom that disables
// it), and a channel that is assigned anywhere is not provably nil.
package gl021

import "fmt"

func compute() int { return 1 }

// bad: forgot the make — the receive on a nil channel blocks forever.
func forgotMake() int {
	var results chan int
	go func() {
		results <- compute() // want "GL021"
	}()
	return <-results // want "GL021"
}

// ok: the same with the make.
func withMake() int {
	results := make(chan int)
	go func() {
		results <- compute()
	}()
	return <-results
}

// bad: ranging over a nil channel never starts and never ends.
func rangeNil() {
	var events <-chan string
	for e := range events { // want "GL021"
		fmt.Println(e)
	}
}

// ok: the nil-channel-in-select idiom — the channel is assigned when there
// is something to read, and the nil case is simply disabled until then.
func disableCase(src chan int, done chan struct{}, ready bool) {
	var in chan int
	if ready {
		in = src
	}
	select {
	case v := <-in:
		fmt.Println(v)
	case <-done:
	}
}

// ok: assigned later in the function.
func assignedLater(n int) {
	var ch chan int
	ch = make(chan int, n)
	ch <- 1
}

// ok: assigned in a closure.
func assignedInClosure(setup func(func())) int {
	var ch chan int
	setup(func() { ch = make(chan int, 1) })
	ch <- 1
	return <-ch
}

func open(p *chan int) { *p = make(chan int, 1) }

// ok: its address escapes: open can assign it.
func addressTaken() int {
	var ch chan int
	open(&ch)
	ch <- 1
	return <-ch
}

// ok: a receive that is one case of a select with another case does not
// block forever (GL005 judges selects whose every case is nil).
func selectCase(done chan struct{}) {
	var never chan int
	select {
	case <-never:
	case <-done:
	}
}

// bad: grouped declaration — only b gets a value.
func grouped() {
	var (
		a chan int
		b = make(chan int, 1)
	)
	b <- 1
	a <- <-b // want "GL021"
}

// ok: redeclared by := with a new variable: ch is assigned.
func redeclared(mk func() (chan int, error)) int {
	var ch chan int
	ch, err := mk()
	if err != nil {
		return 0
	}
	return <-ch
}

// ok: a parameter may be nil, but not provably.
func fromParam(ch chan int) int {
	return <-ch
}

// bad: a multi-name declaration of nil channels; the send blocks forever.
func twoNames() {
	var in, out chan int
	go func() {
		for v := range in { // want "GL021"
			fmt.Println(v)
		}
	}()
	out <- 1 // want "GL021"
}

func consume(ch chan int) { _ = ch }

// bad: passing the channel by value does not make it: it is still nil here.
func passedByValue() int {
	var ch chan int
	consume(ch)
	return <-ch // want "GL021"
}

// bad: a send-only nil channel declared inside the goroutine itself.
func insideGoroutine() {
	go func() {
		var errc chan<- error
		errc <- nil // want "GL021"
	}()
}

// bad: a receive with the comma-ok form still blocks on a nil channel.
func commaOk() bool {
	var ready chan struct{}
	_, ok := <-ready // want "GL021"
	return ok
}
