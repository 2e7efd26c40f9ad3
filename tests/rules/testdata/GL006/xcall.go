package gl006

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"example.com/gl006/remote"
)

// -- a sender started on a channel its function returns, abandoned by a caller's select ----------------

// bad: the caller in this package gives up on ctx.Done(); remote.Later's sender is stranded.
// (reported at the caller's receive: the other package cannot see its callers)
func xcRemoteLater(ctx context.Context) string {
	select {
	case v := <-remote.Later("a"): // want "GL006"
		return v
	case <-ctx.Done():
		return ""
	}
}

// bad: through a local, a method of the other package, and time.After.
func xcRemoteAsk(o *remote.Oracle) string {
	c := o.Ask("x")
	select {
	case v := <-c: // want "GL006"
		return v
	case <-time.After(time.Second):
		return ""
	}
}

// ok: the callee's buffer of 1 lets its sender finish.
func xcRemoteBuffered(ctx context.Context) string {
	select {
	case v := <-remote.LaterBuffered("a"):
		return v
	case <-ctx.Done():
		return ""
	}
}

// ok: the callee's sender selects on the same context.
func xcRemoteCtx(ctx context.Context) string {
	select {
	case v := <-remote.LaterCtx(ctx, "a"):
		return v
	case <-ctx.Done():
		return ""
	}
}

// ok: the caller waits for the value whatever happens.
func xcRemoteWaits() string {
	return <-remote.Later("a")
}

type xcOracle struct{ name string }

func (o *xcOracle) ask(k string) <-chan string {
	ch := make(chan string)
	go o.answer(k, ch)
	return ch
}

// bad: a method started as the goroutine; its method caller gives up on time.After.
func (o *xcOracle) answer(k string, out chan<- string) {
	out <- o.name + k // want "GL006"
}

func (o *xcOracle) lookup() string {
	select {
	case v := <-o.ask("x"):
		return v
	case <-time.After(time.Second):
		return ""
	}
}

func xcStart(k string) chan string {
	ch := make(chan string)
	go xcSend(ch, k)
	return ch
}

// bad: a named goroutine function; the caller receives with `v, ok :=` and gives up on ctx.Done().
func xcSend(ch chan string, k string) {
	ch <- k // want "GL006"
}

func xcUse(ctx context.Context) string {
	ch := xcStart("x")
	select {
	case v, ok := <-ch:
		if ok {
			return v
		}
		return ""
	case <-ctx.Done():
		return ""
	}
}

func xcStartBuffered(k string) chan string {
	ch := make(chan string, 1)
	go xcSendBuffered(ch, k)
	return ch
}

func xcSendBuffered(ch chan string, k string) {
	ch <- k
}

// ok: the same with a buffer of one.
func xcUseBuffered(ctx context.Context) string {
	ch := xcStartBuffered("x")
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return ""
	}
}

func xcStartGuarded(ctx context.Context, k string) chan string {
	ch := make(chan string)
	go func() {
		select {
		case ch <- k:
		case <-ctx.Done():
		}
	}()
	return ch
}

// ok: the sender selects on ctx.Done() too.
func xcUseGuarded(ctx context.Context) string {
	select {
	case v := <-xcStartGuarded(ctx, "x"):
		return v
	case <-ctx.Done():
		return ""
	}
}

// -- a producer filling a buffered channel, its consumer started only after an early-return check -----

func xcCheck(n int) error {
	if n < 0 {
		return errors.New("negative")
	}
	return nil
}

// bad: a named producer; xcSum's check returns before the consumer loop.
func xcProduce(out chan<- int, xs []int) {
	for _, x := range xs {
		out <- x // want "GL006"
	}
	close(out)
}

func xcSum(xs []int, n int) (int, error) {
	ch := make(chan int, 2)
	go xcProduce(ch, xs)
	if err := xcCheck(n); err != nil {
		return 0, err
	}
	t := 0
	for v := range ch {
		t += v
	}
	return t, nil
}

