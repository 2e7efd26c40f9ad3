package orders

import (
	"context"
	"net/http"
)

type receipt struct {
	orderID string
}

// POST /receipt?id=N mails an order's receipt.
func (s *Service) handleReceipt(w http.ResponseWriter, r *http.Request) {
	if s.fixed(r) {
		s.mailReceiptFixed(w, r)
	} else {
		s.mailReceipt(w, r)
	}
}

// mailReceipt answers at once and mails in the background, detached from the
// request: when the mailer is down the goroutine waits forever.
func (s *Service) mailReceipt(w http.ResponseWriter, r *http.Request) {
	rc := receipt{orderID(r)}
	go func() {
		_ = s.send(context.Background(), rc)
	}()
	reply(w, "receipt for order %s queued", rc.orderID)
}

// mailReceiptFixed waits for the mailer within the request, for at most mailTimeout.
func (s *Service) mailReceiptFixed(w http.ResponseWriter, r *http.Request) {
	rc := receipt{orderID(r)}
	ctx, cancel := context.WithTimeout(r.Context(), mailTimeout)
	defer cancel()
	if err := s.send(ctx, rc); err != nil {
		http.Error(w, "mailer unavailable, try again later", http.StatusServiceUnavailable)
		return
	}
	reply(w, "receipt for order %s sent", rc.orderID)
}

// send hands a receipt to the mailer.
func (s *Service) send(ctx context.Context, rc receipt) error {
	select {
	case s.outbox <- rc:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
