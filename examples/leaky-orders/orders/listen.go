package orders

import "net/http"

// OrderEvent is one change to an order, applied by its subscribers.
type OrderEvent struct {
	OrderID string
	Kind    string
}

// listen applies a subscription's events until the channel is closed: on the
// leaky path nothing ever closes it, so this goroutine never ends.
func (s *Service) listen(ch <-chan OrderEvent) {
	for ev := range ch {
		s.apply(ev)
	}
}

// GET /subscribe?id=N replays an order's history to a new subscriber.
func (s *Service) handleSubscribe(w http.ResponseWriter, r *http.Request) {
	id := orderID(r)
	if s.fixed(r) {
		s.subscribeFixed(id)
	} else {
		s.subscribe(id)
	}
	reply(w, "subscribed to order %s", id)
}

func (s *Service) subscribe(id string) {
	events := make(chan OrderEvent, 8)
	go s.listen(events)
	for _, ev := range history(id) {
		events <- ev
	}
}

// subscribeFixed: the sender closes the channel when it is done.
func (s *Service) subscribeFixed(id string) {
	events := make(chan OrderEvent, 8)
	go s.listenUntilClosed(events)
	defer close(events)
	for _, ev := range history(id) {
		events <- ev
	}
}

func (s *Service) listenUntilClosed(ch <-chan OrderEvent) {
	for ev := range ch {
		s.apply(ev)
	}
}

func (s *Service) apply(ev OrderEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applied++
}

func history(id string) []OrderEvent {
	return []OrderEvent{{id, "created"}, {id, "paid"}, {id, "packed"}}
}
