// Package gl022 holds the cases of GL022 lock-held-across-wait: a goroutine blocks while holding a
// mutex that the goroutine which would wake it must take first.
package gl022

import (
	"fmt"
	"sync"
	"time"
)

type Event struct{ Name string }

type hub struct {
	mu     sync.Mutex
	subs   []chan Event
	events chan Event
}

func newHub() *hub {
	h := &hub{events: make(chan Event)}
	go h.run()
	return h
}

// bad: publish holds h.mu while sending on the unbuffered h.events; run takes h.mu on every round
// before it receives, so once run waits for the lock, neither side can move.
func (h *hub) publish(e Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events <- e // want "GL022"
}

func (h *hub) run() {
	for {
		h.mu.Lock()
		n := len(h.subs)
		h.mu.Unlock()
		e := <-h.events
		fmt.Println(n, e.Name)
	}
}

type counter struct {
	mu    sync.Mutex
	wg    sync.WaitGroup
	total int
}

// bad: Wait runs under c.mu, and every counted goroutine takes c.mu before its deferred Done.
func (c *counter) addAll(xs []int) {
	c.mu.Lock()
	for _, x := range xs {
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			c.mu.Lock()
			c.total += x
			c.mu.Unlock()
		}()
	}
	c.wg.Wait() // want "GL022"
	c.mu.Unlock()
}

// ok: the same counter, waiting after the lock is released.
func (c *counter) addAllFixed(xs []int) {
	for _, x := range xs {
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			c.mu.Lock()
			c.total += x
			c.mu.Unlock()
		}()
	}
	c.wg.Wait()
}

// bad: a local mutex and channel: the receiver holds mu; the goroutine locks mu to read the state
// it sends.
func receiveUnderLock() int {
	var mu sync.Mutex
	state := 0
	results := make(chan int)
	go func() {
		mu.Lock()
		v := state
		mu.Unlock()
		results <- v
	}()
	mu.Lock()
	defer mu.Unlock()
	return <-results // want "GL022"
}

// ok: the lock is released before the receive.
func receiveAfterUnlock() int {
	var mu sync.Mutex
	state := 0
	results := make(chan int)
	go func() {
		mu.Lock()
		v := state
		mu.Unlock()
		results <- v
	}()
	mu.Lock()
	state = 1
	mu.Unlock()
	return <-results
}

type cache struct {
	mu      sync.RWMutex
	data    map[string]string
	refresh chan string
	evicted chan string
	done    chan struct{}
}

func (c *cache) loader() {
	for {
		select {
		case k := <-c.refresh:
			c.mu.Lock()
			c.data[k] = k
			c.mu.Unlock()
		case <-c.done:
			return
		}
	}
}

// bad: a select without default, blocking under the read lock; both partners write-lock c.mu
// before they close done / send on evicted, so they wait for the reader while it waits for them.
func (c *cache) getOrWait(k string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if v, ok := c.data[k]; ok {
		return v
	}
	select { // want "GL022"
	case <-c.done:
	case <-c.evicted:
	}
	return c.data[k]
}

// ok: the same wait with a timeout case: time.After fires whatever the lock holders do.
func (c *cache) getOrTimeout(k string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	select {
	case <-c.done:
	case <-c.evicted:
	case <-time.After(time.Second):
	}
	return c.data[k]
}

func (c *cache) evict(k string) {
	c.mu.Lock()
	delete(c.data, k)
	c.mu.Unlock()
	c.evicted <- k
}

func (c *cache) finish() {
	c.mu.Lock()
	c.data = nil
	c.mu.Unlock()
	close(c.done)
}

// ok: the same wait with a default case never blocks.
func (c *cache) peek(k string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	select {
	case <-c.done:
		return ""
	default:
	}
	return c.data[k]
}

// bad: the loader receives from c.refresh and only then takes c.mu — but it loops: after the first
// request it waits for c.mu (held here) before it can receive the next one.
func (c *cache) requestRefresh(k string) {
	c.mu.Lock()
	c.refresh <- k // want "GL022"
	c.mu.Unlock()
}

type once struct {
	mu     sync.Mutex
	result chan int
}

// ok: the partner receives once, and only then takes the lock: it needs no lock to reach the receive.
func (o *once) deliver(v int) {
	o.mu.Lock()
	o.result <- v
	o.mu.Unlock()
}

func (o *once) await() int {
	v := <-o.result
	o.mu.Lock()
	o.mu.Unlock()
	return v
}

type server struct {
	mu      sync.Mutex
	conns   int
	stopped chan struct{}
	stats   chan int
}

func (s *server) snapshot() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// The reporter goroutine takes s.mu through snapshot() before each send on s.stats.
func (s *server) reporter() {
	for {
		n := s.snapshot()
		s.stats <- n
	}
}

// bad: the partner reaches s.mu through a same-package call (snapshot) before it sends.
func (s *server) readStats() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return <-s.stats // want "GL022"
}

// ok: a buffered channel with room for the one send that happens while the lock is held.
func bufferedSend() {
	var mu sync.Mutex
	out := make(chan int, 1)
	go func() {
		mu.Lock()
		mu.Unlock()
		fmt.Println(<-out)
	}()
	mu.Lock()
	out <- 1
	mu.Unlock()
}

// ok: the goroutine started under the lock does the send; it does not hold the lock itself.
func sendFromNewGoroutine() {
	var mu sync.Mutex
	ch := make(chan int)
	mu.Lock()
	go func() { ch <- 1 }()
	mu.Unlock()
	go func() {
		mu.Lock()
		mu.Unlock()
		fmt.Println(<-ch)
	}()
}

type twoLocks struct {
	a, b sync.Mutex
	ch   chan int
}

// ok: the partner takes a different mutex (b) on its way; holding a does not block it.
func (t *twoLocks) send(v int) {
	t.a.Lock()
	t.ch <- v
	t.a.Unlock()
}

func (t *twoLocks) recv() int {
	t.b.Lock()
	t.b.Unlock()
	return <-t.ch
}

// ok: the channel comes from a caller we cannot see: its partner is unknown.
func sendToParam(mu *sync.Mutex, ch chan<- int) {
	mu.Lock()
	ch <- 1
	mu.Unlock()
}

type queue struct {
	mu    sync.Mutex
	ready *sync.Cond
	items []int
	omu   sync.Mutex
	other *sync.Cond
}

func newQueue() *queue {
	q := &queue{}
	q.ready = sync.NewCond(&q.mu)
	q.other = sync.NewCond(&q.omu)
	return q
}

// ok: Wait on the Cond whose Locker is the held mutex releases it while waiting: the normal pattern.
func (q *queue) pop() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.ready.Wait()
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

func (q *queue) push(v int) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.ready.Signal()
}

var (
	regMu   sync.Mutex
	regDone = make(chan struct{})
	names   []string
)

func register(n string) {
	regMu.Lock()
	names = append(names, n)
	regMu.Unlock()
	regDone <- struct{}{}
}

// bad: package-level mutex and channel: waitRegistered holds regMu while register needs regMu
// before it can send on regDone.
func waitRegistered() {
	regMu.Lock()
	<-regDone // want "GL022"
	regMu.Unlock()
}

// bad: Wait on q.other while holding q.mu; wakeOther takes q.mu before it broadcasts q.other.
func (q *queue) waitOther() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.omu.Lock()
	for len(q.items) > 0 {
		q.other.Wait() // want "GL022"
	}
	q.omu.Unlock()
}

func (q *queue) wakeOther() {
	q.mu.Lock()
	q.items = nil
	q.mu.Unlock()
	q.other.Broadcast()
}
