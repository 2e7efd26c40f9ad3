package gl009

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	nethttp "net/http"
	"strings"
	"time"
)

type notifier struct {
	client *http.Client
	hook   string
}

func (n *notifier) send(msg string) {
	resp, err := n.client.Post(n.hook, "text/plain", strings.NewReader(msg))
	if err == nil {
		resp.Body.Close()
	}
}

// Server holds dependencies for its handlers.
type Server struct {
	ctx    context.Context
	db     *sql.DB
	n      *notifier
	events chan string
	audit  auditLog
}

type auditLog struct{ db *sql.DB }

func (a auditLog) Record(path string) {
	_, _ = a.db.Exec("INSERT INTO audit VALUES (?)", path)
}

// bad: a method handler starts a named method (one level in: it does an
// HTTP POST) with no context at all.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	go s.n.send(r.URL.Path) // want "GL009"
	fmt.Fprintln(w, "ok")
}

// bad: the net/http import under an alias; the goroutine blocks on a struct
// field channel with nothing derived from the request.
func (s *Server) Register(mux *nethttp.ServeMux) {
	mux.HandleFunc("/events", func(w nethttp.ResponseWriter, req *nethttp.Request) {
		go func() { // want "GL009"
			s.events <- req.URL.Query().Get("name")
		}()
	})
}

// bad: a struct field's method does the database I/O without a context.
func (s *Server) Audit(w http.ResponseWriter, r *http.Request) {
	go s.audit.Record(r.URL.Path) // want "GL009"
}

// bad: a named worker gets context.TODO(); it ranges over a channel.
func (s *Server) Stream(w http.ResponseWriter, r *http.Request) {
	go forward(context.TODO(), s.events) // want "GL009"
}

func forward(ctx context.Context, in chan string) {
	for msg := range in {
		fmt.Println(msg)
	}
}

// bad: the goroutine calls a same-package helper that does an HTTP GET.
func (s *Server) Warm(w http.ResponseWriter, req *http.Request) {
	go func() { // want "GL009"
		warmCache(req.Host)
	}()
}

func warmCache(host string) {
	resp, err := http.Get("http://" + host + "/cache")
	if err == nil {
		resp.Body.Close()
	}
}

// ok: a server-lifetime context from a struct field (not Background/TODO)
// bounds the goroutine.
func (s *Server) Refresh(w http.ResponseWriter, r *http.Request) {
	go func() {
		_, _ = s.db.ExecContext(s.ctx, "REFRESH MATERIALIZED VIEW v")
	}()
}

// bad: a select without default on a timer and a field channel.
func (s *Server) Wait(w http.ResponseWriter, r *http.Request) {
	go func() { // want "GL009"
		select {
		case <-time.After(time.Minute):
		case e := <-s.events:
			fmt.Println(e)
		}
	}()
}

// ok: the goroutine only formats a string (no blocking, no I/O).
func (s *Server) Format(w http.ResponseWriter, r *http.Request) {
	go func() {
		fmt.Println(strings.ToUpper(r.URL.Path))
	}()
}

// ok: the outgoing request is built with r.Context(): the client call in
// the goroutine is cancelled with the incoming request.
func (s *Server) Proxy(w http.ResponseWriter, r *http.Request) {
	out, err := http.NewRequestWithContext(r.Context(), "GET", "http://backend/", nil)
	if err != nil {
		return
	}
	go func() {
		resp, err := s.n.client.Do(out)
		if err == nil {
			resp.Body.Close()
		}
	}()
}

// bad: the outgoing request is built without a context (http.NewRequest is
// context.Background()): the call outlives the incoming request.
func (s *Server) ProxyDetached(w http.ResponseWriter, r *http.Request) {
	out, err := http.NewRequest("GET", "http://backend/", nil)
	if err != nil {
		return
	}
	go func() { // want "GL009"
		resp, err := s.n.client.Do(out)
		if err == nil {
			resp.Body.Close()
		}
	}()
}
