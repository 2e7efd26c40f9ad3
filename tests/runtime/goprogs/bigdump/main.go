// Command bigdump parks -n goroutines over eight patterns and writes one debug=2 dump of all of them,
// for the benchmark and the bounded-memory test. runtime.Stack with a growing buffer has no size cap;
// -pprof writes pprof's debug=2 instead, which the runtime stops at 64 MiB.
package main

import (
	"bytes"
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

// settle waits until every goroutine is parked in its pattern: Done runs just before the park, so on a
// loaded machine some are still on their way when Wait returns. The debug=1 profile then has one record
// per (pattern, depth, labels) combination, plus main.
func settle(n int) {
	type combo struct{ p, d int; labelled bool }
	want := map[combo]bool{}
	for i := 0; i < n; i++ {
		want[combo{i % 6, i % 4, i%8 == 7}] = true
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var b bytes.Buffer
		if err := pprof.Lookup("goroutine").WriteTo(&b, 1); err != nil {
			panic(err)
		}
		records := 0
		for _, line := range bytes.Split(b.Bytes(), []byte("\n")) {
			if len(line) > 0 && line[0] >= '0' && line[0] <= '9' && bytes.Contains(line, []byte(" @ ")) {
				records++
			}
		}
		if records <= len(want)+1 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

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
	settle(*n)

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
