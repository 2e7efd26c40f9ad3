package gl001

import (
	"errors"
	"fmt"
	"sync"
)

// ok: the body always leaves on the first value (return), so the range is a
// single receive: it does not wait for a close. The senders are joined and
// the channel is known to hold a value, so even that receive cannot block.
func firstFailure(jobs []string) error {
	errs := make(chan error, len(jobs))
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if j == "" {
				errs <- errors.New("empty job")
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		for err := range errs {
			return err
		}
	}
	return nil
}

// ok: the body always leaves through a break: one receive, never a wait for
// the close.
func firstValue(n int) int {
	vals := make(chan int, 1)
	go func() { vals <- n * 2 }()
	got := 0
	for v := range vals {
		got = v
		break
	}
	return got
}

// bad: the body leaves only on some values; otherwise the range keeps
// waiting for a close that never comes.
func firstEven(n int) int {
	vals := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			vals <- i
		}
	}()
	for v := range vals { // want "GL001"
		if v%2 == 0 && v > 0 {
			return v
		}
		fmt.Println("odd", v)
	}
	return 0
}

// ok: a counted receive loop: it leaves after the n-th value, it does not
// wait for a close.
func countReplies(n int) int {
	replies := make(chan int)
	for i := 0; i < n; i++ {
		go func() { replies <- i }()
	}
	got, sum := 0, 0
	for r := range replies {
		sum += r
		got += 1
		if got == n {
			break
		}
	}
	return sum
}

// bad: the counter only moves on some values: the loop can wait for a close
// after the senders are done.
func countEvenReplies(n int) int {
	replies := make(chan int)
	for i := 0; i < n; i++ {
		go func() { replies <- i }()
	}
	got := 0
	for r := range replies { // want "GL001"
		if r%2 == 0 {
			got++
		}
		if got == n/2 {
			break
		}
	}
	return got
}

// ok: the same count with an increment statement and a return at the bound.
func sumFirst(n int, in []int) int {
	vals := make(chan int)
	for _, v := range in {
		go func() { vals <- v }()
	}
	seen, sum := 0, 0
	for v := range vals {
		seen++
		sum += v
		if seen >= n {
			return sum
		}
	}
	return sum
}
