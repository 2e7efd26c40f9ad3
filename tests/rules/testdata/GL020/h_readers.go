package gl020

import "sync"

// LogStore and logQueue follow GoKer cockroach#3710: the store is only read-locked on both paths,
// but its raft loop write-locks it, and a Lock queued behind the first RLock makes the second RLock
// wait.
type LogStore struct {
	mu struct {
		sync.RWMutex
	}
	queue    *logQueue
	replicas map[int]*logReplica
}

type logReplica struct {
	store *LogStore
}

type logQueue struct {
	sync.Mutex
	pending int
}

// scan: LogStore.mu (read), then logQueue's mutex through add.
func (s *LogStore) scan() {
	s.mu.RLock()
	for _, r := range s.replicas {
		s.queue.add(r)
	}
	s.mu.RUnlock()
}

func (s *LogStore) status() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.replicas)
}

// The writer that makes the readers wait.
func (s *LogStore) processRaft() {
	s.mu.Lock()
	s.replicas = map[int]*logReplica{}
	s.mu.Unlock()
}

// bad: logQueue's mutex, then LogStore.mu (read) through status: the opposite order to scan.
func (q *logQueue) add(r *logReplica) {
	q.Lock()
	defer q.Unlock()
	q.pending += r.store.status() // want "GL020"
}

// The same shape where nothing ever write-locks the store.
type ViewStore struct {
	mu       sync.RWMutex
	queue    *viewQueue
	replicas map[int]*viewReplica
}

type viewReplica struct {
	store *ViewStore
}

type viewQueue struct {
	sync.Mutex
	pending int
}

func (s *ViewStore) scan() {
	s.mu.RLock()
	for _, r := range s.replicas {
		s.queue.add(r)
	}
	s.mu.RUnlock()
}

func (s *ViewStore) status() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.replicas)
}

// ok: ViewStore.mu is only ever read-locked: the two RLocks never wait for each other.
func (q *viewQueue) add(r *viewReplica) {
	q.Lock()
	defer q.Unlock()
	q.pending += r.store.status()
}
