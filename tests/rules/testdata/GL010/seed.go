// Package gl010 specifies GL010 (query-without-context) by example.
//
// Contract (go vet analysistest style): a line that must be reported ends
// with a want comment naming GL010; every other line must stay silent.
//
// GL010 is reported on the database/sql call. Receivers must resolve to
// *sql.DB, *sql.Tx, *sql.Conn or *sql.Stmt from declarations (a variable
// named db of another type is not a database). Two shapes are reported:
// Query/QueryRow/Exec/Prepare/Begin/Ping where a context is in scope (a
// context.Context parameter or local, or the *http.Request of a handler),
// and the …Context forms given context.Background()/TODO() — directly, via
// a local, or wrapped in context.WithValue — inside a goroutine or an HTTP
// handler. Contexts derived with WithTimeout/WithDeadline/WithCancel count
// as managed.
package gl010

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"time"
)

var db *sql.DB

// ok: seed §3.2 as written — no context is in scope, so there is nothing
// better to pass here (the function's callers are the ones to fix).
func badQuery(userID int) error {
	rows, err := db.Query("SELECT name FROM users WHERE id = ?", userID)
	if err != nil {
		return err
	}
	defer rows.Close()
	return nil
}

// bad: seed §3.2 with a context at hand: db.Query ignores it.
func queryIgnoresCtx(ctx context.Context, userID int) error {
	rows, err := db.Query("SELECT name FROM users WHERE id = ?", userID) // want "GL010"
	if err != nil {
		return err
	}
	defer rows.Close()
	return ctx.Err()
}

// ok: seed §3.2 fixed — QueryContext with a deadline.
func queryWithTimeout(ctx context.Context, userID int) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	rows, err := db.QueryContext(ctx, "SELECT name FROM users WHERE id = ?", userID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
	}
	return rows.Err()
}

// bad: inside an HTTP handler r.Context() is at hand; QueryRow ignores it.
func userHandler(w http.ResponseWriter, r *http.Request) {
	var name string
	err := db.QueryRow("SELECT name FROM users WHERE id = ?", r.URL.Query().Get("id")).Scan(&name) // want "GL010"
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	fmt.Fprintln(w, name)
}

// ok: the handler passes r.Context().
func userHandlerOK(w http.ResponseWriter, r *http.Request) {
	var name string
	_ = db.QueryRowContext(r.Context(), "SELECT name FROM users").Scan(&name)
	fmt.Fprintln(w, name)
}

// bad: a goroutine runs QueryContext with context.Background(): no deadline,
// no cancellation.
func refreshAll(ids []int) {
	for _, id := range ids {
		go func() {
			rows, err := db.QueryContext(context.Background(), "SELECT * FROM t WHERE id = ?", id) // want "GL010"
			if err == nil {
				rows.Close()
			}
		}()
	}
}

// bad: context.TODO() inside a handler.
func deleteHandler(w http.ResponseWriter, r *http.Request) {
	_, err := db.ExecContext(context.TODO(), "DELETE FROM t") // want "GL010"
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// bad: a local holding context.Background() is still Background.
func pingLater() {
	bg := context.Background()
	go func() {
		if err := db.PingContext(bg); err != nil { // want "GL010"
			fmt.Println(err)
		}
	}()
}

// ok: context.Background() in top-level setup code (not a goroutine, not a
// handler): the process start has no caller to inherit from.
func setup() error {
	return db.PingContext(context.Background())
}

// ok: a timeout on top of Background inside a goroutine bounds the call.
func boundedWorker() {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, _ = db.ExecContext(ctx, "VACUUM")
	}()
}

// ok: a cancellable context (WithCancel) is managed by someone.
func cancellableWorker(stop chan struct{}) {
	go func() {
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-stop; cancel() }()
		_, _ = db.ExecContext(ctx, "LISTEN events")
	}()
}

type flusher struct {
	db      *sql.DB
	pending chan string
}

// bad: a method started with go runs ExecContext with context.Background():
// the flusher goroutine can hang on the database forever.
func (f *flusher) Start() {
	go f.flush()
}

func (f *flusher) flush() {
	for q := range f.pending {
		_, _ = f.db.ExecContext(context.Background(), q) // want "GL010"
	}
}

// ok: not a database/sql receiver — a method named Query on a local type,
// inside a handler.
func (f *flusher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var q queue
	q.Query("x")
}

type queue struct{}

func (queue) Query(string) {}
