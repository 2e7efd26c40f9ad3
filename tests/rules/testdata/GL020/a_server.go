package gl020

import "sync"

type Server struct {
	mu    sync.Mutex
	conns map[*Conn]bool
}

type Conn struct {
	mu     sync.Mutex
	closed bool
	srv    *Server
}

// Kick takes Server.mu, then Conn.mu (the earlier path of the pair).
func (s *Server) Kick(c *Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
}

// bad: Conn.mu, then Server.mu: the opposite order to Kick.
func (c *Conn) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.srv.mu.Lock() // want "GL020"
	delete(c.srv.conns, c)
	c.srv.mu.Unlock()
}

// ok: the same order as Kick (Server.mu → Conn.mu) is fine any number of times.
func (s *Server) CloseAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.mu.Lock()
		c.closed = true
		c.mu.Unlock()
	}
}

type Account struct {
	mu      sync.Mutex
	balance int
}

// ok: two instances of one type: their order depends on the arguments, not
// on the code (a different bug class this rule does not guess at).
func Transfer(from, to *Account, n int) {
	from.mu.Lock()
	defer from.mu.Unlock()
	to.mu.Lock()
	defer to.mu.Unlock()
	from.balance -= n
	to.balance += n
}

type Catalog struct {
	mu    sync.RWMutex
	items map[string]int
}

type Stats struct {
	mu   sync.RWMutex
	hits map[string]int
}

// Read locks on both sides do not exclude each other.
func (c *Catalog) Report(st *Stats) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	st.mu.RLock()
	defer st.mu.RUnlock()
	return len(c.items) + len(st.hits)
}

// ok: RLock → RLock in the opposite order to Report: readers never wait for readers here.
func (st *Stats) Report(c *Catalog) int {
	st.mu.RLock()
	defer st.mu.RUnlock()
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items) + len(st.hits)
}
