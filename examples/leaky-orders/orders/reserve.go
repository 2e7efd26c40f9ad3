package orders

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// GET /reserve?items=a,b,c holds stock for every item of an order.
func (s *Service) handleReserve(w http.ResponseWriter, r *http.Request) {
	items := strings.Split(r.URL.Query().Get("items"), ",")
	if len(items) == 1 && items[0] == "" {
		items = []string{"mug", "tee", "cap"}
	}
	var held []string
	if s.fixed(r) {
		held = s.reserveFixed(items)
	} else {
		held = s.reserve(items)
	}
	reply(w, "held %d of %d items", len(held), len(items))
}

func (s *Service) reserve(items []string) []string {
	held := make(chan string)
	var wg sync.WaitGroup
	for _, item := range items {
		go func() {
			hold := holdStock(item)
			wg.Add(1)
			defer wg.Done()
			held <- hold
		}()
	}
	// Wait returns before the goroutines have called Add; we collect nothing
	// and return, and every one of them blocks forever on its send.
	wg.Wait()
	var out []string
	for {
		select {
		case h := <-held:
			out = append(out, h)
		default:
			return out
		}
	}
}

func (s *Service) reserveFixed(items []string) []string {
	held := make(chan string, len(items))
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			held <- holdStock(item)
		}()
	}
	wg.Wait()
	close(held)
	var out []string
	for h := range held {
		out = append(out, h)
	}
	return out
}

// holdStock asks the warehouse to hold one item.
func holdStock(item string) string {
	time.Sleep(warehouseLatency)
	return "hold:" + item
}
