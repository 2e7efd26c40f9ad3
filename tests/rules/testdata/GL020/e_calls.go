package gl020

import "sync"

// Manager and watcher are modelled on the watch/notify deadlocks of GoKer
// (kubernetes, etcd): each side calls into the other while holding its own lock.
type Manager struct {
	mu       sync.Mutex
	watchers []*watcher
	events   int
}

type watcher struct {
	mu      sync.Mutex
	m       *Manager
	stopped bool
}

// Stop: Manager.mu, then watcher.mu through w.stop.
func (m *Manager) Stop() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, w := range m.watchers {
		w.stop()
	}
}

func (w *watcher) stop() {
	w.mu.Lock()
	w.stopped = true
	w.mu.Unlock()
}

func (m *Manager) onEvent() {
	m.mu.Lock()
	m.events++
	m.mu.Unlock()
}

// bad: watcher.mu, then Manager.mu through m.onEvent: the opposite of Stop.
func (w *watcher) notify() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.stopped {
		w.m.onEvent() // want "GL020"
	}
}

type Transport struct {
	mu      sync.RWMutex
	streams map[int]*Stream
}

type Stream struct {
	mu    sync.RWMutex
	t     *Transport
	state int
}

// Transport.mu (write), then Stream.mu (read).
func (t *Transport) CloseStreams() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, s := range t.streams {
		s.mu.RLock()
		_ = s.state
		s.mu.RUnlock()
	}
}

// bad: Stream.mu (write), then Transport.mu (read): each side holds the lock
// the other needs exclusively.
func (s *Stream) Finish(id int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.t.mu.RLock() // want "GL020"
	_ = s.t.streams[id]
	s.t.mu.RUnlock()
}

type Node struct {
	mu     sync.Mutex
	peers  *PeerSet
	leader bool
}

type PeerSet struct {
	mu    sync.Mutex
	nodes []*Node
}

func (ps *PeerSet) add(n *Node) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.nodes = append(ps.nodes, n)
}

func (n *Node) promote() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.leader = true
}

// Join: Node.mu, then PeerSet.mu through a call.
func (n *Node) Join() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.peers.add(n)
}

// bad: PeerSet.mu, then Node.mu through a call, in a goroutine closure.
func (ps *PeerSet) Elect() {
	go func() {
		ps.mu.Lock()
		defer ps.mu.Unlock()
		if len(ps.nodes) > 0 {
			ps.nodes[0].promote() // want "GL020"
		}
	}()
}
