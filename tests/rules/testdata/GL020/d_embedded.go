package gl020

import "sync"

type Scheduler struct {
	sync.Mutex
	queue []*Task
}

type Task struct {
	sync.Mutex
	state string
	sched *Scheduler
}

// Run: Scheduler, then Task (embedded mutexes: s.Lock(), t.Lock()).
func (s *Scheduler) Run() {
	s.Lock()
	defer s.Unlock()
	for _, t := range s.queue {
		t.setState("running")
	}
}

func (t *Task) setState(st string) {
	t.Lock()
	t.state = st
	t.Unlock()
}

// bad: Task, then Scheduler: the opposite order to Run, in a goroutine
// started as a method value.
func (t *Task) cancel() {
	t.Lock()
	defer t.Unlock()
	t.sched.Lock() // want "GL020"
	t.sched.queue = nil
	t.sched.Unlock()
}

func (t *Task) Cancel() {
	go t.cancel()
}

type fakeLock struct{ n int }

func (f *fakeLock) Lock()   { f.n++ }
func (f *fakeLock) Unlock() { f.n-- }

// ok: not sync mutexes.
func fakes() {
	var a, b fakeLock
	a.Lock()
	b.Lock()
	b.Unlock()
	a.Unlock()
	b.Lock()
	a.Lock()
	a.Unlock()
	b.Unlock()
}

type Cluster struct {
	mu    sync.Mutex
	nodes []string
}

type Member struct {
	mu  sync.Mutex
	cl  *Cluster
	tag string
}

// ok: the callee locks Member.mu only when the caller says it does not
// hold it; with locked=true no order Cluster.mu → Member.mu exists.
func (c *Cluster) Tag(m *Member) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m.setTag("x", true)
}

func (m *Member) setTag(t string, locked bool) {
	if !locked {
		m.mu.Lock()
		defer m.mu.Unlock()
	}
	m.tag = t
}

func (m *Member) Join() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cl.mu.Lock()
	m.cl.nodes = append(m.cl.nodes, m.tag)
	m.cl.mu.Unlock()
}
