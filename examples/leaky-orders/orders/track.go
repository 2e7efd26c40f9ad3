package orders

import (
	"context"
	"net/http"
)

// GET /track?id=N starts pushing an order's status changes to its tracker.
func (s *Service) handleTrack(w http.ResponseWriter, r *http.Request) {
	id := orderID(r)
	if s.fixed(r) {
		s.trackFixed(id)
	} else {
		s.track(id)
	}
	reply(w, "tracking order %s", id)
}

func (s *Service) track(id string) {
	// The cancel function is dropped: nothing can ever end the follower.
	ctx, _ := context.WithCancel(context.Background())
	go s.follow(ctx, id)
	s.pushStatus(id)
}

func (s *Service) trackFixed(id string) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.follow(ctx, id)
	s.pushStatus(id)
}

// follow keeps an order's tracker open until its context ends.
func (s *Service) follow(ctx context.Context, id string) {
	<-ctx.Done()
	s.logf("stopped tracking order %s", id)
}

func (s *Service) pushStatus(id string) {
	s.logf("order %s: status pushed", id)
}
