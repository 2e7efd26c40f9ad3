package gl022

import "sync"

// The receiver goroutine calls back, through a func field or an interface, into a function that
// takes the lock the sender holds.

type dispatcher struct {
	mu      sync.Mutex
	queue   chan int
	handled int
	handle  func(int)
}

func newDispatcher() *dispatcher {
	d := &dispatcher{queue: make(chan int)}
	d.handle = d.record
	go d.loop()
	return d
}

func (d *dispatcher) record(v int) {
	d.mu.Lock()
	d.handled += v
	d.mu.Unlock()
}

func (d *dispatcher) loop() {
	for v := range d.queue {
		d.handle(v)
	}
}

// bad: loop runs d.handle (d.record, which locks d.mu) before it receives again.
func (d *dispatcher) Submit(v int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.handled--
	d.queue <- v // want "GL022"
}

// ok: the send happens after the unlock.
func (d *dispatcher) SubmitUnlocked(v int) {
	d.mu.Lock()
	d.handled--
	d.mu.Unlock()
	d.queue <- v
}

type sink interface{ Put(int) }

type tally struct {
	n int
	p *pump
}

func (t *tally) Put(v int) {
	t.p.mu.Lock()
	t.n += v
	t.p.mu.Unlock()
}

type pump struct {
	mu  sync.Mutex
	in  chan int
	fed int
	out sink
}

func newPump() *pump {
	p := &pump{in: make(chan int)}
	p.out = &tally{p: p}
	go p.run()
	return p
}

func (p *pump) run() {
	for v := range p.in {
		p.out.Put(v)
	}
}

// bad: run's p.out.Put (tally.Put) takes p.mu before the next receive.
func (p *pump) Feed(v int) {
	p.mu.Lock()
	p.fed++
	p.in <- v // want "GL022"
	p.mu.Unlock()
}

// ok: counted under the lock, sent without it.
func (p *pump) FeedUnlocked(v int) {
	p.mu.Lock()
	p.fed++
	p.mu.Unlock()
	p.in <- v
}
