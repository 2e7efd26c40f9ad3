package orders

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
)

// replicaDriver is the database/sql driver of the reporting replica (standard
// library only, so the example needs no module download). The replica is
// overloaded: it accepts connections and never answers a query; only the
// query's context can end the wait, as with a real driver.
const replicaDriver = "orders-replica"

func init() {
	sql.Register(replicaDriver, replicaDB{})
}

type replicaDB struct{}

func (replicaDB) Open(name string) (driver.Conn, error) {
	return &replicaConn{}, nil
}

type replicaConn struct{}

var errReadOnly = errors.New("replica: read-only connection")

func (c *replicaConn) Prepare(query string) (driver.Stmt, error) { return nil, errReadOnly }
func (c *replicaConn) Close() error                              { return nil }
func (c *replicaConn) Begin() (driver.Tx, error)                 { return nil, errReadOnly }

func (c *replicaConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	answer := make(chan driver.Rows) // the replica never answers
	select {
	case rows := <-answer:
		return rows, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
