package gl010

import (
	ctxpkg "context"
	dbsql "database/sql"
	"net/http"
)

// Store wraps a database.
type Store struct {
	db *dbsql.DB
}

// bad: aliased imports; Begin on a struct field ignores the ctx parameter.
func (s *Store) Transfer(ctx ctxpkg.Context, from, to int) error {
	tx, err := s.db.Begin() // want "GL010"
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Exec on the *sql.Tx from Begin is reported too (same ctx in scope).
	if _, err := tx.Exec("UPDATE acct SET n = n - 1 WHERE id = ?", from); err != nil { // want "GL010"
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE acct SET n = n + 1 WHERE id = ?", to); err != nil {
		return err
	}
	return tx.Commit()
}

// bad: Prepare on the field while ctx is in scope; the *sql.Stmt's Query too
// (each call is reported).
func (s *Store) Names(ctx ctxpkg.Context) ([]string, error) {
	stmt, err := s.db.Prepare("SELECT name FROM users") // want "GL010"
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	rows, err := stmt.Query() // want "GL010"
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		_ = rows.Scan(&n)
		out = append(out, n)
	}
	return out, nil
}

// bad: a *sql.Conn pinged with context.Background() in a handler method.
func (s *Store) Health(w http.ResponseWriter, r *http.Request) {
	conn, err := s.db.Conn(r.Context())
	if err != nil {
		return
	}
	defer conn.Close()
	if err := conn.PingContext(ctxpkg.Background()); err != nil { // want "GL010"
		w.WriteHeader(http.StatusServiceUnavailable)
	}
}

// ok: all calls take the ctx (Tx and Stmt …Context forms); Commit and
// Rollback take none.
func (s *Store) TransferOK(ctx ctxpkg.Context, from int) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, "UPDATE acct SET n = 0 WHERE id = ?")
	if err != nil {
		return err
	}
	if _, err := stmt.ExecContext(ctx, from); err != nil {
		return err
	}
	return tx.Commit()
}

type fakeDB struct{}

func (fakeDB) Query(q string) error { return nil }
func (fakeDB) Ping() error          { return nil }

// ok: a db whose type is not *sql.DB is not a database, whatever its name.
func notSQL(ctx ctxpkg.Context) error {
	db := fakeDB{}
	if err := db.Ping(); err != nil {
		return err
	}
	return db.Query("SELECT 1")
}

// bad: ctx := r.Context() is in scope and Ping ignores it.
func (s *Store) Ready(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := s.db.Ping(); err != nil { // want "GL010"
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	_ = ctx
}

// Cache embeds the database: its Query is (*sql.DB).Query.
type Cache struct {
	*dbsql.DB
	name string
}

// bad: the embedded *sql.DB's QueryRow, reached through the struct, with ctx
// in scope.
func (c *Cache) Get(ctx ctxpkg.Context, key string) (string, error) {
	var v string
	err := c.QueryRow("SELECT v FROM kv WHERE k = ?", key).Scan(&v) // want "GL010"
	return v, err
}

// ok: the embedded database used with the context form.
func (c *Cache) GetOK(ctx ctxpkg.Context, key string) (string, error) {
	var v string
	err := c.QueryRowContext(ctx, "SELECT v FROM kv WHERE k = ?", key).Scan(&v)
	return v, err
}
