package gl006

import (
	"context"
	"errors"
	"sync"
)

// bad: modelled on GoKer kubernetes#25331: the watcher goroutine reports its
// first error on an unbuffered field channel, but no code of the package ever
// receives from that field: the send blocks forever.
type errWatcher struct {
	ctx    context.Context
	cancel context.CancelFunc
	errs   chan error
	result chan bool
}

func newErrWatcher() *errWatcher {
	ctx, cancel := context.WithCancel(context.Background())
	return &errWatcher{ctx: ctx, cancel: cancel, errs: make(chan error), result: make(chan bool)}
}

func (w *errWatcher) loop() {
	select {
	case err := <-w.errs:
		w.cancel()
		w.result <- err != nil // want "GL006"
	case <-w.ctx.Done():
	}
}

func (w *errWatcher) Stop() {
	w.errs <- errors.New("stop")
	w.cancel()
}

func startErrWatcher() *errWatcher {
	w := newErrWatcher()
	go w.loop()
	return w
}

// ok: the fixed watcher: the report is one case of a select that also gives
// up when the watcher's context is cancelled.
type errWatcherFixed struct {
	ctx    context.Context
	cancel context.CancelFunc
	errs   chan error
	result chan bool
}

func (w *errWatcherFixed) loop() {
	select {
	case err := <-w.errs:
		select {
		case w.result <- err != nil:
		case <-w.ctx.Done():
		}
	case <-w.ctx.Done():
	}
}

func startErrWatcherFixed() *errWatcherFixed {
	ctx, cancel := context.WithCancel(context.Background())
	w := &errWatcherFixed{ctx: ctx, cancel: cancel, errs: make(chan error), result: make(chan bool)}
	go w.loop()
	return w
}

// bad: modelled on GoKer kubernetes#6632: the monitor only ever closes the
// reset channel (through a local copy of the field); the writer goroutine's
// send on it has no receiver anywhere in the package.
type idleFramer struct {
	mu     sync.Mutex
	reset  chan bool
	closed chan bool
}

func (f *idleFramer) monitor() {
	reset := f.reset
	<-f.closed
	f.mu.Lock()
	close(reset)
	f.reset = nil
	f.mu.Unlock()
}

func (f *idleFramer) write() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.reset == nil {
		return
	}
	f.reset <- true // want "GL006"
}

func runIdleFramer() {
	f := &idleFramer{reset: make(chan bool), closed: make(chan bool)}
	go func() { f.closed <- true }()
	go f.monitor()
	go f.write()
}

// ok: the fixed framer: the monitor loop takes the resets until the
// connection closes.
type idleFramerFixed struct {
	reset  chan bool
	closed chan bool
}

func (f *idleFramerFixed) monitor() {
	reset := f.reset
	for {
		select {
		case <-reset:
		case <-f.closed:
			return
		}
	}
}

func (f *idleFramerFixed) write() {
	f.reset <- true
}

func runIdleFramerFixed() {
	f := &idleFramerFixed{reset: make(chan bool), closed: make(chan bool)}
	go f.monitor()
	go f.write()
}

// bad: the symmetric case: the worker waits on a quit field that nothing in
// the package ever sends on or closes.
type quitWaiter struct {
	quit chan struct{}
}

func startQuitWaiter() *quitWaiter {
	q := &quitWaiter{}
	q.quit = make(chan struct{})
	go func() {
		<-q.quit // want "GL006"
	}()
	return q
}

// ok: Stop closes the quit field, releasing the waiting goroutine.
type quitWaiterFixed struct {
	quit chan struct{}
}

func startQuitWaiterFixed() *quitWaiterFixed {
	q := &quitWaiterFixed{quit: make(chan struct{})}
	go func() {
		<-q.quit
	}()
	return q
}

func (q *quitWaiterFixed) Stop() { close(q.quit) }

// ok: the field escapes through an accessor: callers in other packages
// receive from it.
type publisher struct {
	out chan int
}

func (p *publisher) Out() <-chan int { return p.out }

func startPublisher() *publisher {
	p := &publisher{out: make(chan int)}
	go func() {
		p.out <- 1
	}()
	return p
}

// ok: the field is buffered: one send always fits.
type oneShot struct {
	done chan error
}

func startOneShot() *oneShot {
	o := &oneShot{done: make(chan error, 1)}
	go func() {
		o.done <- nil
	}()
	return o
}

// ok: a positional literal fills the field with a channel made elsewhere,
// which its maker may well receive from.
type sinkRelay struct {
	sink chan string
}

func startRelay(sink chan string) {
	r := &sinkRelay{sink}
	go func() {
		r.sink <- "hello"
	}()
}

// ok: the receive reaches the field through a struct that embeds its owner.
type innerBox struct {
	box chan int
}

type outerBox struct {
	innerBox
}

func startBoxes() int {
	o := &outerBox{innerBox{box: make(chan int)}}
	go func() {
		o.innerBox.box <- 1
	}()
	return <-o.box
}

// bad: another struct's field of the same name is received, but not this
// one: the goroutine's send on reportA.out still has no receiver.
type reportA struct {
	out chan int
}

type reportB struct {
	out chan int
}

func startReports() int {
	a := &reportA{out: make(chan int)}
	b := &reportB{out: make(chan int)}
	go func() {
		a.out <- 1 // want "GL006"
	}()
	go func() {
		b.out <- 2
	}()
	return <-b.out
}

// bad: modelled on GoKer cockroach#25456: a goroutine processes a queue and
// waits, through a receive-only getter, for a quiesce signal that nothing in
// the package ever sends or closes.
type quiescer struct {
	quiesce chan struct{}
}

