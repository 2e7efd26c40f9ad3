package gl001

import "fmt"

// bad: struct field assigned a make(chan) in the constructor (Hub is declared
// in types.go). No code in the package closes h.msgs — Hub.Stop in
// hub_stop.go closes h.quit, a different field. Returning *Hub does not make
// the unexported field escape: other packages cannot reach h.msgs.
func (h *Hub) run() {
	for m := range h.msgs { // want "GL001"
		fmt.Println(m)
	}
}

func NewHub() *Hub {
	h := &Hub{msgs: make(chan string, 16), quit: make(chan struct{})}
	go h.run()
	return h
}

func (h *Hub) Publish(m string) { h.msgs <- m }

// ok: Broker.subs is assigned a make(chan) in NewBroker and closed in
// Broker.Close, which lives in another file (hub_stop.go).
func (b *Broker) loop() {
	for s := range b.subs {
		fmt.Println(s)
	}
}

func NewBroker() *Broker {
	b := &Broker{}
	b.subs = make(chan string)
	go b.loop()
	return b
}

// bad: launched through a method value (`run := b.flushLoop; go run()`);
// b.items is never closed.
func (b *Batcher) flushLoop() {
	for it := range b.items { // want "GL001"
		b.buf = append(b.buf, it)
	}
}

func newBatcher() *Batcher {
	b := &Batcher{items: make(chan int, 8)}
	run := b.flushLoop
	go run()
	return b
}

// bad: fields are resolved through the receiver's type: Mirror.ch is closed
// (Mirror.Stop in hub_stop.go) but Relay.ch, a different field with the same
// name, is not. (Mirror.mirror below is silent.)
func (r *Relay) forward() {
	for v := range r.ch { // want "GL001"
		fmt.Println(v)
	}
}

func newRelay() *Relay {
	r := &Relay{ch: make(chan int)}
	go r.forward()
	return r
}

func (m *Mirror) mirror() {
	for v := range m.ch {
		fmt.Println(v)
	}
}

func newMirror() *Mirror {
	m := &Mirror{ch: make(chan int)}
	go m.mirror()
	return m
}

// ok: Pool.Jobs is an exported field: code in other packages can close it.
func (p *Pool) work() {
	for j := range p.Jobs {
		fmt.Println(j.ID)
	}
}

func NewPool() *Pool {
	p := &Pool{Jobs: make(chan Job)}
	go p.work()
	return p
}

// ok: closed inside a closure passed to sync.Once.Do (Shutdown).
func (d *Dispatcher) loop() {
	for t := range d.tasks {
		t()
	}
}

func newDispatcher() *Dispatcher {
	d := &Dispatcher{tasks: make(chan func(), 4)}
	go d.loop()
	return d
}

func (d *Dispatcher) Shutdown() {
	d.once.Do(func() { close(d.tasks) })
}
