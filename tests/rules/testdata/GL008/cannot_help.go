package gl008

// Contexts that cannot help: the wait ends by itself, the goroutine has a
// stop signal of its own, or nothing can ever cancel the context in scope.

import (
	"context"
	"errors"
	"fmt"
	"time"
)

func ready() bool { return time.Now().Unix()%2 == 0 }

// ok: a poll with a retry limit; the counted loop ends by itself after at
// most 40 sleeps.
func pollReady(ctx context.Context, report func(bool)) {
	go func() {
		for attempt := 0; attempt < 40; attempt++ {
			if ready() {
				report(true)
				return
			}
			time.Sleep(25 * time.Millisecond)
		}
		report(false)
	}()
}

// ok: five ticks of a ticker, counted: the loop ends by itself.
func fiveTicks(ctx context.Context, tick func(int)) {
	t := time.NewTicker(time.Second)
	go func() {
		defer t.Stop()
		for i := range 5 {
			<-t.C
			tick(i)
		}
	}()
}

// ok: one pass over a fixed list of back-off steps.
func backoffSteps(ctx context.Context, try func() error) {
	steps := []time.Duration{time.Millisecond, 10 * time.Millisecond, 100 * time.Millisecond}
	go func() {
		for _, d := range steps {
			if try() == nil {
				return
			}
			time.Sleep(d)
		}
	}()
}

// bad: the same poll without a limit never ends while the condition stays
// false, and cancelling ctx cannot stop it.
func pollForever(ctx context.Context, report func(bool)) {
	go func() {
		for !ready() {
			time.Sleep(25 * time.Millisecond) // want "GL008"
		}
		report(true)
	}()
}

// bad: a counted loop still waits on a channel only ctx could release.
func firstN(ctx context.Context, in <-chan int, n int, sink func(int)) {
	go func() {
		for i := 0; i < n; i++ {
			sink(<-in) // want "GL008"
		}
	}()
}

// ok: the spinner has its own stop channel, closed by the launcher once the
// work is done; the context is not its lifetime.
func withSpinner(ctx context.Context, work func(context.Context) error) error {
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			fmt.Print(".")
			time.Sleep(100 * time.Millisecond)
		}
	}()
	err := work(ctx)
	close(stop)
	return err
}

type monitor struct {
	quit  chan struct{}
	probe func() bool
}

// ok: a field stop channel that Close closes.
func (m *monitor) watch(ctx context.Context) {
	go func() {
		for {
			select {
			case <-m.quit:
				return
			default:
				m.probe()
			}
			time.Sleep(time.Second)
		}
	}()
}

func (m *monitor) Close() { close(m.quit) }

// bad: a stop channel that nobody ever closes is no way out.
func spinUntil(ctx context.Context, halt chan struct{}) {
	go func() {
		for {
			select {
			case <-halt:
				return
			default:
			}
			time.Sleep(time.Second) // want "GL008"
		}
	}()
}

// ok: the only context in scope is Background(): nothing can cancel it.
func detachedFlush(flush func()) {
	ctx := context.Background()
	_ = ctx
	go func() {
		time.Sleep(time.Second)
		flush()
	}()
}

var errDial = errors.New("dial failed")

func dial(ctx context.Context, addr string) error {
	if addr == "" {
		return errDial
	}
	return ctx.Err()
}

// ok: the dial's context was cancelled before the go statement: it is not a
// context the goroutine could watch.
func dialThenLog(addr string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	err := dial(ctx, addr)
	cancel()
	go func() {
		time.Sleep(time.Second)
		fmt.Println("dial result:", err)
	}()
}

// bad: after the cancelled dial context, the caller's parent is still live
// and the goroutine ignores it.
func dialThenLogParent(parent context.Context, addr string) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	err := dial(ctx, addr)
	cancel()
	go func() {
		time.Sleep(time.Second) // want "GL008"
		fmt.Println("dial result:", err)
	}()
}

// bad: cancel runs only on one branch before the go statement.
func maybeCancelled(parent context.Context, fast bool, out chan<- int) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	if fast {
		cancel()
	}
	go func() {
		out <- 1 // want "GL008"
	}()
	<-ctx.Done()
}

// ok: every caller of this unexported function passes Background(): the
// context cannot be cancelled, so ignoring it changes nothing.
func startTicker(ctx context.Context, out chan<- time.Time) {
	go func() {
		for {
			time.Sleep(time.Second)
			out <- time.Now()
		}
	}()
}

