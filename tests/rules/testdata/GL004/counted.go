package gl004

import "sync"

// Add(len(xs)) before the loop that starts one goroutine per element.

type task struct{ skip bool }

func (t *task) run() {}

// bad: a skipped element never gets a goroutine, so one Done is missing.
func runAllSkipping(tasks []*task) {
	var wg sync.WaitGroup
	wg.Add(len(tasks))
	for _, t := range tasks {
		if t.skip {
			continue // want "GL004"
		}
		go func(t *task) {
			defer wg.Done()
			t.run()
		}(t)
	}
	wg.Wait()
}

// ok: the skipping path accounts for its element.
func runAllAccounted(tasks []*task) {
	var wg sync.WaitGroup
	wg.Add(len(tasks))
	for _, t := range tasks {
		if t.skip {
			wg.Done()
			continue
		}
		go func(t *task) {
			defer wg.Done()
			t.run()
		}(t)
	}
	wg.Wait()
}

// bad: n counted, but the loop stops early.
func firstN(n int, tasks []*task) {
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		if i >= len(tasks) {
			break // want "GL004"
		}
		go func(t *task) {
			defer wg.Done()
			t.run()
		}(tasks[i])
	}
	wg.Wait()
}

// ok: Add(1) right before each go statement.
func firstNPerItem(n int, tasks []*task) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		if i >= len(tasks) {
			break
		}
		wg.Add(1)
		go func(t *task) {
			defer wg.Done()
			t.run()
		}(tasks[i])
	}
	wg.Wait()
}

// bad: Wait inside the loop waits for every element after starting only the first.
func runSerially(tasks []*task) {
	var wg sync.WaitGroup
	wg.Add(len(tasks))
	for _, t := range tasks {
		go func(t *task) {
			defer wg.Done()
			t.run()
		}(t)
		wg.Wait() // want "GL004"
	}
}

// ok: Wait after the loop.
func runAll(tasks []*task) {
	var wg sync.WaitGroup
	wg.Add(len(tasks))
	for _, t := range tasks {
		go func(t *task) {
			defer wg.Done()
			t.run()
		}(t)
	}
	wg.Wait()
}

type drainer struct {
	mu      sync.Mutex
	pending sync.WaitGroup
}

func (d *drainer) begin() {
	d.mu.Lock()
	d.pending.Add(1)
	d.mu.Unlock()
}

// bad: pending is added to but nothing ever calls its Done.
func (d *drainer) drain() {
	d.pending.Wait() // want "GL004"
}

type finisher struct {
	pending sync.WaitGroup
}

func (f *finisher) begin() { f.pending.Add(1) }

func (f *finisher) end() { f.pending.Done() }

// ok: end counts every begin down.
func (f *finisher) drain() {
	f.pending.Wait()
}
