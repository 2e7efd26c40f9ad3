package gl019

import "example.com/gl019/session"

// Calls into another package of the module that lock the caller's own object.

// bad: session.Bump locks s.Mu, which Record already holds.
func Record(s *session.Session) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	session.Bump(s) // want "GL019"
}

// ok: the lock is released before the call.
func RecordThenBump(s *session.Session) {
	s.Mu.Lock()
	s.Hits = 0
	s.Mu.Unlock()
	session.Bump(s)
}

// ok: another session.
func Copy(dst, src *session.Session) {
	dst.Mu.Lock()
	defer dst.Mu.Unlock()
	session.Bump(src)
}

// bad: a method declared in the other package, on the held object.
func Visit(s *session.Session) {
	s.Mu.Lock()
	s.Touch() // want "GL019"
	s.Mu.Unlock()
}

// bad: the owner's embedded RWMutex is write-locked here, read-locked by the callee.
func Rename(s *session.Session, name string) string {
	s.Owner.Lock()
	defer s.Owner.Unlock()
	s.Owner.Name = name
	return session.OwnerName(s) // want "GL019"
}

// ok: read after the write lock is released.
func RenameThenRead(s *session.Session, name string) string {
	s.Owner.Lock()
	s.Owner.Name = name
	s.Owner.Unlock()
	return session.OwnerName(s)
}

// A type of this package embedding session.Counter: its Lock and Bump are promoted from there.
type widget struct {
	session.Counter
	name string
}

// bad: Bump (promoted from session.Counter) locks the embedded mutex Rename holds.
func (w *widget) Rename(n string) {
	w.Lock()
	defer w.Unlock()
	w.name = n
	w.Bump() // want "GL019"
}

// ok: bumped after the unlock.
func (w *widget) RenameThenBump(n string) {
	w.Lock()
	w.name = n
	w.Unlock()
	w.Bump()
}
