package gl020

import (
	"sync"
	"unsafe"
)

// Store and Replica are modelled on cockroach (GoKer cockroach#10214): the
// heartbeat path takes coalescedMu then raftMu, the tick path raftMu then
// (through two calls) coalescedMu.
type Store struct {
	coalescedMu struct {
		sync.Mutex
		heartbeats []int
	}
	replicas []*Replica
}

type Replica struct {
	raftMu sync.Mutex
	mu     sync.Mutex
	store  *Store
}

func (s *Store) sendQueuedHeartbeats() {
	s.coalescedMu.Lock()
	defer s.coalescedMu.Unlock()
	for range s.coalescedMu.heartbeats {
		s.sendQueuedHeartbeatsToNode()
	}
}

func (s *Store) sendQueuedHeartbeatsToNode() {
	for _, r := range s.replicas {
		r.reportUnreachable()
	}
}

func (r *Replica) reportUnreachable() {
	r.raftMu.Lock()
	defer r.raftMu.Unlock()
}

// bad: holds raftMu and calls tickRaftMuLocked, which reaches
// coalescedMu.Lock through maybeQuiesceLocked → maybeCoalesceHeartbeat.
func (r *Replica) tick() {
	r.raftMu.Lock()
	defer r.raftMu.Unlock()
	r.tickRaftMuLocked() // want "GL020"
}

func (r *Replica) tickRaftMuLocked() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.maybeQuiesceLocked() {
		return
	}
}

func (r *Replica) maybeQuiesceLocked() bool {
	for i := 0; i < 2; i++ {
		if !r.maybeCoalesceHeartbeat() {
			return true
		}
	}
	return false
}

func (r *Replica) maybeCoalesceHeartbeat() bool {
	switch uintptr(unsafe.Pointer(r)) % 3 {
	case 0, 1:
		r.store.coalescedMu.Lock()
	default:
		return false
	}
	r.store.coalescedMu.Unlock()
	return true
}

func startReplica(s *Store, r *Replica) {
	go s.sendQueuedHeartbeats()
	go r.tick()
}
