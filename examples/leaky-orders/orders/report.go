package orders

import (
	"context"
	"net/http"
)

// GET /report?day=YYYY-MM-DD sums a day's orders on the reporting replica.
func (s *Service) handleReport(w http.ResponseWriter, r *http.Request) {
	day := r.URL.Query().Get("day")
	var total int
	var err error
	if s.fixed(r) {
		total, err = s.dailyTotalFixed(r.Context(), day)
	} else {
		total, err = s.dailyTotal(r.Context(), day)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	reply(w, "orders on %s: %d", day, total)
}

// dailyTotal ignores the context it is given: when the replica hangs, the
// handler hangs with it, long after the client has given up.
func (s *Service) dailyTotal(ctx context.Context, day string) (int, error) {
	var total int
	err := s.db.QueryRow("SELECT sum(amount) FROM orders WHERE day = ?", day).Scan(&total)
	return total, err
}

// dailyTotalFixed: the query ends when the request does.
func (s *Service) dailyTotalFixed(ctx context.Context, day string) (int, error) {
	var total int
	err := s.db.QueryRowContext(ctx, "SELECT sum(amount) FROM orders WHERE day = ?", day).Scan(&total)
	return total, err
}
