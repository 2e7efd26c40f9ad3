package gl001

import (
	"fmt"

	"example.com/gl001/workq"
)

// bad: workq.Start's goroutine ranges over the channel until it is closed; this caller only sends.
func submitAll(items []string) {
	jobs := workq.Start() // want "GL001"
	for _, it := range items {
		jobs <- it
	}
}

// bad: the result is discarded: nobody can ever close it.
func startAndForget() {
	workq.Start() // want "GL001"
}

// bad: the second result of a constructor with an error, buffered, consumed by a named function.
func addAll(xs []int) error {
	nums, err := workq.Open(len(xs)) // want "GL001"
	if err != nil {
		return err
	}
	for _, x := range xs {
		nums <- x
	}
	fmt.Println(len(nums), cap(nums))
	return nil
}

// bad: a method of another package's type, whose goroutine is another method.
func printLines(p *workq.Pool, lines []string) {
	out := p.Lines() // want "GL001"
	for _, l := range lines {
		out <- l
	}
}

// ok: the caller closes the channel when its sends are done.
func submitClosed(items []string) {
	jobs := workq.Start()
	defer close(jobs)
	for _, it := range items {
		jobs <- it
	}
}

// ok: closed from a goroutine of the caller.
func submitAsync(items []string) {
	jobs := workq.Start()
	go func() {
		for _, it := range items {
			jobs <- it
		}
		close(jobs)
	}()
}

// ok: handed on to the caller's own caller.
func relay() chan<- string {
	jobs := workq.Start()
	jobs <- "hello"
	return jobs
}

type sink struct {
	jobs chan<- string
}

func (s *sink) stop() { close(s.jobs) }

// ok: stored in a struct whose stop closes it.
func newSink() *sink {
	return &sink{jobs: workq.Start()}
}

// ok: stored in a field through a local.
func (s *sink) reset() {
	jobs := workq.Start()
	s.jobs = jobs
}

// ok: passed to a function that closes it.
func submitFinish(items []string) {
	jobs := workq.Start()
	for _, it := range items {
		jobs <- it
	}
	workq.Finish(jobs)
}

// ok: the callee closes its own channel.
func upperAll(words []string) {
	for w := range workq.Upper(words) {
		fmt.Println(w)
	}
}

// ok: the callee's goroutine leaves on its done channel.
func watch(done chan struct{}) {
	events := workq.Watch(done)
	events <- "start"
}

// ok: the callee keeps every channel and closes them itself.
func shared(s *workq.Shared) {
	ch := s.Next()
	ch <- "x"
}

// -- the same inside one package: a named goroutine function ranging over its parameter ------------

func startPrinter() chan<- string {
	lines := make(chan string)
	go printEach(lines)
	return lines
}

func printEach(lines <-chan string) {
	for l := range lines {
		fmt.Println(l)
	}
}

// bad: the in-package caller never closes it.
func printAll2(ls []string) {
	out := startPrinter() // want "GL001"
	for _, l := range ls {
		out <- l
	}
}

// ok: the in-package caller closes it.
func printAllClosed(ls []string) {
	out := startPrinter()
	for _, l := range ls {
		out <- l
	}
	close(out)
}

type batcher struct {
	size int
}

// a method starting a literal that ranges over the returned channel.
func (b *batcher) input() chan<- int {
	in := make(chan int, b.size)
	go func() {
		n := 0
		for v := range in {
			n += v
		}
		fmt.Println(n)
	}()
	return in
}

// bad: through a method, the result kept in a var.
func (b *batcher) feed(xs []int) {
	var in = b.input() // want "GL001"
	for _, x := range xs {
		in <- x
	}
}

// ok: through a method, closed with a deferred literal.
func (b *batcher) feedClosed(xs []int) {
	in := b.input()
	defer func() { close(in) }()
	for _, x := range xs {
		in <- x
	}
}

