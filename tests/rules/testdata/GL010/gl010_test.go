package gl010

import (
	"context"
	"testing"
)

// bad: a test with a ctx local calls Exec without it.
func TestExecWithoutCtx(t *testing.T) {
	ctx := context.Background()
	if _, err := db.Exec("SELECT 1"); err != nil { // want "GL010"
		t.Skip(err, ctx)
	}
}
