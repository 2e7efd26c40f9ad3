package gl011

import (
	"context"
	"time"
)

type source interface {
	Run(ctx context.Context, out chan<- []string)
}

// ok: each goroutine hands the shared results channel to Run, and the
// launcher collects from it until its deadline.
func collectSources(sources []source) [][]string {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	results := make(chan []string)
	for _, s := range sources {
		go func() {
			s.Run(ctx, results)
		}()
	}
	var out [][]string
	for {
		select {
		case r := <-results:
			out = append(out, r)
		case <-ctx.Done():
			return out
		}
	}
}

// bad: the goroutines get only the context; their outcome goes nowhere.
func runAllSources(sources []source) {
	ctx := context.Background()
	for _, s := range sources {
		go func() { // want "GL011"
			s.Run(ctx, nil)
		}()
	}
}

type partition interface {
	Errors() <-chan error
	Close()
}

type manager interface {
	Manage(n int) partition
}

// ok: one drain per partition: a long-lived worker that ends when the
// partition's error channel is closed, not a fan-out task.
func drainAll(m manager, n int) {
	for i := 0; i < n; i++ {
		p := m.Manage(i)
		go func() {
			for range p.Errors() {
			}
		}()
	}
}