// ok: the consumer is started before the check.
func xcSumConsumerFirst(xs []int, n int) (int, error) {
	ch := make(chan int, 2)
	go xcProduce(ch, xs)
	done := make(chan int, 1)
	go func() {
		t := 0
		for v := range ch {
			t += v
		}
		done <- t
	}()
	if err := xcCheck(n); err != nil {
		return 0, err
	}
	return <-done, nil
}

type xcBatch struct{ k int }

// bad: a producer method, a buffer of 1, a field check in total.
func (b *xcBatch) fill(out chan<- int, xs []int) {
	for _, x := range xs {
		out <- x * b.k // want "GL006"
	}
	close(out)
}

func (b *xcBatch) total(xs []int) (int, error) {
	ch := make(chan int, 1)
	go b.fill(ch, xs)
	if b.k == 0 {
		return 0, errors.New("zero factor")
	}
	t := 0
	for v := range ch {
		t += v
	}
	return t, nil
}

// -- sends and receives no other goroutine can reach yet ------------------------------------------------

// bad: a send on a fresh unbuffered channel before returning it.
func xcPrimed() <-chan int {
	c := make(chan int)
	c <- 1 // want "GL006"
	return c
}

// bad: a buffer of one, two sends.
func xcPrimedTwice() <-chan int {
	c := make(chan int, 1)
	c <- 1
	c <- 2 // want "GL006"
	return c
}

// ok: a buffer of two holds both.
func xcPrimedRoom() <-chan int {
	c := make(chan int, 2)
	c <- 1
	c <- 2
	return c
}

// bad: the receive in an assignment waits for its own deferred close.
func xcOwnDeferAssign() int {
	done := make(chan int)
	defer close(done)
	v := <-done // want "GL006"
	return v
}

// bad: the same with `v, ok :=`.
func xcOwnDeferOk() bool {
	done := make(chan struct{})
	defer close(done)
	_, ok := <-done // want "GL006"
	return ok
}

// bad: the same as the only case of a select.
func xcOwnDeferSelect() {
	done := make(chan struct{})
	defer close(done)
	select {
	case <-done: // want "GL006"
	}
}

// ok: the select also has a timeout.
func xcOwnDeferTimeout() {
	done := make(chan struct{})
	defer close(done)
	select {
	case <-done:
	case <-time.After(time.Second):
	}
}

type xcRunner struct{ stopped chan struct{} }

// bad: a method waiting on a field channel only its own defer closes.
func (r *xcRunner) run() {
	defer close(r.stopped)
	<-r.stopped // want "GL006"
}

func newXcRunner() *xcRunner {
	r := &xcRunner{stopped: make(chan struct{})}
	go r.run()
	return r
}

var (
	_ = xcRemoteLater
	_ = xcRemoteAsk
	_ = xcRemoteBuffered
	_ = xcRemoteCtx
	_ = xcRemoteWaits
	_ = (*xcOracle).lookup
	_ = xcUse
	_ = xcUseBuffered
	_ = xcUseGuarded
	_ = xcSum
	_ = xcSumConsumerFirst
	_ = (*xcBatch).total
	_ = xcPrimed
	_ = xcPrimedTwice
	_ = xcPrimedRoom
	_ = xcOwnDeferAssign
	_ = xcOwnDeferOk
	_ = xcOwnDeferSelect
	_ = xcOwnDeferTimeout
	_ = newXcRunner
)

// bad: the sender also closes the channel when done: its send is still stranded by the caller below.
func xcClosingSender(k string) <-chan string {
	ch := make(chan string)
	go func() {
		defer close(ch)
		ch <- k // want "GL006"
	}()
	return ch
}

func xcUseClosingSender(ctx context.Context) string {
	select {
	case v := <-xcClosingSender("k"):
		return v
	case <-ctx.Done():
		return ""
	}
}

// bad: a named sender closing its parameter when done; the caller below leaves on a timeout.
func xcNamedClosing(out chan<- int, n int) {
	defer close(out)
	out <- n // want "GL006"
}

