package gl001

import "fmt"

// Channel parameters: a range over a parameter is reported when every
// in-package call site passes an unclosed channel made in this package.

type Job struct{ ID int }

type Server struct{ name string }

// bad: named goroutine entry point `go s.worker(jobs)`: the method ranges its
// parameter and its only call site (Serve) passes a local channel nobody closes.
func (s *Server) worker(jobs chan Job) {
	for j := range jobs { // want "GL001"
		fmt.Println(s.name, j.ID)
	}
}

func (s *Server) Serve(ids []int) {
	jobs := make(chan Job, len(ids))
	go s.worker(jobs)
	for _, id := range ids {
		jobs <- Job{ID: id}
	}
}

// bad: both in-package call sites (sumA, sumB) pass unclosed local channels.
func sum(ch chan int) int {
	total := 0
	for v := range ch { // want "GL001"
		total += v
	}
	return total
}

func sumA() {
	ch := make(chan int, 1)
	ch <- 1
	fmt.Println(sum(ch))
}

func sumB() {
	nums := make(chan int, 3)
	go func() { nums <- 2 }()
	fmt.Println(sum(nums))
}

// bad: exported, but it has an in-package caller (drainLocal) that passes an
// unclosed channel. The spec silences an exported function only when it has
// no in-package callers; here the in-package call leaks for certain.
func Drain(ch <-chan string) {
	for s := range ch { // want "GL001"
		fmt.Println(s)
	}
}

func drainLocal() {
	msgs := make(chan string)
	go Drain(msgs)
	msgs <- "hello"
}

// ok: exported and no in-package callers: callers we cannot see decide
// whether the channel gets closed.
func Consume(ch <-chan int) int {
	n := 0
	for range ch {
		n++
	}
	return n
}

// ok: one call site (MergeFrom) passes a channel we cannot see — the parameter
// of an exported function — so the range may well end; mergeLocal alone would
// not be enough to report.
func merge(ch chan int) {
	for v := range ch {
		fmt.Println(v)
	}
}

func mergeLocal() {
	ch := make(chan int, 1)
	ch <- 1
	go merge(ch)
}

func MergeFrom(in chan int) { go merge(in) }

// ok: the channel is handed to a same-package function that closes its
// parameter (`defer close(out)`), which closes the caller's channel.
func producedElsewhere(n int) {
	ch := make(chan int)
	go produce(ch, n)
	for v := range ch {
		fmt.Println(v)
	}
}

func produce(out chan<- int, n int) {
	defer close(out)
	for i := range n {
		out <- i
	}
}

// bad: the channel is handed to a same-package producer we can read in full:
// produceThree only sends, never closes and passes the channel nowhere else,
// so this is not an escape.
func producedNeverClosed() {
	ch := make(chan int)
	go produceThree(ch)
	for v := range ch { // want "GL001"
		fmt.Println(v)
	}
}

func produceThree(out chan<- int) {
	for i := 0; i < 3; i++ {
		out <- i
	}
}
