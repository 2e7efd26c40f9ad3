package gl002

import (
	"context"
	"errors"
	"sync"
)

// A cancel function that is stored for later (in a registry entry, a struct,
// a return value) must outlive the function on the success path: a deferred
// cancel would cancel the context its new owner keeps. On an early return it
// is still lost, and the message says to call it on that path instead.

type tenancy struct {
	ctx  context.Context
	stop context.CancelFunc
}

var (
	tenanciesMu sync.Mutex
	tenancies   = map[string]*tenancy{}
)

// bad: the early return drops stop; the fix is stop() before that return, not
// a defer (which would cancel the stored tenancy's context).
func openTenancy(parent context.Context, id string) (*tenancy, error) {
	ctx, stop := context.WithCancel(parent) // want "GL002"
	if id == "" {
		return nil, errors.New("empty id")
	}
	s := &tenancy{ctx: ctx, stop: stop}
	tenanciesMu.Lock()
	tenancies[id] = s
	tenanciesMu.Unlock()
	go apiCall(ctx)
	return s, nil
}

// bad (info): a child of Background (through WithValue) that nothing uses
// before the early return: it is registered nowhere, so losing its cancel
// function costs nothing; vet's lostcancel reports it all the same.
func cachedTenancy(id string) *tenancy {
	ctx, stop := context.WithCancel(context.WithValue(context.Background(), tenancyKey{}, id)) // want "GL002"
	tenanciesMu.Lock()
	defer tenanciesMu.Unlock()
	if s, ok := tenancies[id]; ok {
		return s
	}
	s := &tenancy{ctx: ctx, stop: stop}
	tenancies[id] = s
	return s
}

type tenancyKey struct{}

// ok: the early return calls stop; the success path hands it to the tenancy.
func openTenancyChecked(parent context.Context, id string) (*tenancy, error) {
	ctx, stop := context.WithCancel(parent)
	if id == "" {
		stop()
		return nil, errors.New("empty id")
	}
	return &tenancy{ctx: ctx, stop: stop}, nil
}
