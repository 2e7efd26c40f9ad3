package gl022

import "sync"

// The partner's lock hides in a callback it runs before its half of the exchange.

type fetcher struct {
	mu      sync.Mutex
	results chan int
	hits    int
	before  func()
}

func newFetcher() *fetcher {
	f := &fetcher{results: make(chan int)}
	f.before = f.count
	go f.produce()
	return f
}

func (f *fetcher) count() {
	f.mu.Lock()
	f.hits++
	f.mu.Unlock()
}

func (f *fetcher) produce() {
	for i := 0; ; i++ {
		f.before()
		f.results <- i
	}
}

// bad: produce runs f.before (f.count, which locks f.mu) before every send.
func (f *fetcher) Next() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return <-f.results // want "GL022"
}

// ok: received first, counted under the lock after.
func (f *fetcher) NextCounted() int {
	v := <-f.results
	f.mu.Lock()
	f.hits--
	f.mu.Unlock()
	return v
}

type workGroup struct {
	mu    sync.Mutex
	wg    sync.WaitGroup
	n     int
	onEnd func()
}

func newWorkGroup() *workGroup {
	g := &workGroup{}
	g.onEnd = func() {
		g.mu.Lock()
		g.n--
		g.mu.Unlock()
	}
	return g
}

func (g *workGroup) Go(f func()) {
	g.mu.Lock()
	g.n++
	g.mu.Unlock()
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		f()
		g.onEnd()
	}()
}

// bad: each goroutine's onEnd takes g.mu before its deferred Done.
func (g *workGroup) Wait() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.wg.Wait() // want "GL022"
}

// ok: waits without the lock, reads the count under it after.
func (g *workGroup) WaitCount() int {
	g.wg.Wait()
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.n
}
