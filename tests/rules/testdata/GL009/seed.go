// Package gl009 specifies GL009 (handler-goroutine-detached) by example.
//
// Contract (go vet analysistest style): a line that must be reported ends
// with a want comment naming GL009; every other line must stay silent.
//
// GL009 is reported on the go statement. A handler is a function, method or
// literal whose parameters are exactly (http.ResponseWriter, *http.Request),
// import aliases resolved. Its goroutine is reported when it blocks
// (time.Sleep, channel operations, a select without default,
// sync.Cond.Wait) or does network/database I/O — itself or in a
// same-package function it calls — and no context derived from r.Context()
// reaches it: it uses context.Background()/TODO() (even wrapped in
// context.WithTimeout) or no context at all. Printing with fmt/log is not
// blocking I/O for this rule.
package gl009

import (
	"context"
	"database/sql"
	"log"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// bad: seed §3.1 — the goroutine sleeps without r.Context(): it outlives the
// request and cannot notice that the client is gone.
func badHandler(w http.ResponseWriter, r *http.Request) {
	go func() { // want "GL009"
		time.Sleep(10 * time.Second)
		log.Println("work completed")
	}()
}

// ok: seed §3.1 fixed — r.Context() is passed in and watched.
func goodHandler(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	go func(ctx context.Context) {
		select {
		case <-time.After(10 * time.Second):
			log.Println("work completed")
		case <-ctx.Done():
			log.Println("canceled:", ctx.Err())
		}
	}(ctx)
}

var db *sql.DB

// bad: the goroutine queries with context.Background(): detached from the
// request.
func auditHandler(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	go func() { // want "GL009"
		ctx := context.Background()
		if _, err := db.ExecContext(ctx, "INSERT INTO audit VALUES (?)", path); err != nil {
			log.Println(err)
		}
	}()
}

// bad: a timeout on top of context.Background() still ignores the client
// (the request is not what bounds it).
func timeoutOnBackground(w http.ResponseWriter, r *http.Request) {
	go func() { // want "GL009"
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		row := db.QueryRowContext(ctx, "SELECT 1")
		var n int
		_ = row.Scan(&n)
	}()
}

// ok: a context derived from r.Context() reaches the goroutine.
func derivedHandler(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	go func() {
		defer cancel()
		_, _ = db.ExecContext(ctx, "DELETE FROM sessions WHERE expired")
	}()
}

// ok: the request itself is handed over (its context travels with it).
func passesRequest(w http.ResponseWriter, r *http.Request) {
	go process(r)
}

func process(r *http.Request) {
	<-r.Context().Done()
}

var hits atomic.Int64

// ok: the goroutine neither blocks nor does I/O (a counter and a log line).
func counterHandler(w http.ResponseWriter, r *http.Request) {
	go func() {
		hits.Add(1)
		log.Printf("hit %s", r.URL.Path)
	}()
}

// ok: the handler waits for its goroutines before returning: they cannot
// outlive the request.
func fanOutHandler(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Millisecond)
		}()
	}
	wg.Wait()
}

// ok: the handler receives the goroutine's result before returning.
func resultHandler(w http.ResponseWriter, r *http.Request) {
	done := make(chan string)
	go func() {
		time.Sleep(time.Millisecond)
		done <- "ok"
	}()
	w.Write([]byte(<-done))
}

// ok: deliberate post-response work, said out loud with WithoutCancel.
func afterResponse(w http.ResponseWriter, r *http.Request) {
	ctx := context.WithoutCancel(r.Context())
	go func() {
		_, _ = db.ExecContext(ctx, "UPDATE stats SET n = n + 1")
	}()
}

// ok: not a handler — the first parameter is not an http.ResponseWriter.
func notAHandler(w *log.Logger, r *http.Request) {
	go func() {
		time.Sleep(time.Second)
	}()
}
