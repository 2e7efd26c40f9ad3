package gl004

import (
	"fmt"
	"log"
	"os"
	"runtime"
	"sync"
)

// Exits: runtime.Goexit ends the goroutine (a leak for Wait); os.Exit,
// log.Fatal and panic end the process (nothing is left to wait).

// bad: runtime.Goexit() ends the goroutine before Done.
func goexitBeforeDone(ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			o, err := fetch(id)
			if err != nil {
				runtime.Goexit() // want "GL004"
			}
			save(o)
			wg.Done()
		}()
	}
	wg.Wait()
}

// ok: Goexit after Done.
func goexitAfterDone(ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			o, err := fetch(id)
			wg.Done()
			if err != nil {
				runtime.Goexit()
			}
			save(o)
		}()
	}
	wg.Wait()
}

// ok: the bad path calls os.Exit: the process dies, no goroutine is left
// waiting.
func exitOnError(ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			o, err := fetch(id)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			save(o)
			wg.Done()
		}()
	}
	wg.Wait()
}

// ok: the bad path calls log.Fatalf (os.Exit inside).
func fatalOnError(ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			o, err := fetch(id)
			if err != nil {
				log.Fatalf("fetch %d: %v", id, err)
			}
			save(o)
			wg.Done()
		}()
	}
	wg.Wait()
}

// ok: the bad path panics; unrecovered in a goroutine, that ends the process.
func panicOnError(ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			o, err := fetch(id)
			if err != nil {
				panic(err)
			}
			save(o)
			wg.Done()
		}()
	}
	wg.Wait()
}

// ok: the early-return path calls a same-package helper that calls Done
// (followed one level).
func helperCallsDone(ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			o, err := fetch(id)
			if err != nil {
				markFailed(id, &wg)
				return
			}
			save(o)
			wg.Done()
		}()
	}
	wg.Wait()
}

func markFailed(id int, wg *sync.WaitGroup) {
	fmt.Println("failed:", id)
	wg.Done()
}

// ok: Done deferred through a method value (`done := wg.Done; defer done()`).
func deferredMethodValue(ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			done := wg.Done
			defer done()
			o, err := fetch(id)
			if err != nil {
				return
			}
			save(o)
		}()
	}
	wg.Wait()
}
