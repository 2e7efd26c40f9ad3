package gl002

import (
	. "context"
	"time"
)

// A dot import puts context's names in this file's scope: WithCancel here is
// context.WithCancel.

// bad: dot import — WithCancel's cancel discarded.
func dotDiscard() Context {
	ctx, _ := WithCancel(Background()) // want "GL002"
	return ctx
}

// bad: dot import — cancel only used when the timeout is short.
func dotOneBranch(d time.Duration) {
	ctx, cancel := WithTimeout(TODO(), d) // want "GL002"
	if d < time.Second {
		defer cancel()
	}
	apiCall(ctx)
}

// ok: dot import — deferred.
func dotDeferred() {
	ctx, cancel := WithTimeout(Background(), time.Second)
	defer cancel()
	apiCall(ctx)
}