func xcStartNamedClosing(n int) <-chan int {
	ch := make(chan int)
	go xcNamedClosing(ch, n)
	return ch
}

func xcUseNamedClosing() int {
	select {
	case v := <-xcStartNamedClosing(1):
		return v
	case <-time.After(time.Millisecond):
		return 0
	}
}

var (
	_ = xcUseClosingSender
	_ = xcUseNamedClosing
)

// bad: the producer is another package's function: reported at the go statement.
func xcRemoteProducer(xs []int, n int) (int, error) {
	ch := make(chan int, 1)
	go remote.Fill(ch, xs) // want "GL006"
	if err := xcCheck(n); err != nil {
		return 0, err
	}
	t := 0
	for v := range ch {
		t += v
	}
	return t, nil
}

// ok: the same producer, the check first.
func xcRemoteProducerChecked(xs []int, n int) (int, error) {
	if err := xcCheck(n); err != nil {
		return 0, err
	}
	ch := make(chan int, 1)
	go remote.Fill(ch, xs)
	t := 0
	for v := range ch {
		t += v
	}
	return t, nil
}

// bad: the consumer is a goroutine started only after the check.
func xcLateConsumer(xs []int, n int) (int, error) {
	ch := make(chan int, 3)
	go func() {
		for _, x := range xs {
			ch <- x // want "GL006"
		}
		close(ch)
	}()
	if n > len(xs) {
		return 0, errors.New("too many")
	}
	done := make(chan int)
	go xcSumInto(ch, done)
	return <-done, nil
}

func xcSumInto(ch <-chan int, done chan<- int) {
	t := 0
	for v := range ch {
		t += v
	}
	done <- t
}

var (
	_ = xcRemoteProducer
	_ = xcRemoteProducerChecked
	_ = xcLateConsumer
)

// bad: goroutines send, but only the function's own defer closes the channel its loop ranges over.
func xcCollectOwnDefer(xs []int) []int {
	ch := make(chan int)
	defer close(ch)
	for _, x := range xs {
		go func() { ch <- x * 2 }()
	}
	var out []int
	for v := range ch { // want "GL006"
		out = append(out, v)
	}
	return out
}

// ok: the senders' WaitGroup closes the channel.
func xcCollectClosed(xs []int) []int {
	ch := make(chan int)
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ch <- x * 2
		}()
	}
	go func() {
		wg.Wait()
		close(ch)
	}()
	var out []int
	for v := range ch {
		out = append(out, v)
	}
	return out
}

// ok: a known count of receives, the deferred close only tidies up.
func xcCollectCounted(xs []int) []int {
	ch := make(chan int)
	defer close(ch)
	for _, x := range xs {
		go func() { ch <- x * 2 }()
	}
	out := make([]int, 0, len(xs))
	for range xs {
		out = append(out, <-ch)
	}
	return out
}

var (
	_ = xcCollectOwnDefer
	_ = xcCollectClosed
	_ = xcCollectCounted
)

// ok: the loop leaves on a value of its own; the deferred close only tidies up.
func xcUntilSentinel(xs []int) int {
	ch := make(chan int)
	defer close(ch)
	go func() {
		for _, x := range xs {
			ch <- x
		}
		ch <- -1
	}()
	t := 0
	for v := range ch {
		if v < 0 {
			break
		}
		t += v
	}
	return t
}

var _ = xcUntilSentinel

// ok: after the select moves on, the function still receives the sender's value.
func xcRemoteDrained(ctx context.Context) string {
	c := remote.Later("a")
	select {
	case v := <-c:
		return v
	case <-ctx.Done():
	}
	return <-c
}

// ok: the same in the package.
func xcDrainedLocal(ctx context.Context) string {
	ch := xcStart("y")
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
	}
	return <-ch
}

var (
	_ = xcRemoteDrained
	_ = xcDrainedLocal
)

type xcReply struct {
	done chan error
	val  chan int
}

