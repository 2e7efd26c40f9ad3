package gl006

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Partners that cannot exist yet, or that a caller abandons.

// bad: nobody else has ch yet, so the send blocks before the channel is returned.
func primedResult() chan int {
	ch := make(chan int)
	ch <- 1 // want "GL006"
	return ch
}

// ok: a buffer of one holds the value until someone receives it.
func primedResultBuffered() chan int {
	ch := make(chan int, 1)
	ch <- 1
	return ch
}

// bad: done is closed only by this function's own defer, after the receive returns.
func waitOwnDone(work func()) {
	done := make(chan struct{})
	defer close(done)
	work()
	<-done // want "GL006"
}

// ok: a goroutine closes done.
func waitWorker(work func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		work()
	}()
	<-done
}

// A dispatcher that closes its own stopped channel on return, and a callback that waits for it.
type msgHandler interface {
	handle(msg int)
}

type dispConn struct {
	h         msgHandler
	inbox     chan int
	quit      chan struct{}
	stopped   chan struct{}
	closeOnce sync.Once
}

func (c *dispConn) loop() {
	defer close(c.stopped)
	for {
		select {
		case m := <-c.inbox:
			c.h.handle(m)
		case <-c.quit:
			return
		}
	}
}

// bad: Close runs inside loop (through the msgHandler and its callback) and waits for loop's own defer.
func (c *dispConn) Close() {
	c.closeOnce.Do(func() {
		close(c.quit)
		<-c.stopped // want "GL006"
	})
}

type closingMsgHandler struct {
	onMsg func()
}

func (h *closingMsgHandler) handle(msg int) {
	if msg < 0 && h.onMsg != nil {
		h.onMsg()
	}
}

func newDispConn() *dispConn {
	h := &closingMsgHandler{}
	c := &dispConn{h: h, inbox: make(chan int), quit: make(chan struct{}), stopped: make(chan struct{})}
	h.onMsg = c.Close
	go c.loop()
	return c
}

// ok: the same shape, but the callback only signals and never waits for stopped.
type signalDispConn struct {
	h         msgHandler
	inbox     chan int
	quit      chan struct{}
	halted    chan struct{}
	closeOnce sync.Once
}

func (c *signalDispConn) loop() {
	defer close(c.halted)
	for {
		select {
		case m := <-c.inbox:
			c.h.handle(m)
		case <-c.quit:
			return
		}
	}
}

func (c *signalDispConn) Signal() {
	c.closeOnce.Do(func() { close(c.quit) })
}

func (c *signalDispConn) Wait() {
	<-c.halted
}

func newSignalDispConn() *signalDispConn {
	h := &closingMsgHandler{}
	c := &signalDispConn{h: h, inbox: make(chan int), quit: make(chan struct{}), halted: make(chan struct{})}
	h.onMsg = c.Signal
	go c.loop()
	return c
}

// bad: a sender started on a channel its function returns; lookupLater abandons it.
func fetchLater(key string) <-chan string {
	ch := make(chan string)
	go func() {
		time.Sleep(time.Millisecond)
		ch <- key // want "GL006"
	}()
	return ch
}

// The caller gives up on the select's other case: fetchLater's goroutine is abandoned.
func lookupLater(ctx context.Context, key string) string {
	select {
	case v := <-fetchLater(key):
		return v
	case <-ctx.Done():
		return ""
	}
}

// ok: a buffered channel lets the abandoned sender finish.
func fetchLaterBuffered(key string) <-chan string {
	ch := make(chan string, 1)
	go func() {
		time.Sleep(time.Millisecond)
		ch <- key
	}()
	return ch
}

func lookupLaterBuffered(ctx context.Context, key string) string {
	select {
	case v := <-fetchLaterBuffered(key):
		return v
	case <-ctx.Done():
		return ""
	}
}

var (
	_ = newDispConn
	_ = newSignalDispConn
	_ = lookupLater
	_ = lookupLaterBuffered
)

func validateBatch(n int) error {
	if n < 0 {
		return errors.New("negative batch")
	}
	return nil
}

// bad: the producer fills a 4-slot buffer, and the early return leaves nobody to drain it.
func sumBatch(items []int, n int) (int, error) {
	ch := make(chan int, 4)
	go func() {
		for _, it := range items {
			ch <- it // want "GL006"
		}
		close(ch)
	}()
	if err := validateBatch(n); err != nil {
		return 0, err
	}
	total := 0
	for v := range ch {
		total += v
	}
	return total, nil
}

// ok: the check runs before the producer starts.
func sumBatchChecked(items []int, n int) (int, error) {
	if err := validateBatch(n); err != nil {
		return 0, err
	}
	ch := make(chan int, 4)
	go func() {
		for _, it := range items {
			ch <- it
		}
		close(ch)
	}()
	total := 0
	for v := range ch {
		total += v
	}
	return total, nil
}

// ok: the buffer holds every item, so the producer never blocks.
func sumBatchSized(items []int, n int) (int, error) {
	ch := make(chan int, len(items))
	go func() {
		for _, it := range items {
			ch <- it
		}
		close(ch)
	}()
	if err := validateBatch(n); err != nil {
		return 0, err
	}
	total := 0
	for v := range ch {
		total += v
	}
	return total, nil
}

