// Command soak is a small HTTP service for leaktrail's watch tests. Each request to /work does what its
// -mode says, and net/http/pprof serves the evidence on the same 127.0.0.1 port:
//
//	-mode leak   every request starts -per workers whose caller gives up after 1ms: each worker then
//	             blocks forever sending its result (the goroutine count climbs with the traffic)
//	-mode burst  every request fans out -per workers over a job queue that is drained and closed within
//	             about half a second (the count jumps, then comes back down)
//
// -evil parks a few goroutines under pprof labels made of HTML, so reports must escape them.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime/pprof"
	"time"
)

var (
	mode = flag.String("mode", "leak", "leak or burst")
	per  = flag.Int("per", 3, "goroutines started per request")
	evil = flag.Bool("evil", false, "park goroutines under HTML-looking labels")
)

// compute answers after a few milliseconds on an unbuffered channel.
func compute(out chan<- int) {
	time.Sleep(5 * time.Millisecond)
	out <- 42 // blocks forever once the caller has stopped waiting
}

// leakyWork is the bug: a timed-out caller abandons a sender on an unbuffered channel.
func leakyWork(w http.ResponseWriter, r *http.Request) {
	timedOut := 0
	for range *per {
		result := make(chan int)
		go compute(result)
		select {
		case <-result:
		case <-time.After(time.Millisecond):
			timedOut++
		}
	}
	fmt.Fprintf(w, "timed out %d\n", timedOut)
}

func worker(jobs <-chan int) {
	for job := range jobs {
		time.Sleep(time.Duration(job) * time.Millisecond)
	}
}

// burstyWork fans out and drains: the feeder closes the queue when the batch is done.
func burstyWork(w http.ResponseWriter, r *http.Request) {
	jobs := make(chan int)
	for range *per {
		go worker(jobs)
	}
	go func() {
		for range *per {
			jobs <- 20
			time.Sleep(2 * time.Millisecond)
		}
		close(jobs)
	}()
	w.WriteHeader(http.StatusAccepted)
}

func parkEvil() {
	block := make(chan struct{})
	labels := pprof.Labels(
		"<script>window.__xss=1</script>", `"><img src=x onerror="window.__xss=2">`,
		"route", `</code></td><script>window.__xss=3</script>`,
	)
	for range 3 {
		go pprof.Do(context.Background(), labels, func(context.Context) { <-block })
	}
}

func main() {
	flag.Parse()
	if *evil {
		parkEvil()
	}
	switch *mode {
	case "leak":
		http.HandleFunc("/work", leakyWork)
	case "burst":
		http.HandleFunc("/work", burstyWork)
	default:
		fmt.Fprintln(os.Stderr, "unknown -mode", *mode)
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	if err := http.Serve(ln, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
