package gl010

import (
	"context"
	"time"
)

// ok: the only context in scope was cancelled before the cleanup: passing it
// would make ExecContext fail at once, so the suggested fix would break the
// cleanup.
func lookupThenCleanup(id int) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	var n int
	err := db.QueryRowContext(ctx, "SELECT n FROM items WHERE id = ?", id).Scan(&n)
	cancel()
	_, _ = db.Exec("DELETE FROM scratch WHERE id = ?", id)
	return n, err
}

// bad: the derived context is spent, but the caller's parent is still live
// and the cleanup ignores it.
func lookupThenCleanupParent(parent context.Context, id int) (int, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	var n int
	err := db.QueryRowContext(ctx, "SELECT n FROM items WHERE id = ?", id).Scan(&n)
	cancel()
	_, _ = db.Exec("DELETE FROM scratch WHERE id = ?", id) // want "GL010"
	return n, err
}
