// Package session is called by the root package: its functions lock the objects they are given.
package session

import "sync"

type Session struct {
	Mu    sync.Mutex
	Hits  int
	Owner *Owner
}

type Owner struct {
	sync.RWMutex
	Name string
}

// Bump locks the session it is given.
func Bump(s *Session) {
	s.Mu.Lock()
	s.Hits++
	s.Mu.Unlock()
}

// Touch locks its receiver.
func (s *Session) Touch() {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.Hits++
}

// OwnerName read-locks the owner (an embedded RWMutex).
func OwnerName(s *Session) string {
	s.Owner.RLock()
	defer s.Owner.RUnlock()
	return s.Owner.Name
}

// Counter is embedded by the root package's types; its methods lock its embedded mutex.
type Counter struct {
	sync.Mutex
	N int
}

func (c *Counter) Bump() {
	c.Lock()
	c.N++
	c.Unlock()
}
