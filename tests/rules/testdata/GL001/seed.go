// Package gl001 specifies GL001 (range-never-closed) by example.
//
// Contract (go vet analysistest style): a line that must be reported ends
// with a want comment naming GL001; every other line must stay silent.
//
// Cases: each case opens with a top-level comment "// bad: …" (it holds at
// least one want) or "// ok: …" (it holds none) and runs until the next such
// comment in the same file. Helpers after a case belong to it.
//
// GL001 is reported on the `for … range` line.
package gl001

import "fmt"

type Event struct {
	ID   int
	Kind string
}

func process(e Event) { fmt.Println(e.ID, e.Kind) }

// bad: seed §1.1 — listenEvents ranges over its parameter; its only in-package
// call site (startListener) passes a channel made there that nothing closes.
// The `chan Event` → `<-chan Event` conversion at the call keeps the channel.
func listenEvents(ch <-chan Event) {
	for e := range ch { // want "GL001"
		process(e)
	}
}

func startListener(batch []Event) {
	events := make(chan Event)
	go listenEvents(events)
	for _, e := range batch { // a slice, not a channel
		events <- e
	}
}

// ok: seed §1.1 fixed — the goroutine that sends closes the channel when it is
// done (`defer close(events)`), so listenAll's range over its parameter ends.
func listenClosed(batch []Event) {
	events := make(chan Event)
	go func() {
		defer close(events)
		for _, e := range batch {
			events <- e
		}
	}()
	listenAll(events)
}

func listenAll(ch <-chan Event) {
	for e := range ch {
		process(e)
	}
}

// bad: seed §2.2 — a buffered channel is filled and then ranged; close(ch) was
// forgotten, so the loop blocks forever once the buffer is drained.
func bufferedForgotClose() {
	ch := make(chan int, 2)
	ch <- 1
	ch <- 2
	for v := range ch { // want "GL001"
		fmt.Println(v)
	}
}

// ok: seed §2.2 fixed — close(ch) before the range.
func bufferedClosed() {
	ch := make(chan int, 2)
	ch <- 1
	ch <- 2
	close(ch)
	for v := range ch {
		fmt.Println(v)
	}
}

// bad: the receiving goroutine is a closure over a local channel that the
// sender never closes: the goroutine outlives closureReceiver.
func closureReceiver(lines []string) {
	out := make(chan string)
	go func() {
		for l := range out { // want "GL001"
			fmt.Println(l)
		}
	}()
	for _, l := range lines {
		out <- l
	}
}

// bad: a closure assigned to a variable, then launched with `go consume()`.
func closureVariable(n int) {
	results := make(chan int, n)
	consume := func() {
		for r := range results { // want "GL001"
			fmt.Println(r)
		}
	}
	go consume()
	for i := range n { // range over an int (Go 1.22), not a channel
		results <- i * i
	}
}

// bad: the channel reaches the goroutine as an argument of the function
// literal; the go statement is the literal's only call site. `for range c`
// without variables is still a range over a channel.
func literalParam() {
	ticks := make(chan struct{})
	go func(c <-chan struct{}) {
		for range c { // want "GL001"
			fmt.Println("tick")
		}
	}(ticks)
	ticks <- struct{}{}
}

// bad: range over a receive-only view of a local channel: `var in <-chan int
// = raw` converts the direction, it does not close anything.
func directionalView() {
	raw := make(chan int)
	var in <-chan int = raw
	go func() { raw <- 1 }()
	for v := range in { // want "GL001"
		fmt.Println(v)
	}
}

// bad: channels are resolved by variable, not by name: closeOtherDone closes
// its own local that happens to be called done as well.
func sameNameNotClosed(n int) {
	done := make(chan bool, n)
	for i := range n {
		go func() { done <- i%2 == 0 }()
	}
	even := 0
	for ok := range done { // want "GL001"
		if ok {
			even++
		}
	}
	fmt.Println(even)
}

func closeOtherDone() {
	done := make(chan bool)
	close(done)
}

// ok: closed through a local alias of the same channel (out := ch; close(out)).
func closedThroughAlias(words []string) {
	ch := make(chan string, len(words))
	out := ch
	for _, w := range words {
		out <- w
	}
	close(out)
	for w := range ch {
		fmt.Println(w)
	}
}

// ok: closed in a deferred closure of the producing goroutine.
func closedInDeferredClosure(n int) {
	ch := make(chan int)
	go func() {
		defer func() {
			close(ch)
			fmt.Println("producer done")
		}()
		for i := range n {
			ch <- i
		}
	}()
	for v := range ch {
		fmt.Println(v)
	}
}