// bad: a fresh struct's unbuffered channel field, sent on before the struct is handed to anyone.
func xcPrimedReply(err error) *xcReply {
	r := &xcReply{done: make(chan error), val: make(chan int, 1)}
	r.done <- err // want "GL006"
	r.val <- 1
	return r
}

// ok: the receiver is started first.
func xcServedReply(err error) *xcReply {
	r := &xcReply{done: make(chan error)}
	go func() { fmt.Println(<-r.done) }()
	r.done <- err
	return r
}

var (
	_ = xcPrimedReply
	_ = xcServedReply
)

// bad: declared with var, sent on before anyone else can have it.
func xcPrimedVar() chan string {
	var c = make(chan string)
	c <- "ready" // want "GL006"
	return c
}

// bad: a fresh buffered channel received from before anything was sent or handed on.
func xcWaitEmpty() int {
	results := make(chan int, 4)
	v := <-results // want "GL006"
	go func() { results <- 1 }()
	return v
}

// ok: the sender starts first.
func xcWaitFed() int {
	results := make(chan int, 4)
	go func() { results <- 1 }()
	return <-results
}

var (
	_ = xcPrimedVar
	_ = xcWaitEmpty
	_ = xcWaitFed
)

// -- a plain sender stranded once the channel's only receiver, a range, leaves early -----------------

// bad: a named producer; firstOver's range returns at the first large value.
func xcCount(out chan<- int, n int) {
	for i := 0; i < n; i++ {
		out <- i // want "GL006"
	}
	close(out)
}

func xcFirstOver(n, limit int) error {
	ch := make(chan int)
	go xcCount(ch, n)
	for v := range ch {
		if v > limit {
			return errors.New("over the limit")
		}
	}
	return nil
}

// bad: a literal producer; the range breaks out early.
func xcFirstMatch(xs []string, want string) bool {
	ch := make(chan string)
	go func() {
		for _, x := range xs {
			ch <- x // want "GL006"
		}
		close(ch)
	}()
	found := false
	for x := range ch {
		if x == want {
			found = true
			break
		}
	}
	return found
}

// ok: the same, but the producer leaves on a done channel the receiver closes.
func xcFirstMatchDone(xs []string, want string) bool {
	ch := make(chan string)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(ch)
		for _, x := range xs {
			select {
			case ch <- x:
			case <-done:
				return
			}
		}
	}()
	for x := range ch {
		if x == want {
			return true
		}
	}
	return false
}

// ok: the range never leaves early.
func xcSumAll(n int) int {
	ch := make(chan int)
	go xcCount(ch, n)
	t := 0
	for v := range ch {
		t += v
	}
	return t
}

type xcSink interface{ Put(v int) }

type xcChanSink chan<- int

// bad: the channel reaches this method converted to xcChanSink, behind an interface.
func (c xcChanSink) Put(v int) { c <- v } // want "GL006"

func xcNewSink(ch chan<- int) xcSink { return xcChanSink(ch) }

func xcFeed(s xcSink, n int) {
	for i := 0; i < n; i++ {
		s.Put(i)
	}
}

func xcWatchSink(n int) {
	ch := make(chan int)
	done := make(chan struct{})
	go func() {
		for v := range ch {
			if v < 0 {
				return
			}
		}
		close(done)
	}()
	go xcFeed(xcNewSink(ch), n)
	<-done
}

var (
	_ = xcFirstOver
	_ = xcFirstMatch
	_ = xcFirstMatchDone
	_ = xcSumAll
	_ = xcWatchSink
)

// bad: the channel is the first of two results, the caller in this package gives up on ctx.Done().
func xcRemoteDial(ctx context.Context, addr string) (string, error) {
	ch, err := remote.Dial(addr)
	if err != nil {
		return "", err
	}
	select {
	case v := <-ch: // want "GL006"
		return v, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// bad: in this package, two results; xcUseOpen gives up on a timeout.
func xcOpen(k string) (chan string, error) {
	if k == "" {
		return nil, errors.New("empty key")
	}
	ch := make(chan string)
	go func() {
		ch <- k // want "GL006"
	}()
	return ch, nil
}

func xcUseOpen(k string) string {
	ch, err := xcOpen(k)
	if err != nil {
		return ""
	}
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Second):
		return ""
	}
}

