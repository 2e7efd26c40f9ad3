package gl003

import (
	"fmt"
	"sync"
)

// Named goroutine entry points: a function or method launched with go.

// bad: method launched with `go s.handle(r)` (Serve); its first statement
// Adds to the WaitGroup field that its deferred Done decrements.
func (s *Server) handle(req string) {
	s.wg.Add(1) // want "GL003"
	defer s.wg.Done()
	fmt.Println(s.name, req)
}

func (s *Server) Serve(reqs []string) {
	for _, r := range reqs {
		go s.handle(r)
	}
	s.wg.Wait()
}

// bad: function with a *sync.WaitGroup parameter, launched with
// `go process(it, &wg)`.
func process(item int, wg *sync.WaitGroup) {
	wg.Add(1) // want "GL003"
	defer wg.Done()
	fmt.Println(item)
}

func processAll(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		go process(it, &wg)
	}
	wg.Wait()
}

// ok: start is called, not launched; it Adds and then starts the goroutine
// (loop) that calls Done.
func (s *Server) start() {
	s.wg.Add(1)
	go s.loop()
}

func (s *Server) loop() {
	defer s.wg.Done()
	fmt.Println(s.name, "running")
}

// ok: a function launched with go that only calls Done; the caller added.
func worker(id int, wg *sync.WaitGroup) {
	defer wg.Done()
	fmt.Println("worker", id)
}

func runWorkers(n int) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go worker(i, &wg)
	}
	wg.Wait()
}

// bad: launched through a method value (`run := c.collect; go run()`).
func (c *Collector) collect() {
	c.wg.Add(1) // want "GL003"
	defer c.wg.Done()
	c.total++
}

func (c *Collector) Start() {
	run := c.collect
	go run()
	c.wg.Wait()
}
