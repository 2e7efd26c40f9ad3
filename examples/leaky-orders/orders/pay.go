package orders

import (
	"context"
	"net/http"
	"time"
)

// GET /pay?id=N waits (in the background) for the payment gateway's callback.
func (s *Service) handlePay(w http.ResponseWriter, r *http.Request) {
	id := orderID(r)
	paid := make(chan bool, 1)
	s.mu.Lock()
	s.paid[id] = paid
	s.mu.Unlock()
	if s.fixed(r) {
		go s.awaitPaymentFixed(context.WithoutCancel(r.Context()), id, paid)
	} else {
		go s.awaitPayment(id, paid)
	}
	reply(w, "awaiting payment for order %s", id)
}

// awaitPayment logs a reminder every paymentPoll until the order is paid. Each
// turn of the loop starts a new timer with time.After (before Go 1.23 none of
// them is freed before it fires), and a gateway that never calls back keeps
// the goroutine here for good.
func (s *Service) awaitPayment(id string, paid <-chan bool) {
	for {
		select {
		case ok := <-paid:
			if ok {
				s.logf("order %s paid", id)
				return
			}
		case <-time.After(paymentPoll):
			s.logf("payment for order %s still pending", id)
		}
	}
}

// awaitPaymentFixed reuses one ticker and gives up when the payment window
// closes (the request's values, not its cancellation, carry over to ctx).
func (s *Service) awaitPaymentFixed(ctx context.Context, id string, paid <-chan bool) {
	ctx, cancel := context.WithTimeout(ctx, paymentWindow)
	defer cancel()
	poll := time.NewTicker(paymentPoll)
	defer poll.Stop()
	for {
		select {
		case ok := <-paid:
			if ok {
				s.logf("order %s paid", id)
				return
			}
		case <-poll.C:
			s.logf("payment for order %s still pending", id)
		case <-ctx.Done():
			s.logf("payment window for order %s closed", id)
			return
		}
	}
}

// confirmPayment is the gateway's callback.
func (s *Service) confirmPayment(id string) {
	s.mu.Lock()
	paid := s.paid[id]
	delete(s.paid, id)
	s.mu.Unlock()
	if paid != nil {
		paid <- true
	}
}
