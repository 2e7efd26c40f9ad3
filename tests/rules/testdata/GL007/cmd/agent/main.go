// Command agent: goroutines started once on main's path live as long as the
// process by design; code of a command that may run more than once is still
// reported (as info).
package main

import (
	"fmt"
	"net/http"
	"time"

	"example.com/gl007/cmd/agent/poller"
)

type stats struct{ hits int }

// ok: called once, from main only: the reporter is meant to run until exit.
func startReporter(s *stats) {
	go func() {
		for {
			time.Sleep(10 * time.Second)
			fmt.Println("hits:", s.hits)
		}
	}()
}

// ok: a method reached only through setup, which main calls once.
func (s *stats) decay() {
	go func() {
		for range time.Tick(time.Minute) {
			s.hits /= 2
		}
	}()
}

func setup(s *stats) {
	startReporter(s)
	s.decay()
}

// bad: started once per target, from a loop in main: each call adds one
// more endless goroutine.
func watchTarget(name string) {
	go func() { // want "GL007"
		for {
			time.Sleep(time.Second)
			fmt.Println("probe", name)
		}
	}()
}

// bad: a handler runs once per request.
func handle(w http.ResponseWriter, r *http.Request) {
	go func() { // want "GL007"
		for {
			time.Sleep(time.Second)
			fmt.Println("still here")
		}
	}()
}

func main() {
	s := &stats{}
	setup(s)
	for _, t := range []string{"a", "b"} {
		watchTarget(t)
	}
	poller.Start()
	http.HandleFunc("/", handle)
	_ = http.ListenAndServe("127.0.0.1:8080", nil)
}
