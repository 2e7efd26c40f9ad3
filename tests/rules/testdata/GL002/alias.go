package gl002

import (
	ctxpkg "context"
	"time"
)

// Import aliases: `ctxpkg "context"` is the context package under another name.

// bad: aliased import — the cancel of ctxpkg.WithTimeout is discarded.
func aliasDiscard(parent ctxpkg.Context) ctxpkg.Context {
	ctx, _ := ctxpkg.WithTimeout(parent, time.Second) // want "GL002"
	return ctx
}

// bad: aliased import — the error return skips cancel.
func aliasErrorPath(parent ctxpkg.Context) error {
	ctx, cancel := ctxpkg.WithCancel(parent) // want "GL002"
	if err := ping(ctx); err != nil {
		return err
	}
	cancel()
	return nil
}

// ok: aliased import — deferred.
func aliasDeferred(parent ctxpkg.Context) error {
	ctx, cancel := ctxpkg.WithDeadline(parent, time.Now().Add(time.Second))
	defer cancel()
	return ping(ctx)
}
