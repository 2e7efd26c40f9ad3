package gl021

import "sync"

// bad: the quit field is never made — stop blocks forever on the send, and
// the loop goroutine never sees it.
type poller struct {
	mu   sync.Mutex
	quit chan struct{}
}

func (p *poller) loop() {
	for {
		<-p.quit // want "GL021"
		return
	}
}

func (p *poller) start() { go p.loop() }

func (p *poller) stop() { p.quit <- struct{}{} } // want "GL021"

// ok: the field is set by the constructor's composite literal.
type server struct {
	done chan struct{}
}

func newServer() *server { return &server{done: make(chan struct{})} }

func (s *server) wait() { <-s.done }

// ok: the field is assigned in a method.
type conn struct {
	closed chan bool
}

func (c *conn) init() { c.closed = make(chan bool, 1) }

func (c *conn) close() { c.closed <- true }

// ok: an exported field can be set by other packages.
type Options struct {
	Events chan string
}

func (o *Options) emit(s string) { o.Events <- s }

// ok: a positional literal sets every field.
type pair struct {
	ch chan int
	n  int
}

func makePair() pair { return pair{make(chan int, 1), 1} }

func (p pair) put() { p.ch <- p.n }

// bad: package-level variable never made.
var notifications chan string

func notify(s string) {
	notifications <- s // want "GL021"
}

// ok: package-level variable made in init.
var ticks chan int

func init() { ticks = make(chan int, 8) }

func tick() { ticks <- 1 }

// ok: the field is assigned through a type that embeds its owner.
type base struct {
	events chan int
}

type derived struct {
	base
	name string
}

func newDerived() *derived {
	d := &derived{name: "d"}
	d.events = make(chan int, 4)
	return d
}

func (b *base) publish(v int) { b.events <- v }
