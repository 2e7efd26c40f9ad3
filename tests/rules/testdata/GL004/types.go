package gl004

import "sync"

// Struct types for the named-entry-point and field cases (methods in
// named.go).

type Syncer struct {
	wg     sync.WaitGroup
	target string
}

// batch embeds sync.WaitGroup: b.Done is (*sync.WaitGroup).Done.
type batch struct {
	sync.WaitGroup
	orders []Order
}
