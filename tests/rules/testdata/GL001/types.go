package gl001

import "sync"

// Struct types for the struct-field cases. Their methods live in hub.go; the
// close sites of some fields live in hub_stop.go.

type Hub struct {
	msgs chan string
	quit chan struct{}
}

type Broker struct {
	subs chan string
}

type Batcher struct {
	items chan int
	buf   []int
}

// Relay and Mirror both have a field called ch; only Mirror.ch is closed.
type Relay struct{ ch chan int }

type Mirror struct{ ch chan int }

type Pool struct {
	Jobs chan Job // exported: code in other packages may close it
}

type Dispatcher struct {
	once  sync.Once
	tasks chan func()
}
