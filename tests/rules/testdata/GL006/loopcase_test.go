package gl006

import (
	"context"
	"testing"
	"time"
)

type cacheServer struct{ hits chan int }

// serve reports each cache hit on s.hits.
func (s *cacheServer) serve(keys []string) {
	for i := range keys {
		s.hits <- i
	}
}

func warmCache(ctx context.Context, keys []string) error {
	for range keys {
		if err := ctx.Err(); err != nil {
			return err
		}
		time.Sleep(time.Millisecond)
	}
	return nil
}

// bad: the select loops on hit reports from the server; only the
// ctx.Done() case returns. The message names that case — a hit report just
// goes round the loop again.
func TestWarmCacheReports(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	srv := &cacheServer{hits: make(chan int)}
	keys := []string{"a", "b"}
	go srv.serve(keys)
	done := make(chan error)
	go func() {
		done <- warmCache(ctx, keys) // want "GL006"
	}()
	reports := 0
	for {
		select {
		case <-srv.hits:
			reports++
		case <-ctx.Done():
			t.Errorf("timed out after %d reports", reports)
			return
		case err := <-done:
			if err != nil {
				t.Error(err)
			}
			return
		}
	}
}
