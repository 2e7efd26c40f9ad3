package gl003

import "sync"

// Struct types for the field cases; their methods live in named.go and
// fields.go.

type Server struct {
	wg   sync.WaitGroup
	name string
}

type Collector struct {
	wg    sync.WaitGroup
	total int
}

type Pool struct {
	wg sync.WaitGroup
}

// group embeds sync.WaitGroup: g.Add and g.Done are the WaitGroup's methods.
type group struct {
	sync.WaitGroup
	name string
}
