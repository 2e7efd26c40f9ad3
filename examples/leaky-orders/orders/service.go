// Package orders is the order service: one HTTP endpoint per goroutine-leak
// pattern, each with its fixed version one flag (or ?fixed=1) away.
package orders

import (
	"database/sql"
	"fmt"
	"io"
	"log"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Latencies of the (simulated) services the order service depends on.
const (
	pricingLatency   = 20 * time.Millisecond // the pricing API is slower than...
	quoteTimeout     = 2 * time.Millisecond  // ...what a quote may take
	warehouseLatency = 25 * time.Millisecond // longer than it takes reserve to reach wg.Wait
	refreshEvery     = time.Hour
	paymentPoll      = time.Minute
	paymentWindow    = 50 * time.Millisecond // fixed /pay: how long we wait for the gateway
	trackingTTL      = 50 * time.Millisecond // fixed /refresh: how long an order is tracked
	mailTimeout      = 20 * time.Millisecond
	importWorkers    = 4
)

// Config selects the leaky or the fixed version of every endpoint.
type Config struct {
	Fixed bool
}

// Service holds the order service's state and dependencies.
type Service struct {
	cfg Config

	mu      sync.Mutex
	applied int
	labels  int
	paid    map[string]chan bool

	// outbox feeds the mailer. The mailer is down in this demo: nothing
	// reads it, so whoever sends without a deadline waits forever.
	outbox chan receipt

	db *sql.DB
}

// NewService wires the service to its (simulated) dependencies.
func NewService(cfg Config) *Service {
	db, err := sql.Open(replicaDriver, "reports-replica")
	if err != nil {
		log.Fatal(err)
	}
	return &Service{
		cfg:    cfg,
		paid:   make(map[string]chan bool),
		outbox: make(chan receipt),
		db:     db,
	}
}

// Register mounts every endpoint on mux.
func (s *Service) Register(mux *http.ServeMux) {
	mux.HandleFunc("/subscribe", s.handleSubscribe) // range over a channel nobody closes
	mux.HandleFunc("/track", s.handleTrack)         // cancel function dropped
	mux.HandleFunc("/reserve", s.handleReserve)     // wg.Add inside the goroutine
	mux.HandleFunc("/ship", s.handleShip)           // a path skips wg.Done
	mux.HandleFunc("/watch", s.handleWatch)         // a select that never wakes
	mux.HandleFunc("/quote", s.handleQuote)         // a sender abandoned by a timed-out caller
	mux.HandleFunc("/pay", s.handlePay)             // time.After in a loop
	mux.HandleFunc("/refresh", s.handleRefresh)     // a ticker worker that never stops
	mux.HandleFunc("/receipt", s.handleReceipt)     // a handler goroutine detached from the request
	mux.HandleFunc("/report", s.handleReport)       // a query helper with no deadline
	mux.HandleFunc("/import", s.handleImport)       // a worker pool with no quit channel
}

// fixed reports whether this request takes the fixed code path.
func (s *Service) fixed(r *http.Request) bool {
	return s.cfg.Fixed || r.URL.Query().Get("fixed") == "1"
}

func orderID(r *http.Request) string {
	if id := r.URL.Query().Get("id"); id != "" {
		return id
	}
	return "1"
}

// Log receives the service's log lines (discarded unless main sets it: -v).
var Log = log.New(io.Discard, "orders: ", log.LstdFlags)

func (s *Service) logf(format string, args ...any) {
	Log.Printf(format, args...)
}

func reply(w http.ResponseWriter, format string, args ...any) {
	fmt.Fprintf(w, format+"\n", args...)
}

func atoi(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil && n > 0 {
		return n
	}
	return def
}
