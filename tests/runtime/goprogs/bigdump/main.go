// Command bigdump parks -n goroutines over eight patterns and writes one debug=2 dump of all of them,
// for the benchmark and the bounded-memory test. runtime.Stack with a growing buffer has no size cap;
// -pprof writes pprof's debug=2 instead, which the runtime stops at 64 MiB.
package main

import (
	"context"
	"flag"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

var (
	ready   sync.WaitGroup
	global  = make(chan int)
	held    sync.Mutex
	never   = make(chan struct{})
	results = make(chan int)
)

// nest parks at depth d, so stacks have different lengths like real handlers do.
func nest(d int, park func()) {
	if d == 0 {
		ready.Done()
		park()
		return
	}
	nest(d-1, park)
}

func recvLoop()   { for range global {} }
func sendResult() { results <- 1 }
func selectWait() {
	select {
	case <-never:
	case results <- 2:
	}
}
func lockHeld()  { held.Lock() }
func sleepLong() { time.Sleep(time.Hour) }
func nilWait()   { var ch chan int; <-ch }

func main() {
	n := flag.Int("n", 10000, "goroutines to park")
	out := flag.String("out", "dump.txt", "file to write")
	usePprof := flag.Bool("pprof", false, "write with pprof.Lookup(goroutine).WriteTo(w, 2) (64 MiB cap)")
	flag.Parse()

	held.Lock()
	patterns := []func(){recvLoop, sendResult, selectWait, lockHeld, sleepLong, nilWait}
	for i := 0; i < *n; i++ {
		ready.Add(1)
		p := patterns[i%len(patterns)]
		d := i % 4
		if i%8 == 7 {
			pprof.Do(context.Background(), pprof.Labels("handler", "upload"), func(context.Context) {
				go nest(d, p)
			})
			continue
		}
		go nest(d, p)
	}
	ready.Wait()
	time.Sleep(200 * time.Millisecond) // let the last ones park

	f, err := os.Create(*out)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	if *usePprof {
		if err := pprof.Lookup("goroutine").WriteTo(f, 2); err != nil {
			panic(err)
		}
		return
	}
	buf := make([]byte, 64<<20)
	for {
		m := runtime.Stack(buf, true)
		if m < len(buf) {
			buf = buf[:m]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	if _, err := f.Write(buf); err != nil {
		panic(err)
	}
}