type auditLog struct {
	entries chan string
}

func newAuditLog() *auditLog {
	a := &auditLog{}
	a.entries = make(chan string, 16)
	return a
}

// bad: nothing ever receives from entries; the 17th record blocks forever.
func (a *auditLog) record(s string) {
	a.entries <- s // want "GL006"
}

type drainedLog struct {
	entries chan string
}

func newDrainedLog() *drainedLog {
	d := &drainedLog{}
	d.entries = make(chan string, 16)
	go d.drain()
	return d
}

func (d *drainedLog) drain() {
	for range d.entries {
	}
}

// ok: drain receives every entry.
func (d *drainedLog) record(s string) {
	d.entries <- s
}

var (
	_ = newAuditLog
	_ = newDrainedLog
)

type statusLoop struct {
	requests chan chan int
	stop     chan struct{}
}

func newStatusLoop() *statusLoop {
	s := &statusLoop{requests: make(chan chan int), stop: make(chan struct{})}
	go s.run()
	return s
}

func (s *statusLoop) run() {
	for {
		select {
		case reply := <-s.requests:
			reply <- 1
		case <-s.stop:
			return
		}
	}
}

// bad: started as a goroutine, it sends to run, which may already have returned on stop.
func (s *statusLoop) ask(reply chan int) {
	s.requests <- reply // want "GL006"
}

func (s *statusLoop) askLater() {
	go s.ask(make(chan int, 1))
}

type guardedLoop struct {
	requests chan chan int
	stop     chan struct{}
}

func newGuardedLoop() *guardedLoop {
	g := &guardedLoop{requests: make(chan chan int), stop: make(chan struct{})}
	go g.run()
	return g
}

func (g *guardedLoop) run() {
	for {
		select {
		case reply := <-g.requests:
			reply <- 1
		case <-g.stop:
			return
		}
	}
}

// ok: the sender gives up on the same stop signal.
func (g *guardedLoop) ask(reply chan int) {
	select {
	case g.requests <- reply:
	case <-g.stop:
	}
}

func (g *guardedLoop) askLater() {
	go g.ask(make(chan int, 1))
}

var (
	_ = newStatusLoop
	_ = newGuardedLoop
)

type recvBuf struct {
	c chan []byte
}

func (b *recvBuf) get() <-chan []byte { return b.c }

type bufReader struct {
	buf *recvBuf
}

// bad: nothing ever sends on or closes recvBuf.c, so Read waits forever.
func (r *bufReader) Read(p []byte) int {
	data := <-r.buf.get() // want "GL006"
	return copy(p, data)
}

func newBufReader() *bufReader {
	return &bufReader{buf: &recvBuf{c: make(chan []byte)}}
}

type feedBuf struct {
	c chan []byte
}

func (b *feedBuf) get() <-chan []byte { return b.c }

func (b *feedBuf) put(p []byte) { b.c <- p }

type feedReader struct {
	buf *feedBuf
}

// ok: put sends on feedBuf.c.
func (r *feedReader) Read(p []byte) int {
	data := <-r.buf.get()
	return copy(p, data)
}

var (
	_ = newBufReader
	_ = (*feedBuf).put
)

type probeFunc func(done <-chan struct{}) <-chan struct{}

func pollUntil(probe probeFunc, done <-chan struct{}) {
	c := probe(done)
	for range c {
		return
	}
}

func ticks(done <-chan struct{}) <-chan struct{} {
	ch := make(chan struct{})
	go func() {
		defer close(ch)
		select {
		case ch <- struct{}{}:
		case <-done:
		}
	}()
	return ch
}

// bad: seen is stop itself, handed back through pollUntil, and only the defer closes stop.
func waitProbe() {
	stop := make(chan struct{})
	defer close(stop)
	var seen <-chan struct{}
	pollUntil(func(done <-chan struct{}) <-chan struct{} {
		seen = done
		return ticks(done)
	}, stop)
	<-seen // want "GL006"
}

// ok: stop is closed before waiting on what the probe saw.
func waitProbeClosed() {
	stop := make(chan struct{})
	var seen <-chan struct{}
	pollUntil(func(done <-chan struct{}) <-chan struct{} {
		seen = done
		return ticks(done)
	}, stop)
	close(stop)
	<-seen
}

// bad: produceAll fills the 2-slot buffer, and sumProduced's early return leaves nobody to drain it.
func produceAll(out chan<- int, items []int) {
	defer close(out)
	for _, it := range items {
		out <- it // want "GL006"
	}
}

func sumProduced(items []int, n int) (int, error) {
	ch := make(chan int, 2)
	go produceAll(ch, items)
	if err := validateBatch(n); err != nil {
		return 0, err
	}
	total := 0
	for v := range ch {
		total += v
	}
	return total, nil
}

// ok: the consumer is the next statement; nothing returns before it.
func sumProducedNow(items []int) int {
	ch := make(chan int, 2)
	go produceAll(ch, items)
	total := 0
	for v := range ch {
		total += v
	}
	return total
}
