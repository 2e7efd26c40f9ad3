package gl008

import (
	"context"
	"testing"
	"time"
)

type pulser interface {
	Pulses(ctx context.Context) <-chan int
}

// fakePulser is a test double: only this package can name the type.
type fakePulser struct{ n int }

// ok: exported, but its type lives in a _test.go file, and every call that
// may reach it passes TODO(): cancelling ctx cannot happen.
func (f *fakePulser) Pulses(ctx context.Context) <-chan int {
	out := make(chan int)
	go func() {
		for i := 0; ; i++ {
			out <- i % f.n
			time.Sleep(time.Millisecond)
		}
	}()
	return out
}

func countPulses(p pulser, n int) int {
	got := 0
	pulses := p.Pulses(context.TODO())
	for range n {
		got += <-pulses
	}
	return got
}

func TestPulses(t *testing.T) {
	if countPulses(&fakePulser{n: 3}, 3) != 3 {
		t.Error("want 0+1+2")
	}
}
