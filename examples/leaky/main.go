// Command leaky is a tiny order service with four goroutine leaks planted on
// purpose: the three patterns of the seed article's chapter 1 plus a
// WaitGroup Done skipped on an error return. Run `leaktrail scan
// examples/leaky` to find them; run `go run .` to watch the goroutine count
// grow.
package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"
)

type Order struct {
	ID      int
	Amount  int
	Address string
}

// processBatch charges every order of a batch and logs an audit line for each.
func processBatch(orders []Order) []int {
	audit := make(chan string, len(orders))
	go func() {
		// Leak 1: nothing ever closes audit, so this loop never ends and the
		// goroutine outlives the batch (one more goroutine per call).
		for line := range audit {
			_ = line // a real service would write it somewhere
		}
	}()

	var wg sync.WaitGroup
	charged := make([]int, len(orders))
	for i, o := range orders {
		go func() {
			// Leak 3: the Add runs inside the goroutine it counts, so Wait
			// below can return before some goroutines have even started.
			wg.Add(1)
			defer wg.Done()
			charged[i] = charge(o)
			audit <- fmt.Sprintf("charged order %d", o.ID)
		}()
	}
	wg.Wait()
	return charged
}

// charge calls the payment API with a deadline.
func charge(o Order) int {
	// Leak 2: the cancel function is dropped, so the context and its timer
	// stay alive until the deadline fires, long after charge has returned.
	ctx, _ := context.WithTimeout(context.Background(), 5*time.Second)
	return callPaymentAPI(ctx, o)
}

func callPaymentAPI(ctx context.Context, o Order) int {
	select {
	case <-ctx.Done():
		return 0
	default:
		return o.Amount
	}
}

// shipAll prints a shipping label for every order, in parallel.
func shipAll(orders []Order) {
	var wg sync.WaitGroup
	for _, o := range orders {
		wg.Add(1)
		go func() {
			label, err := printLabel(o)
			if err != nil {
				fmt.Println("ship:", err)
				// Leak 4: this return skips wg.Done, so wg.Wait blocks forever
				// (here: as soon as one order has no address). Use defer wg.Done().
				return
			}
			fmt.Println(label)
			wg.Done()
		}()
	}
	wg.Wait()
}

func printLabel(o Order) (string, error) {
	if o.Address == "" {
		return "", errors.New("no address")
	}
	return fmt.Sprintf("#%d -> %s", o.ID, o.Address), nil
}

func main() {
	orders := []Order{
		{ID: 1, Amount: 1200, Address: "1 Main St"},
		{ID: 2, Amount: 800, Address: "22 Side Rd"},
	}
	fmt.Println("goroutines before:", runtime.NumGoroutine())
	for range 3 {
		fmt.Println("charged:", processBatch(orders))
	}
	shipAll(orders) // an order without an address would hang here
	time.Sleep(10 * time.Millisecond)
	fmt.Println("goroutines after: ", runtime.NumGoroutine())
}
