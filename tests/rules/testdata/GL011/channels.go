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
