package gl020

import "sync"

// A broker with two queues of one generic type, one per direction.
type queue[T any] struct {
	sync.Mutex
	items []T
}

type laneSet struct {
	in  *queue[int]
	out *queue[string]
}

type Broker struct {
	mu    sync.Mutex
	lanes *laneSet
	seen  int
}

// Broker.mu → the outbound queue.
func (b *Broker) publish(v string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.lanes.out.Lock()
	b.lanes.out.items = append(b.lanes.out.items, v)
	b.lanes.out.Unlock()
}

// ok: the inbound queue → Broker.mu; publish orders the outbound queue, which
// another field holds: a different mutex.
func (b *Broker) drain() {
	in := b.lanes.in
	in.Lock()
	defer in.Unlock()
	b.mu.Lock()
	b.seen += len(in.items)
	b.mu.Unlock()
}

// bad: the outbound queue → Broker.mu, against publish.
func (b *Broker) flush() {
	out := b.lanes.out
	out.Lock()
	defer out.Unlock()
	b.mu.Lock() // want "GL020"
	b.seen = 0
	b.mu.Unlock()
}
