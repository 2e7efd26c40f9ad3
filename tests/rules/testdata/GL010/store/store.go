// Package store holds GL010 cases in a sub-package.
package store

import (
	"context"
	"database/sql"
)

// Repo is a repository over a database.
type Repo struct{ DB *sql.DB }

// bad: Exec on a struct field with ctx in scope.
func (r *Repo) Touch(ctx context.Context, id int) error {
	_, err := r.DB.Exec("UPDATE t SET at = now() WHERE id = ?", id) // want "GL010"
	return err
}

// ok: ExecContext with the caller's ctx.
func (r *Repo) TouchOK(ctx context.Context, id int) error {
	_, err := r.DB.ExecContext(ctx, "UPDATE t SET at = now() WHERE id = ?", id)
	return err
}

// ok: Background given in a plain method (neither goroutine nor handler).
func (r *Repo) Count() (n int, err error) {
	err = r.DB.QueryRowContext(context.Background(), "SELECT count(*) FROM t").Scan(&n)
	return n, err
}
