package gl008

import (
	"context"
	"fmt"
)

type job struct{ id int }

// bad: a named goroutine function receives ctx and ignores it while it
// ranges over jobs (reported inside worker, at the range).
func runWorkers(ctx context.Context, jobs chan job) {
	for i := 0; i < 4; i++ {
		go worker(ctx, jobs)
	}
}

func worker(ctx context.Context, jobs chan job) {
	for j := range jobs { // want "GL008"
		fmt.Println(j.id)
	}
}

type loop struct {
	in   chan int
	quit chan struct{}
	out  chan int
}

// bad: a method started with go (`go l.run(ctx)`) takes ctx and never
// uses it; it blocks on a struct field channel.
func (l *loop) Start(ctx context.Context) {
	go l.run(ctx)
}

func (l *loop) run(ctx context.Context) {
	for v := range l.in { // want "GL008"
		l.out <- v * 2
	}
}

// ok: a named worker that watches its context.
func runWatchers(ctx context.Context, jobs chan job) {
	go watcher(ctx, jobs)
}

func watcher(ctx context.Context, jobs chan job) {
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-jobs:
			fmt.Println(j.id)
		}
	}
}

// ok: the function started with go takes no context: the launcher's ctx was
// never meant for it (it stops on its own quit channel).
func (l *loop) StartLoop(ctx context.Context) {
	go l.serve()
	_ = ctx
}

func (l *loop) serve() {
	for {
		select {
		case <-l.quit:
			return
		case v := <-l.in:
			fmt.Println(v)
		}
	}
}

type server struct {
	ctx   context.Context
	queue chan int
}

// ok: the goroutine watches the context stored in a struct field.
func (s *server) Run(ctx context.Context) {
	s.ctx = ctx
	go func() {
		for {
			select {
			case <-s.ctx.Done():
				return
			case v := <-s.queue:
				fmt.Println(v)
			}
		}
	}()
}

// bad: a closure with its own context parameter that it ignores.
func ownParam(ctx context.Context, results chan int) {
	go func(c context.Context) {
		results <- 1 // want "GL008"
	}(ctx)
}

// ok: the worker declares its context parameter blank: ignored on purpose.
func runBlank(ctx context.Context, jobs chan job) {
	go blankWorker(ctx, jobs)
}

func blankWorker(_ context.Context, jobs chan job) {
	for j := range jobs {
		fmt.Println(j.id)
	}
}
