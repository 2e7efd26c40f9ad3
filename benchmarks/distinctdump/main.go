// Command distinctdump parks -n goroutines whose stacks all differ and writes one debug=2 dump of them:
// the worst case for grouping (one group per goroutine), like a server whose every request took its own
// path through a call tree. Goroutine i descends 8 levels, calling one of four functions by two bits of i
// at each level, so n goroutines up to 65,536 have n distinct call paths (18 frames each); half park on a
// channel receive, half on a send.
package main

import (
	"flag"
	"os"
	"runtime"
	"sync"
	"time"
)

const depth = 8

var (
	ready  sync.WaitGroup
	inbox  = make(chan int) // nobody sends
	outbox = make(chan int) // nobody receives
)

func park(i int) {
	ready.Done()
	if i%2 == 0 {
		<-inbox
		return
	}
	outbox <- i
}

//go:noinline
func step(i, d int) {
	if d > depth {
		park(i)
		return
	}
	switch i >> (2 * (d - 1)) & 3 {
	case 0:
		a(i, d)
	case 1:
		b(i, d)
	case 2:
		c(i, d)
	default:
		e(i, d)
	}
}

//go:noinline
func a(i, d int) { step(i, d+1) }

//go:noinline
func b(i, d int) { step(i, d+1) }

//go:noinline
func c(i, d int) { step(i, d+1) }

//go:noinline
func e(i, d int) { step(i, d+1) }

func main() {
	n := flag.Int("n", 20000, "goroutines to park (distinct stacks up to 65,536)")
	out := flag.String("out", "dump.txt", "file to write")
	flag.Parse()
	for i := 0; i < *n; i++ {
		ready.Add(1)
		go step(i, 1)
	}
	ready.Wait()
	time.Sleep(100 * time.Millisecond) // Done runs just before the park: let the last ones get there
	buf := make([]byte, 64<<20)
	for {
		m := runtime.Stack(buf, true)
		if m < len(buf) {
			buf = buf[:m]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	if err := os.WriteFile(*out, buf, 0o644); err != nil {
		panic(err)
	}
}