var (
	_ = xcRemoteDial
	_ = xcUseOpen
)

// -- the returned channel held in a field of the returned struct ---------------------------------------

type xcFuture struct {
	ch  chan int
	tag string
}

func (f *xcFuture) wait() int { return <-f.ch }

func xcCompute(n int) *xcFuture {
	ch := make(chan int)
	go func() {
		ch <- n * n // want "GL006"
	}()
	return &xcFuture{ch: ch, tag: "sq"}
}

// bad (reported at the send above): the caller's select gives up on f.ch after a timeout.
func xcFutureTimeout() int {
	f := xcCompute(3)
	fmt.Println(f.tag)
	select {
	case v := <-f.ch:
		return v
	case <-time.After(time.Second):
		return -1
	}
}

func xcComputeLocal(n int) (*xcFuture, error) {
	if n < 0 {
		return nil, errors.New("negative")
	}
	ch := make(chan int)
	f := &xcFuture{ch: ch}
	f.tag = "cube"
	go func() {
		ch <- n * n * n // want "GL006"
	}()
	return f, nil
}

// bad (reported at the send above): through a local holder and a second result.
func xcFutureCtx(ctx context.Context) int {
	f, err := xcComputeLocal(2)
	if err != nil {
		return 0
	}
	select {
	case v := <-f.ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

func xcComputeWaited(n int) *xcFuture {
	ch := make(chan int)
	go func() {
		ch <- n + 1
	}()
	return &xcFuture{ch: ch}
}

// ok: after the timeout the caller still waits through the holder's method, so the send completes.
func xcFutureDrained() int {
	f := xcComputeWaited(1)
	select {
	case v := <-f.ch:
		return v
	case <-time.After(time.Second):
		return f.wait()
	}
}

func xcComputeWaitedPlain(n int) *xcFuture {
	ch := make(chan int)
	go func() {
		ch <- n + 2
	}()
	return &xcFuture{ch: ch}
}

// ok: the caller waits for the value whatever happens.
func xcFuturePlain() int {
	f := xcComputeWaitedPlain(1)
	return <-f.ch
}

// bad: another package's result struct; the select gives up on ctx.Done().
func xcRemoteStart(ctx context.Context) string {
	p := remote.Start("k")
	select {
	case v := <-p.Done: // want "GL006"
		return v
	case <-ctx.Done():
		return ""
	}
}

// ok: the same with a buffered result channel.
func xcRemoteStartBuffered(ctx context.Context) string {
	p := remote.StartBuffered("k")
	select {
	case v := <-p.Done:
		return v
	case <-ctx.Done():
		return ""
	}
}

// ok: the other case of the select only collects and goes round the loop to the same select again.
func xcRemotePair(xs []int) []int {
	vals, warns, err := remote.Pair(xs)
	if err != nil {
		return nil
	}
	var out []int
	var problems []error
	for {
		select {
		case v, ok := <-vals:
			if !ok {
				fmt.Println(problems)
				return out
			}
			out = append(out, v)
		case w := <-warns:
			problems = append(problems, w)
		}
	}
}

type xcWaiter interface {
	wait(ctx context.Context) <-chan int
}

type xcTask struct{ n int }

func (t *xcTask) wait(ctx context.Context) <-chan int {
	ch := make(chan int)
	go func() {
		ch <- t.n
	}()
	return ch
}

type xcOtherTask struct{}

func (xcOtherTask) wait(ctx context.Context) <-chan int {
	ch := make(chan int, 1)
	ch <- 0
	return ch
}

var xcTasks = []xcWaiter{&xcTask{n: 1}, xcOtherTask{}}

// ok: an interface call that might reach xcTask.wait, but nothing says which type w holds.
func xcWaitAny(ctx context.Context, w xcWaiter) int {
	select {
	case v := <-w.wait(ctx):
		return v
	case <-ctx.Done():
		return 0
	}
}
