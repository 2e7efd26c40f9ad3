package orders

import (
	"context"
	"net/http"
)

type status struct {
	orderID string
	state   string
}

// GET /watch?id=N logs the order's next status change.
func (s *Service) handleWatch(w http.ResponseWriter, r *http.Request) {
	id := orderID(r)
	if s.fixed(r) {
		s.watchFixed(r.Context(), id)
	} else {
		s.watch(id)
	}
	reply(w, "watching order %s", id)
}

func (s *Service) watch(id string) {
	changes := make(chan status)
	expired := make(chan struct{})
	// The channels were meant to be registered with the status feed; they never
	// are, so no case of this select can ever become ready.
	go func() {
		select {
		case st := <-changes:
			s.logf("order %s is now %s", id, st.state)
		case <-expired:
			s.logf("stopped watching order %s", id)
		}
	}()
}

func (s *Service) watchFixed(ctx context.Context, id string) {
	changes := make(chan status)
	go func() {
		select {
		case st := <-changes:
			s.logf("order %s is now %s", id, st.state)
		case <-ctx.Done():
			s.logf("stopped watching order %s", id)
		}
	}()
}
