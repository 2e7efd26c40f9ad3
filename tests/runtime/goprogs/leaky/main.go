// Command leaky parks known numbers of goroutines in every leak pattern of the seed article,
// plus healthy ones, then writes its goroutine profiles, serves net/http/pprof, or crashes.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"time"
)

// Counts per pattern; the Python tests assert exactly these (times -scale).
const (
	nRangeUnclosed  = 7
	nSendNoReceiver = 5
	nSelectNoCases  = 3
	nNilRecv        = 4
	nNilSend        = 1
	nWaitGroup      = 6
	nMutex          = 8
	nCond           = 12
	nContextNoStop  = 13
	nLabelled       = 10
	nSleep          = 9
	nGlobalWorkers  = 11
)

// workQueue is global, so the garbage collector cannot prove its readers leaked.
var workQueue = make(chan int)

var ready sync.WaitGroup

func rangeUnclosed(ch <-chan int) {
	ready.Done()
	for v := range ch {
		_ = v
	}
}

func sendNoReceiver(ch chan<- int) {
	ready.Done()
	ch <- 1
}

func selectNoCases() {
	ready.Done()
	select {}
}

func nilRecv() {
	var ch chan int
	ready.Done()
	<-ch
}

func nilSend() {
	var ch chan int
	ready.Done()
	ch <- 1
}

func waitGroupNeverDone(wg *sync.WaitGroup) {
	ready.Done()
	wg.Wait()
}

func mutexHeldForever(mu *sync.Mutex) {
	ready.Done()
	mu.Lock()
}

func condNeverSignalled(c *sync.Cond) {
	c.L.Lock()
	ready.Done()
	c.Wait()
	c.L.Unlock()
}

func contextNeverCancelled(ctx context.Context, results chan<- int) {
	ready.Done()
	select {
	case <-ctx.Done():
	case results <- 1:
	}
}

func labelledConsumer(ch <-chan int) {
	ready.Done()
	<-ch
}

func sleeper() {
	ready.Done()
	time.Sleep(time.Hour)
}

func globalWorker() {
	ready.Done()
	for v := range workQueue {
		_ = v
	}
}

func start(scale int) {
	// One `go` statement per pattern, so each group has its own creation site.
	unclosed := make(chan int)
	for range nRangeUnclosed * scale {
		ready.Add(1)
		go rangeUnclosed(unclosed)
	}
	for range nSendNoReceiver * scale {
		ready.Add(1)
		go sendNoReceiver(make(chan int))
	}
	for range nSelectNoCases * scale {
		ready.Add(1)
		go selectNoCases()
	}
	for range nNilRecv * scale {
		ready.Add(1)
		go nilRecv()
	}
	for range nNilSend * scale {
		ready.Add(1)
		go nilSend()
	}
	wg := new(sync.WaitGroup)
	wg.Add(1)
	for range nWaitGroup * scale {
		ready.Add(1)
		go waitGroupNeverDone(wg)
	}
	// A struct with a pointer field, so the mutex is not packed into a tiny block with live objects.
	held := &guarded{owner: new(int)}
	held.mu.Lock()
	for range nMutex * scale {
		ready.Add(1)
		go mutexHeldForever(&held.mu)
	}
	cond := sync.NewCond(&sync.Mutex{})
	for range nCond * scale {
		ready.Add(1)
		go condNeverSignalled(cond)
	}
	ctx, _ := context.WithCancel(context.Background()) //nolint:govet // the leak under test
	for range nContextNoStop * scale {
		ready.Add(1)
		go contextNeverCancelled(ctx, make(chan int))
	}
	labelled := make(chan int)
	for range nLabelled * scale {
		ready.Add(1)
		pprof.Do(context.Background(), pprof.Labels("worker", "ingest", "tenant id", "a b"), func(context.Context) {
			go labelledConsumer(labelled)
		})
	}
	for range nSleep * scale {
		ready.Add(1)
		go sleeper()
	}
	for range nGlobalWorkers * scale {
		ready.Add(1)
		go globalWorker()
	}
	ready.Wait()
	waitParked()
}

type guarded struct {
	mu    sync.Mutex
	owner *int
}

// waitParked returns once no goroutine but the caller is runnable or running, so dumps are stable.
func waitParked() {
	buf := make([]byte, 1<<20)
	for i := 0; i < 500; i++ {
		n := runtime.Stack(buf, true)
		if n == len(buf) {
			buf = make([]byte, 2*len(buf))
			continue
		}
		busy := strings.Count(string(buf[:n]), "[runnable]") + strings.Count(string(buf[:n]), "[running]")
		if busy <= 1 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func write(dir, name string, profile string, debug int) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		panic(err)
	}
	defer f.Close()
	if err := pprof.Lookup(profile).WriteTo(f, debug); err != nil {
		panic(err)
	}
}

func main() {
	out := flag.String("out", "", "write the goroutine and goroutineleak profiles into this directory")
	serve := flag.Bool("serve", false, "serve net/http/pprof on 127.0.0.1, print the address, run forever")
	crash := flag.Bool("crash", false, "panic after parking (set GOTRACEBACK to choose the dump)")
	scale := flag.Int("scale", 1, "multiply every pattern's count")
	flag.Parse()

	start(*scale)

	if *out != "" {
		// Ordinary dumps first: the leak profile's GC marks goroutines (leaked) for good.
		write(*out, "goroutine.debug2.txt", "goroutine", 2)
		write(*out, "goroutine.debug1.txt", "goroutine", 1)
		write(*out, "goroutine.debug0.pb.gz", "goroutine", 0)
		write(*out, "goroutineleak.debug2.txt", "goroutineleak", 2)
		write(*out, "goroutineleak.debug1.txt", "goroutineleak", 1)
		write(*out, "goroutineleak.debug0.pb.gz", "goroutineleak", 0)
		write(*out, "goroutine-after-leak.debug1.txt", "goroutine", 1)
	}
	if *serve {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			panic(err)
		}
		fmt.Printf("listening on http://%s\n", ln.Addr())
		os.Stdout.Sync()
		panic(http.Serve(ln, nil))
	}
	if *crash {
		panic("leaky: crash requested")
	}
}
