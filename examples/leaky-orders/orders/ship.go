package orders

import (
	"errors"
	"net/http"
	"sync"
)

type shipment struct {
	id      string
	address string
}

// GET /ship?id=N&to=ADDRESS prints the shipping labels of an order batch and
// tells the carrier when they are all printed.
func (s *Service) handleShip(w http.ResponseWriter, r *http.Request) {
	batch := []shipment{{orderID(r), r.URL.Query().Get("to")}}
	if s.fixed(r) {
		s.shipFixed(batch)
	} else {
		s.ship(batch)
	}
	reply(w, "shipping %d orders", len(batch))
}

func (s *Service) ship(batch []shipment) {
	var wg sync.WaitGroup
	for _, o := range batch {
		wg.Add(1)
		go func() {
			label, err := printLabel(o)
			if err != nil {
				s.logf("ship %s: %v", o.id, err)
				return
			}
			s.dispatch(label)
			wg.Done()
		}()
	}
	go func() {
		wg.Wait()
		s.notifyCarrier(len(batch))
	}()
}

func (s *Service) shipFixed(batch []shipment) {
	var wg sync.WaitGroup
	for _, o := range batch {
		wg.Add(1)
		go func() {
			defer wg.Done()
			label, err := printLabel(o)
			if err != nil {
				s.logf("ship %s: %v", o.id, err)
				return
			}
			s.dispatch(label)
		}()
	}
	go func() {
		wg.Wait()
		s.notifyCarrier(len(batch))
	}()
}

func printLabel(o shipment) (string, error) {
	if o.address == "" {
		return "", errors.New("no address")
	}
	return o.id + " -> " + o.address, nil
}

func (s *Service) dispatch(label string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.labels++
}

func (s *Service) notifyCarrier(n int) {
	s.logf("carrier notified: %d parcels", n)
}
