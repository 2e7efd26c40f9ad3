package gl007

import (
	"fmt"
	"sync"
	tm "time"
)

// Server dispatches requests to a loop goroutine.
type Server struct {
	reqs chan string
	stop chan struct{}
	mu   sync.Mutex
}

// NewServer makes the channels the loops use.
func NewServer() *Server {
	return &Server{reqs: make(chan string), stop: make(chan struct{})}
}

// bad: the loop method receives only from s.reqs (made here, never closed)
// and never looks at s.stop: nothing can end it.
func (s *Server) loop() {
	for {
		req := <-s.reqs
		fmt.Println(req)
	}
}

func (s *Server) Start() {
	go s.loop() // want "GL007"
}

// ok: the stop field is closed by Close and the loop returns on it.
func (s *Server) serve() {
	for {
		select {
		case req := <-s.reqs:
			fmt.Println(req)
		case <-s.stop:
			return
		}
	}
}

func (s *Server) StartServe() { go s.serve() }

func (s *Server) Close() { close(s.stop) }

// bad: an aliased time import; the ticker loop has no way out.
func (s *Server) heartbeat() {
	t := tm.NewTicker(tm.Second)
	go func() { // want "GL007"
		for now := range t.C {
			s.mu.Lock()
			fmt.Println("beat", now)
			s.mu.Unlock()
		}
	}()
}

// bad: a method value launched with go: `run := s.flush; go run()`.
func (s *Server) flush() {
	for {
		tm.Sleep(tm.Second)
		fmt.Println("flush")
	}
}

func (s *Server) StartFlush() {
	run := s.flush
	go run() // want "GL007"
}

// bad: the goroutine literal calls a method of the package whose body is
// the endless loop (followed one level).
func (s *Server) StartWrapped(wg *sync.WaitGroup) {
	wg.Add(1)
	go func() { // want "GL007"
		defer wg.Done()
		s.flush()
	}()
}

// ok: range over a channel that Close closes ends when it is closed.
type Queue struct {
	items chan int
}

func NewQueue() *Queue { return &Queue{items: make(chan int, 8)} }

func (q *Queue) Run() {
	go func() {
		for {
			v, ok := <-q.items
			if !ok {
				return
			}
			fmt.Println(v)
		}
	}()
}

func (q *Queue) Drain() {
	go func() {
		for v := range q.items {
			fmt.Println(v)
		}
	}()
}

func (q *Queue) Close() { close(q.items) }
