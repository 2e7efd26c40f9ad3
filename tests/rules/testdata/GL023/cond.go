// Package gl023 holds the cases of GL023 cond-wait-unsafe: a sync.Cond nothing ever signals, or a
// Wait that is not inside a for loop re-checking its condition.
package gl023

import (
	"fmt"
	s "sync"
	"sync"
)

// bad: a local Cond that nothing ever Signals or Broadcasts: every waiter blocks forever.
func neverSignalled(items []int) {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	done := false
	for range items {
		go func() {
			mu.Lock()
			for !done {
				c.Wait() // want "GL023"
			}
			mu.Unlock()
		}()
	}
}

type Queue struct {
	mu       sync.Mutex
	items    []int
	notEmpty *sync.Cond
	notFull  *sync.Cond
}

func NewQueue() *Queue {
	q := &Queue{}
	q.notEmpty = sync.NewCond(&q.mu)
	q.notFull = sync.NewCond(&q.mu)
	return q
}

// bad: Pop waits on notEmpty, but Push only ever signals notFull (the wrong Cond).
func (q *Queue) Pop() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.notEmpty.Wait() // want "GL023"
	}
	v := q.items[0]
	q.items = q.items[1:]
	q.notFull.Signal()
	return v
}

func (q *Queue) Push(v int) {
	q.mu.Lock()
	for len(q.items) >= 10 {
		q.notFull.Wait()
	}
	q.items = append(q.items, v)
	q.mu.Unlock()
}

type Gate struct {
	mu     sync.Mutex
	open   bool
	opened *sync.Cond
}

func NewGate() *Gate {
	g := &Gate{}
	g.opened = sync.NewCond(&g.mu)
	return g
}

func (g *Gate) Open() {
	g.mu.Lock()
	g.open = true
	g.mu.Unlock()
	g.opened.Broadcast()
}

// bad: `if` instead of `for`: a spurious or stale wake-up returns with the gate still closed.
func (g *Gate) WaitIf() {
	g.mu.Lock()
	if !g.open {
		g.opened.Wait() // want "GL023"
	}
	g.mu.Unlock()
}

// bad: a bare Wait with no condition at all: a Broadcast sent before it is lost.
func (g *Gate) WaitBare() {
	g.mu.Lock()
	g.opened.Wait() // want "GL023"
	g.mu.Unlock()
}

// ok: the canonical form: Wait inside a for loop that re-checks the condition, and Open broadcasts.
func (g *Gate) Wait() {
	g.mu.Lock()
	for !g.open {
		g.opened.Wait()
	}
	g.mu.Unlock()
}

// ok: a loop that checks the condition in its body and waits at the end of each round.
func (g *Gate) WaitLoopBody() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for {
		if g.open {
			return
		}
		g.opened.Wait()
	}
}

// bad: aliased import of sync; the Wait sits after the loop, not inside it.
func aliasAfterLoop(n int) {
	var mu s.Mutex
	ready := s.NewCond(&mu)
	count := 0
	go func() {
		mu.Lock()
		count = n
		mu.Unlock()
		ready.Signal()
	}()
	mu.Lock()
	for i := 0; i < n; i++ {
		fmt.Println(i)
	}
	ready.Wait() // want "GL023"
	mu.Unlock()
	fmt.Println(count)
}

var (
	globalMu    sync.Mutex
	globalReady = sync.NewCond(&globalMu)
	started     bool
)

// bad: a package-level Cond that nothing signals.
func waitStarted() {
	globalMu.Lock()
	for !started {
		globalReady.Wait() // want "GL023"
	}
	globalMu.Unlock()
}

type Latch struct {
	mu   sync.Mutex
	cond sync.Cond
	n    int
}

func newLatch(n int) *Latch {
	l := &Latch{n: n}
	l.cond.L = &l.mu
	return l
}

// bad: a Cond held by value in a struct; CountDown decrements but never signals it.
func (l *Latch) Await() {
	l.mu.Lock()
	for l.n > 0 {
		l.cond.Wait() // want "GL023"
	}
	l.mu.Unlock()
}

func (l *Latch) CountDown() {
	l.mu.Lock()
	l.n--
	l.mu.Unlock()
}

type worker struct {
	mu    sync.Mutex
	wake  *sync.Cond
	tasks []func()
}

