package gl009

// A goroutine with a stop signal of its own is not detached from anything:
// tying it to r.Context() instead would stop it when the request ends, which
// is not when it is meant to stop.

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Hub fans events out to subscribers until it is shut down.
type Hub struct {
	mu     sync.Mutex
	quit   chan struct{}
	events chan string
	halt   chan struct{}
}

// ok: the watcher started by the handler stops when the hub is shut down
// (Shutdown closes h.quit); it is meant to outlive the request.
func (h *Hub) subscribe(w http.ResponseWriter, r *http.Request) {
	go func() {
		for {
			select {
			case <-h.quit:
				return
			case ev := <-h.events:
				fmt.Println("event", ev)
			}
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

// Shutdown stops every watcher.
func (h *Hub) Shutdown() { close(h.quit) }

// ok: it waits for the hub's own stop signal, then cleans up.
func (h *Hub) register(w http.ResponseWriter, r *http.Request) {
	go func() {
		<-h.quit
		h.mu.Lock()
		fmt.Println("unregistered")
		h.mu.Unlock()
	}()
}

// bad: h.halt looks like a stop channel, but nothing in the package closes
// or sends on it: the goroutine waits on h.events for as long as the hub
// lives, whatever happens to the request.
func (h *Hub) follow(w http.ResponseWriter, r *http.Request) {
	go func() { // want "GL009"
		for {
			select {
			case <-h.halt:
				return
			case ev := <-h.events:
				fmt.Println("follow", ev)
			}
		}
	}()
}

// ok: the handler's goroutine waits on a channel whose sender is in view: the
// function that installs the handler releases it.
func serveGated(mux *http.ServeMux, steps int) {
	gate := make(chan struct{})
	mux.HandleFunc("/gated", func(w http.ResponseWriter, r *http.Request) {
		go func() {
			<-gate
			fmt.Println("released", r.URL.Path)
		}()
	})
	for i := 0; i < steps; i++ {
		gate <- struct{}{}
	}
}

// bad: the channel is local, but nothing outside the goroutine ever sends on
// it or closes it.
func serveStuck(mux *http.ServeMux) {
	never := make(chan struct{})
	mux.HandleFunc("/stuck", func(w http.ResponseWriter, r *http.Request) {
		go func() { // want "GL009"
			<-never
			fmt.Println("unreachable", r.URL.Path)
		}()
	})
}

type job struct {
	id   string
	done bool
}

// Jobs runs submitted work in the background; clients poll by id.
type Jobs struct {
	mu   sync.Mutex
	byID map[string]*job
}

func (j *job) run() {
	time.Sleep(time.Minute)
	j.done = true
}

// ok: (low confidence) an asynchronous job: the handler stores it in the
// server's table before starting it and answers with its id; the work is
// meant to outlive the request.
func (s *Jobs) submit(w http.ResponseWriter, r *http.Request) {
	jb := &job{id: r.URL.Query().Get("id")}
	s.mu.Lock()
	s.byID[jb.id] = jb
	s.mu.Unlock()
	go jb.run()
	fmt.Fprintln(w, jb.id)
}

// bad: the same work, not tracked anywhere: nobody can see or stop it.
func (s *Jobs) fireAndForget(w http.ResponseWriter, r *http.Request) {
	jb := &job{id: r.URL.Query().Get("id")}
	go jb.run() // want "GL009"
	fmt.Fprintln(w, jb.id)
}

// Waiters lets a later callback signal a goroutine started by a request.
type Waiters struct {
	mu    sync.Mutex
	byID  map[string]chan bool
	extra chan bool
}

// bad: only the goroutine's wake-up channel is stored, not a job the server
// tracks; if the callback never comes the goroutine waits for good.
func (s *Waiters) await(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	ready := make(chan bool, 1)
	s.mu.Lock()
	s.byID[id] = ready
	s.mu.Unlock()
	go func() { // want "GL009"
		select {
		case <-ready:
			fmt.Println("paid", id)
		case <-s.extra:
		}
	}()
}
