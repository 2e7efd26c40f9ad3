package orders

import (
	"errors"
	"net/http"
	"time"
)

var errQuoteTimeout = errors.New("pricing timed out")

// GET /quote?sku=S asks the pricing API for a price, waiting at most quoteTimeout.
func (s *Service) handleQuote(w http.ResponseWriter, r *http.Request) {
	sku := r.URL.Query().Get("sku")
	var price int
	var err error
	if s.fixed(r) {
		price, err = s.quoteFixed(sku)
	} else {
		price, err = s.quote(sku)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusGatewayTimeout)
		return
	}
	reply(w, "%s costs %d", sku, price)
}

func (s *Service) quote(sku string) (int, error) {
	prices := make(chan int)
	go func() {
		prices <- lookupPrice(sku)
	}()
	select {
	case p := <-prices:
		return p, nil
	case <-time.After(quoteTimeout):
		return 0, errQuoteTimeout
	}
}

// quoteFixed: a buffer of one lets the late sender finish after we gave up.
func (s *Service) quoteFixed(sku string) (int, error) {
	prices := make(chan int, 1)
	go func() {
		prices <- lookupPrice(sku)
	}()
	select {
	case p := <-prices:
		return p, nil
	case <-time.After(quoteTimeout):
		return 0, errQuoteTimeout
	}
}

func lookupPrice(sku string) int {
	time.Sleep(pricingLatency)
	return 100 + len(sku)
}
