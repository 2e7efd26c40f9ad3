package orders

import (
	"context"
	"net/http"
	"time"
)

// GET /refresh?id=N keeps an order's delivery estimate fresh in the background.
func (s *Service) handleRefresh(w http.ResponseWriter, r *http.Request) {
	id := orderID(r)
	if s.fixed(r) {
		s.startRefreshFixed(id)
	} else {
		s.startRefresh(id)
	}
	reply(w, "refreshing the estimate of order %s every %v", id, refreshEvery)
}

// startRefresh: the ticker is never stopped and the loop has no way out.
func (s *Service) startRefresh(id string) {
	go func() {
		t := time.NewTicker(refreshEvery)
		for range t.C {
			s.refreshETA(id)
		}
	}()
}

// startRefreshFixed: the worker ends with the order's tracking window and stops its ticker.
func (s *Service) startRefreshFixed(id string) {
	ctx, cancel := context.WithTimeout(context.Background(), trackingTTL)
	go func() {
		defer cancel()
		t := time.NewTicker(refreshEvery)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				s.refreshETA(id)
			case <-ctx.Done():
				return
			}
		}
	}()
}

func (s *Service) refreshETA(id string) {
	s.logf("order %s: estimate refreshed", id)
}
