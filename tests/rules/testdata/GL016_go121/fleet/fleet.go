// Package fleet starts servers.
package fleet

import "fmt"

// Server is one server.
type Server struct{ Addr string }

// Start starts it.
func (s *Server) Start() { fmt.Println("start", s.Addr) }

// Fleet is a set of servers.
type Fleet struct{ servers []*Server }

// bad: a method called on the range variable inside the goroutine.
func (f *Fleet) StartAll() {
	for _, s := range f.servers {
		go func() {
			s.Start() // want "GL016"
		}()
	}
}

// ok: the method value is evaluated by the go statement itself.
func (f *Fleet) StartAllDirect() {
	for _, s := range f.servers {
		go s.Start()
	}
}
