package gl020

import "sync"

// Switch and Port: a sw's constructor locks the ports it creates itself.
type Switch struct {
	mu    sync.Mutex
	ports []*Port
}

type Port struct {
	mu  sync.Mutex
	sw *Switch
	seq int
}

func newPort() *Port {
	p := &Port{}
	p.init()
	return p
}

func (p *Port) init() {
	p.mu.Lock()
	p.seq = 1
	p.mu.Unlock()
}

// Port.mu → Switch.mu.
func (p *Port) leave() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sw.mu.Lock()
	p.sw.ports = p.sw.ports[:0]
	p.sw.mu.Unlock()
}

// ok (low confidence at most): Switch.mu → the Port.mu of a peer newPort has
// just allocated; that leave ever runs on that peer while grow holds the sw is
// not established.
func (h *Switch) grow() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ports = append(h.ports, newPort())
}

type Wheel struct {
	mu    sync.Mutex
	slots []*Spoke
}

type Spoke struct {
	mu   sync.Mutex
	wheel *Wheel
}

func (r *Wheel) touchAll() {
	for _, s := range r.slots {
		s.touch()
	}
}

func (s *Spoke) touch() {
	s.mu.Lock()
	s.mu.Unlock()
}

// Spoke.mu → Wheel.mu.
func (s *Spoke) detach() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wheel.mu.Lock()
	s.wheel.slots = nil
	s.wheel.mu.Unlock()
}

// bad: Wheel.mu → the Spoke.mu of slots touchAll looks up in the wheel, which
// detach (Spoke.mu → Wheel.mu) can hold at the same time.
func (r *Wheel) refresh() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.touchAll() // want "GL020"
}
