package gl022

import (
	"runtime"
	"sync"
)

// podStatuses is modelled on GoKer kubernetes#10182: the syncing goroutine receives an update and
// only then takes the lock, but it does so in a loop of its caller, so the next receive comes after
// the Lock.
type podStatuses struct {
	mu      sync.RWMutex
	updates chan bool
	synced  int
}

func (p *podStatuses) start() {
	go func() {
		for i := 0; i < 2; i++ {
			p.syncOnce()
		}
	}()
}

func (p *podStatuses) syncOnce() {
	runtime.Gosched()
	<-p.updates
	p.forget()
}

func (p *podStatuses) forget() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.synced++
}

// bad: set holds p.mu across the send; the syncing loop, back from its previous round, waits for
// p.mu in forget before it can receive again.
func (p *podStatuses) set() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.updates <- true // want "GL022"
}

type nodeStatuses struct {
	mu      sync.RWMutex
	updates chan bool
	synced  int
}

func (n *nodeStatuses) start() {
	go func() {
		for i := 0; i < 2; i++ {
			n.syncOnce()
		}
	}()
}

func (n *nodeStatuses) syncOnce() {
	<-n.updates
	n.forget()
}

func (n *nodeStatuses) forget() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.synced++
}

// ok: the fixed version: the update is sent after the lock is released.
func (n *nodeStatuses) set() {
	n.mu.Lock()
	n.synced--
	n.mu.Unlock()
	n.updates <- true
}

type volumeStatuses struct {
	mu      sync.Mutex
	updates chan bool
	synced  int
}

// Each round runs in a goroutine of its own: no goroutine receives after having locked.
func (v *volumeStatuses) start() {
	for i := 0; i < 2; i++ {
		go v.syncOnce()
	}
}

func (v *volumeStatuses) syncOnce() {
	<-v.updates
	v.mu.Lock()
	v.synced++
	v.mu.Unlock()
}

// ok: every receiver is a fresh goroutine that reaches its receive without the lock.
func (v *volumeStatuses) set() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.updates <- true
}