// bad: a struct holding the ranged channel; this caller never calls its Close.
func batchAll(items []string) {
	b := workq.NewBatcher(2) // want "GL001"
	for _, it := range items {
		b.Add(it)
	}
}

// ok: the caller closes the batcher.
func batchClosed(items []string) {
	b := workq.NewBatcher(2)
	defer b.Close()
	for _, it := range items {
		b.Add(it)
	}
}

type batchHolder struct {
	b *workq.Batcher
}

// ok: the batcher is handed to a holder (whose owner may close it).
func keepBatcher() *batchHolder {
	b := workq.NewBatcher(4)
	return &batchHolder{b: b}
}

type logSink struct {
	lines chan string
}

func newLogSink() *logSink {
	s := &logSink{}
	s.lines = make(chan string, 8)
	go func() {
		for l := range s.lines {
			fmt.Println(l)
		}
	}()
	return s
}

func (s *logSink) stop() { close(s.lines) }

// bad: in the same package, a sink whose goroutine (a literal) ranges over s.lines; never stopped.
func logAll(ls []string) {
	s := newLogSink() // want "GL001"
	for _, l := range ls {
		s.lines <- l
	}
}

// ok: stopped through a deferred literal.
func logAllStopped(ls []string) {
	s := newLogSink()
	defer func() { s.stop() }()
	for _, l := range ls {
		s.lines <- l
	}
}

type jobDispatcher struct {
	jobs chan<- string
}

// bad: stored in a field this package only sends on.
func newJobDispatcher() *jobDispatcher {
	return &jobDispatcher{jobs: workq.Start()} // want "GL001"
}

func (d *jobDispatcher) dispatch(s string) { d.jobs <- s }

type relayer struct {
	out chan<- string
}

// bad: the same through an assignment.
func (r *relayer) open() {
	r.out = workq.Start() // want "GL001"
}

func (r *relayer) send(s string) { r.out <- s }

// bad: workq.Collect's goroutine receives with comma-ok until close; this caller only sends.
func collectAll(xs []int) {
	vals := workq.Collect() // want "GL001"
	for _, x := range xs {
		vals <- x
	}
}

// bad: the same through a named function that breaks out on !ok.
func tallyAll(ws []string) {
	words := workq.Tally() // want "GL001"
	for _, w := range ws {
		words <- w
	}
}

// ok: the caller closes it.
func collectClosed(xs []int) {
	vals := workq.Collect()
	defer close(vals)
	for _, x := range xs {
		vals <- x
	}
}

// ok: the goroutine takes a fixed count and ends by itself.
func takeTwo() {
	vals := workq.Take(2)
	vals <- 1
	vals <- 2
}

// ok: the journal's goroutine closes its own channel once stopped; its range is only a drain.
func journalAll(items []string) {
	j := workq.NewJournal()
	defer j.Stop()
	for _, it := range items {
		j.Write(it)
	}
}

type tapSink struct {
	taps chan int
}

func newTapSink() *tapSink {
	s := &tapSink{taps: make(chan int)}
	go func() {
		for {
			t, ok := <-s.taps
			if !ok {
				return
			}
			fmt.Println(t)
		}
	}()
	return s
}

func (s *tapSink) close() { close(s.taps) }

// bad: the sink's goroutine receives s.taps with comma-ok until it is closed; never closed here.
func tapAll(ts []int) {
	s := newTapSink() // want "GL001"
	for _, t := range ts {
		s.taps <- t
	}
}

// ok: closed when done.
func tapAllClosed(ts []int) {
	s := newTapSink()
	defer s.close()
	for _, t := range ts {
		s.taps <- t
	}
}

// Shutdown closes the taps through close.
func (s *tapSink) Shutdown() { s.close() }

// ok: stopped through a method that calls the closing one.
func tapAllShutdown(ts []int) {
	s := newTapSink()
	defer s.Shutdown()
	for _, t := range ts {
		s.taps <- t
	}
}