func (q *quiescer) ShouldQuiesce() <-chan struct{} {
	if q == nil {
		return nil
	}
	return q.quiesce
}

type queueHolder struct {
	q *quiescer
}

func (h *queueHolder) process() {
	<-h.q.ShouldQuiesce() // want "GL006"
}

func runQueueHolder() {
	h := &queueHolder{q: &quiescer{quiesce: make(chan struct{})}}
	go func() {
		h.process()
	}()
}

// ok: the fixed version: Stop closes the quiesce channel, which releases the
// goroutine waiting through the getter.
type quiescerFixed struct {
	quiesce chan struct{}
}

func (q *quiescerFixed) ShouldQuiesce() <-chan struct{} { return q.quiesce }

func (q *quiescerFixed) Stop() { close(q.quiesce) }

func runQuiescerFixed() *quiescerFixed {
	q := &quiescerFixed{quiesce: make(chan struct{})}
	go func() {
		<-q.ShouldQuiesce()
	}()
	return q
}

// bad: modelled on GoKer kubernetes#1321: the distribution loop (a method the
// goroutine calls) sends every event on each watcher's result field, but the
// watchers are only ever closed, never read.
type muxWatcher struct {
	result chan struct{}
}

type eventMux struct {
	mu       sync.Mutex
	watchers map[int]*muxWatcher
}

func (m *eventMux) distribute() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, w := range m.watchers {
		w.result <- struct{}{} // want "GL006"
	}
}

func (m *eventMux) loop() {
	for i := 0; i < 10; i++ {
		m.distribute()
	}
}

func (m *eventMux) stopWatching(id int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if w, ok := m.watchers[id]; ok {
		delete(m.watchers, id)
		close(w.result)
	}
}

func runEventMux() {
	m := &eventMux{watchers: map[int]*muxWatcher{0: {result: make(chan struct{})}}}
	go m.loop()
	m.stopWatching(0)
}

// ok: the fixed mux: each watcher's result field is consumed by the watcher's
// own reader.
type muxWatcherFixed struct {
	result chan struct{}
}

func (w *muxWatcherFixed) read() {
	for range w.result {
	}
}

type eventMuxFixed struct {
	watchers []*muxWatcherFixed
}

func (m *eventMuxFixed) distribute() {
	for _, w := range m.watchers {
		w.result <- struct{}{}
	}
}

func runEventMuxFixed() {
	w := &muxWatcherFixed{result: make(chan struct{})}
	m := &eventMuxFixed{watchers: []*muxWatcherFixed{w}}
	go w.read()
	go m.distribute()
}

// bad: modelled on GoKer grpc#1424: the dialer goroutine hands a done
// channel to the watcher goroutine and waits on it, but the watcher never
// touches its parameter: nothing ever sends on or closes the channel.
type balancerWatcher struct {
	addrs chan string
}

func (b *balancerWatcher) watch(done chan bool) {
	for range b.addrs {
	}
}

func dialWithWatcher(b *balancerWatcher) {
	waitC := make(chan error, 1)
	go func() {
		defer close(waitC)
		done := make(chan bool)
		go b.watch(done)
		<-done // want "GL006"
	}()
	close(b.addrs)
}

// ok: the fixed watcher closes the done channel when its loop ends.
type balancerWatcherFixed struct {
	addrs chan string
}

func (b *balancerWatcherFixed) watch(done chan bool) {
	defer close(done)
	for range b.addrs {
	}
}

func dialWithWatcherFixed(b *balancerWatcherFixed) {
	go func() {
		done := make(chan bool)
		go b.watch(done)
		<-done
	}()
	close(b.addrs)
}

// bad: modelled on GoKer kubernetes#38669: the watcher's buffer size is a
// parameter, but its only caller passes 0; the goroutine replays its initial
// events into the result field, which nothing in the package ever reads.
type replayWatcher struct {
	input  chan int
	result chan int
}

func (w *replayWatcher) emit(ev int) {
	w.result <- ev // want "GL006"
}

func (w *replayWatcher) process(initial []int) {
	for _, ev := range initial {
		w.emit(ev)
	}
	defer close(w.result)
	for range w.input {
	}
}

func newReplayWatcher(size int, initial []int) *replayWatcher {
	w := &replayWatcher{input: make(chan int, size), result: make(chan int, size)}
	go w.process(initial)
	return w
}

func useReplayWatcher() {
	w := newReplayWatcher(0, []int{1, 2})
	close(w.input)
}

// ok: the same watcher created with a real buffer by one of its callers: the
// analysis cannot know the sends overflow it.
type replayWatcherSized struct {
	result chan int
}

func (w *replayWatcherSized) process(initial []int) {
	for _, ev := range initial {
		w.result <- ev
	}
}

func newReplayWatcherSized(size int, initial []int) *replayWatcherSized {
	w := &replayWatcherSized{result: make(chan int, size)}
	go w.process(initial)
	return w
}

func useReplayWatcherSized() {
	newReplayWatcherSized(0, nil)
	newReplayWatcherSized(10, []int{1, 2})
}

// bad: a test-style helper goroutine reports its error on a local channel
// that the function never reads: the report blocks forever.
func handshakeBoth(server, client func() error) error {
	done := make(chan error)
	go func() {
		err := server()
		done <- err // want "GL006"
	}()
	return client()
}

// ok: the fixed version waits for the helper's report.
func handshakeBothFixed(server, client func() error) error {
	done := make(chan error)
	go func() {
		done <- server()
	}()
	err := client()
	if serr := <-done; serr != nil {
		return serr
	}
	return err
}
