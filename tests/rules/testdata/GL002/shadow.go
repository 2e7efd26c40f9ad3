package gl002

import (
	"context"
	"fmt"
	"time"
)

// Name traps: the rule resolves what `context` and `WithTimeout` refer to; it
// does not match names.

// limiter has a method called WithTimeout; it is not the context package.
type limiter struct{}

func (limiter) WithTimeout(d time.Duration) (time.Duration, func()) { return d, func() {} }

// ok: a method named WithTimeout on a local type.
func useLimiter() {
	var l limiter
	d, _ := l.WithTimeout(time.Second)
	fmt.Println(d)
}

// reqContext is a request-scoped helper whose method is called WithCancel.
type reqContext struct{}

func (reqContext) WithCancel(n int) (int, func()) { return n, func() {} }

// ok: the parameter named context shadows the import inside this function.
// go vet's lostcancel reports this line (it falls back to matching the name
// "context" when the identifier is not a package): a vet false positive
// that GL002 must not copy.
func shadowed(context reqContext) int {
	n, _ := context.WithCancel(1) // vet false positive: vet matches the name "context"
	return n
}

// ok: WithoutCancel and WithValue return no cancel function.
func noCancelFunc(parent context.Context) context.Context {
	ctx := context.WithoutCancel(parent)
	return context.WithValue(ctx, ctxKey{}, "v")
}

type ctxKey struct{}