// bad: the Wait runs in a goroutine closure, guarded by `if`; the submitter signals.
func (w *worker) start() {
	go func() {
		w.mu.Lock()
		if len(w.tasks) == 0 {
			w.wake.Wait() // want "GL023"
		}
		t := w.tasks[0]
		w.mu.Unlock()
		t()
	}()
}

func (w *worker) submit(t func()) {
	w.mu.Lock()
	w.tasks = append(w.tasks, t)
	w.mu.Unlock()
	w.wake.Signal()
}

type pool struct {
	mu    sync.Mutex
	avail *sync.Cond
	free  int
}

// ok: Signal through a deferred call and a method value in Put.
func (p *pool) Get() {
	p.mu.Lock()
	for p.free == 0 {
		p.avail.Wait()
	}
	p.free--
	p.mu.Unlock()
}

func (p *pool) Put() {
	p.mu.Lock()
	defer p.avail.Signal()
	p.free++
	p.mu.Unlock()
}

// ok: the Cond escapes into a registry this package does not read: someone else may signal it.
var registry = map[string]*sync.Cond{}

func escapesToRegistry(name string, ok *bool) {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	registry[name] = c
	mu.Lock()
	for !*ok {
		c.Wait()
	}
	mu.Unlock()
}

// ok: an exported Cond field: code in other packages can Signal it.
type Event struct {
	Mu    sync.Mutex
	Ready *sync.Cond
	Fired bool
}

func (e *Event) Await() {
	e.Mu.Lock()
	for !e.Fired {
		e.Ready.Wait()
	}
	e.Mu.Unlock()
}

// ok: a type of our own with a Wait method is not a sync.Cond.
type Cond struct{ ch chan struct{} }

func (c *Cond) Wait() { <-c.ch }

func ownCond(c *Cond, ready bool) {
	if !ready {
		c.Wait()
	}
}

// ok: WaitGroup.Wait is not a Cond wait, loop or not.
func waitGroupWait(wg *sync.WaitGroup) {
	if wg != nil {
		wg.Wait()
	}
}

// ok: the waiter loops; the signal comes from a goroutine closure.
func signalFromGoroutine() {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	done := false
	go func() {
		mu.Lock()
		done = true
		mu.Unlock()
		c.Broadcast()
	}()
	mu.Lock()
	for !done {
		c.Wait()
	}
	mu.Unlock()
}

// ok: a range loop around the Wait re-checks once per tick.
func rangeLoop(g *Gate, ticks []int) {
	g.mu.Lock()
	for range ticks {
		if g.open {
			break
		}
		g.opened.Wait()
	}
	g.mu.Unlock()
}

// ok: the Cond is handed to a function value we cannot see.
func handedAway(hook func(*sync.Cond), ok *bool) {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	hook(c)
	mu.Lock()
	for !*ok {
		c.Wait()
	}
	mu.Unlock()
}

// Watcher tracks watched paths; removals wait until the event reader drops a path.
type Watcher struct {
	mu      sync.Mutex
	gone    *sync.Cond
	watched map[string]bool
}

func newWatcher() *Watcher {
	w := &Watcher{watched: map[string]bool{}}
	w.gone = sync.NewCond(&w.mu)
	return w
}

func (w *Watcher) drop(path string) {
	w.mu.Lock()
	delete(w.watched, path)
	w.mu.Unlock()
	w.gone.Broadcast()
}

// bad: the loop condition is a local computed once before the loop and never
// updated: the Wait is in a loop, but the loop re-checks nothing, so the
// waiter never leaves however often drop broadcasts (modelled on moby#27782).
func (w *Watcher) Remove(path string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	present := w.watched[path]
	for present {
		w.gone.Wait() // want "GL023"
	}
}

// ok: the fixed Remove re-reads the shared map on every round.
func (w *Watcher) RemoveFixed(path string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for w.watched[path] {
		w.gone.Wait()
	}
}

// ok: the local condition is refreshed inside the loop after each wake-up.
func (w *Watcher) RemoveRefresh(path string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	present := w.watched[path]
	for present {
		w.gone.Wait()
		present = w.watched[path]
	}
}

// ok: the loop condition never changes, but the body leaves the loop once the
// path is gone.
func (w *Watcher) RemoveBreak(path string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	waiting := true
	for waiting {
		if !w.watched[path] {
			return
		}
		w.gone.Wait()
	}
}