func setupTicker(out chan<- time.Time) {
	startTicker(context.Background(), out)
}

func setupTickerTODO(out chan<- time.Time) {
	startTicker(context.TODO(), out)
}

// ok: the goroutine's own context parameter, always given Background().
func publish(ctx context.Context, out chan<- string) {
	for {
		out <- "event"
		time.Sleep(time.Second)
	}
}

func startPublisher(out chan<- string) {
	go publish(context.Background(), out)
}

// bad: one caller passes a context someone can cancel.
func startRelay(ctx context.Context, in <-chan int, out chan<- int) {
	go func() {
		for v := range in { // want "GL008"
			out <- v
		}
	}()
}

func relayDetached(in <-chan int, out chan<- int) {
	startRelay(context.Background(), in, out)
}

func relayFor(ctx context.Context, in <-chan int, out chan<- int) {
	startRelay(ctx, in, out)
}

// bad: exported, so callers outside the package may pass any context.
func StartEcho(ctx context.Context, in <-chan string) {
	go func() {
		for s := range in { // want "GL008"
			fmt.Println(s)
		}
	}()
}

func echoDetached(in <-chan string) {
	StartEcho(context.Background(), in)
}

type progress struct {
	seconds int
	tick    func()
}

// ok: a progress bar counted against a bound fixed when the loop starts.
func showProgress(ctx context.Context, p progress) {
	go func() {
		for i := 0; i < p.seconds; i++ {
			time.Sleep(time.Second)
			p.tick()
		}
	}()
}

// bad: the bound grows inside the loop, so the count is not fixed.
func showProgressGrowing(ctx context.Context, p progress, more func() bool) {
	go func() {
		for i := 0; i < p.seconds; i++ {
			time.Sleep(time.Second) // want "GL008"
			if more() {
				p.seconds++
			}
		}
	}()
}

type scheduler struct {
	events  chan string
	replies chan string
}

// The scheduler's loop receives events until its context ends.
func (s *scheduler) run(ctx context.Context) {
	for {
		select {
		case e := <-s.events:
			fmt.Println("event", e)
		case <-ctx.Done():
			return
		}
	}
}

// ok: (low confidence) the send waits for the scheduler's loop, which
// receives s.events for as long as it runs; it blocks only once that loop
// has stopped, which the analysis cannot tell.
func (s *scheduler) trigger(ctx context.Context, e string) {
	go func() {
		s.events <- e
	}()
}

// bad: nothing in the package receives s.replies in a loop.
func (s *scheduler) reply(ctx context.Context, r string) {
	go func() {
		s.replies <- r // want "GL008"
	}()
}

func (s *scheduler) lastReply() string { return <-s.replies }

type pinger struct {
	quit chan struct{}
	ping func()
}

// ok: Stop sends the stop signal the loop checks before every sleep.
func (p *pinger) loop(ctx context.Context) {
	go func() {
		for {
			select {
			case <-p.quit:
				return
			default:
			}
			p.ping()
			time.Sleep(time.Second)
		}
	}()
}

func (p *pinger) Stop() { p.quit <- struct{}{} }

// ok: work meant to outlive the request gets a context nothing can cancel.
func afterResponse(parent context.Context, audit func(context.Context)) {
	ctx := context.WithoutCancel(parent)
	go func() {
		time.Sleep(time.Second)
		fmt.Println("auditing")
	}()
	_ = ctx
}

// bad: the stop check cannot interrupt the send: once nobody reads out, the
// goroutine waits there forever, and the stop channel is never looked at again.
func (p *pinger) forward(ctx context.Context, in <-chan int, out chan<- int) {
	go func() {
		for {
			select {
			case <-p.quit:
				return
			case v := <-in:
				out <- v // want "GL008"
			}
		}
	}()
}

// ok: the goroutine cancels a set of contexts after a delay: it is the
// canceller, not a goroutine that should watch them.
func cancelAllLater(parent context.Context, n int) []context.Context {
	ctxs := make([]context.Context, n)
	cancels := make([]context.CancelFunc, n)
	for i := range n {
		ctxs[i], cancels[i] = context.WithCancel(parent)
	}
	go func() {
		<-time.After(time.Second)
		for i := range n {
			cancels[i]()
		}
	}()
	return ctxs
}
