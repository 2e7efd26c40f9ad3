// Package gl005 specifies GL005 (select-blocks-forever) by example.
//
// Contract (go vet analysistest style): a line that must be reported ends
// with a want comment naming GL005; every other line must stay silent.
//
// GL005 is reported on the select line: an empty `select {}` outside main,
// init and TestMain (the deliberate "park this goroutine forever" of a
// program's top level), and a select without default whose every case
// operates on a nil channel or on a local channel that nothing else can ever
// operate on (no other send, receive, close or hand-off anywhere).
package gl005

import (
	"fmt"
	"time"
)

// bad: seed §2.1 — `ch := make(chan int, 0); select { case <-ch: }` with no
// sender: the select never wakes up.
func seedNoSender() {
	ch := make(chan int, 0)
	select { // want "GL005"
	case <-ch:
	}
}

// ok: the seed's fix — a time.After case bounds the wait.
func seedWithTimeout() {
	ch := make(chan int, 0)
	select {
	case <-ch:
	case <-time.After(1 * time.Second):
	}
}

// ok: a default case: the select never blocks.
func seedWithDefault() {
	ch := make(chan int, 0)
	select {
	case <-ch:
	default:
	}
}

// bad: `select {}` in an ordinary function parks its goroutine forever.
func parkForever() {
	fmt.Println("started")
	select {} // want "GL005"
}

// bad: `select {}` at the end of a goroutine.
func startBackground() {
	go func() {
		fmt.Println("background work")
		select {} // want "GL005"
	}()
}

// bad: every case is on a nil channel (declared, never made).
func allNil() {
	var in chan int
	var out chan string
	select { // want "GL005"
	case v := <-in:
		fmt.Println(v)
	case out <- "x":
	}
}

// bad: a nil channel and a local channel nobody else touches.
func nilAndOrphan() {
	var quit chan struct{}
	data := make(chan int)
	select { // want "GL005"
	case <-quit:
	case data <- 1:
	}
}

// bad: a buffered channel that nobody ever sends to: the receive case can
// never fire.
func bufferedNoSender() int {
	ch := make(chan int, 4)
	select { // want "GL005"
	case v := <-ch:
		return v
	}
}

// ok: a goroutine sends on the channel.
func withSender() int {
	ch := make(chan int)
	go func() { ch <- 1 }()
	select {
	case v := <-ch:
		return v
	}
}

// ok: the channel is handed to another function, which may send.
func handedOff(start func(chan<- int)) int {
	ch := make(chan int)
	start(ch)
	select {
	case v := <-ch:
		return v
	}
}

// ok: the nil-channel idiom — the channel is assigned on some path, so it is
// not provably nil.
func maybeNil(src chan int, on bool) int {
	var in chan int
	if on {
		in = src
	}
	select {
	case v := <-in:
		return v
	}
}

// ok: closed on another path: the receive case fires.
func closedElsewhere(fail bool) {
	ch := make(chan struct{})
	if fail {
		close(ch)
	}
	select {
	case <-ch:
	}
}

// ok: a buffered channel with room: the send case fires at once.
func bufferedSend() {
	ch := make(chan int, 1)
	select {
	case ch <- 1:
	}
}

// ok: a parameter: the caller may send on it.
func fromParam(ch <-chan int) int {
	select {
	case v := <-ch:
		return v
	}
}

type hub struct {
	events chan string
}

// bad: a method that parks forever with `select {}`.
func (h *hub) serve() {
	go h.pump()
	select {} // want "GL005"
}

func (h *hub) pump() {
	for e := range h.events {
		fmt.Println(e)
	}
}

// ok: a struct field made by the constructor: other code can send on it.
func newHub() *hub { return &hub{events: make(chan string)} }

func (h *hub) next() string {
	select {
	case e := <-h.events:
		return e
	}
}

// ok: the channel is also used by another select in a loop's goroutine.
func sharedAcrossSelects(n int) {
	ch := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			select {
			case ch <- i:
			}
		}
	}()
	for i := 0; i < n; i++ {
		select {
		case v := <-ch:
			fmt.Println(v)
		}
	}
}

// bad: an explicit nil channel conversion as the only case.
func explicitNil() {
	select { // want "GL005"
	case <-(chan int)(nil):
	}
}
