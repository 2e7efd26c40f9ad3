package gl011

import (
	"context"
	"fmt"
	"io"
	lg "log"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
)

// bad: seed 3.3: one goroutine per URL, errors ignored, nobody waits.
func fetchAll(urls []string) {
	for _, url := range urls {
		go func(u string) { // want "GL011"
			resp, _ := http.Get(u)
			defer resp.Body.Close()
		}(url)
	}
}

// ok: seed 3.3 fixed with a WaitGroup and an error channel.
func fetchAllWaited(urls []string) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(urls))
	for _, url := range urls {
		wg.Add(1)
		go func(u string) {
			defer wg.Done()
			resp, err := http.Get(u)
			if err != nil {
				errs <- err
				return
			}
			resp.Body.Close()
		}(url)
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func cleanup(path string) {
	if err := os.Remove(path); err != nil {
		fmt.Println("cleanup:", err)
	}
}

// bad: a named function started per item; its errors are only printed.
func cleanupAll(paths []string) {
	for _, p := range paths {
		go cleanup(p) // want "GL011"
	}
}

// ok: an aliased log import; the goroutines only log: they cannot block, so they cannot pile up.
func announce(names []string) {
	for i := 0; i < len(names); i++ {
		go func(n string) {
			lg.Printf("hello %s", n)
		}(names[i])
	}
}

// bad: an aliased log import; the goroutines upload, log a failure and are forgotten.
func upload(names []string) {
	for i := 0; i < len(names); i++ {
		go func(n string) { // want "GL011"
			if _, err := http.Get("http://127.0.0.1:8080/upload?name=" + n); err != nil {
				lg.Printf("upload %s: %v", n, err)
			}
		}(names[i])
	}
}

// ok: results computed into a slice: the goroutines cannot block (that nothing tells the caller when the
// writes are finished is a data race, not a leak).
func squares(xs []int) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		go func() {
			out[i] = x * x
		}()
	}
	return out
}

// bad: results read from files into a slice; each read can block on the disk and nobody waits.
func sizes(paths []string) []int {
	out := make([]int, len(paths))
	for i, p := range paths {
		go func() { // want "GL011"
			data, err := os.ReadFile(p)
			if err == nil {
				out[i] = len(data)
			}
		}()
	}
	return out
}

// ok: a semaphore channel bounds the goroutines and a WaitGroup waits.
func boundedCleanup(paths []string) {
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for _, p := range paths {
		sem <- struct{}{}
		wg.Add(1)
		go func(p string) {
			defer func() { <-sem; wg.Done() }()
			cleanup(p)
		}(p)
	}
	wg.Wait()
}

// ok: results come back on a channel the caller receives from.
func squaresChan(xs []int) []int {
	ch := make(chan int)
	for _, x := range xs {
		go func(x int) { ch <- x * x }(x)
	}
	out := make([]int, 0, len(xs))
	for range xs {
		out = append(out, <-ch)
	}
	return out
}

// ok: an atomic counter the caller polls.
func countDone(n int) *int64 {
	var done int64
	for i := 0; i < n; i++ {
		go func() {
			atomic.AddInt64(&done, 1)
		}()
	}
	return &done
}

// ok: mutex-protected collection (coordinated, not fire-and-forget).
func collect(xs []int) []int {
	var mu sync.Mutex
	var out []int
	for _, x := range xs {
		go func() {
			mu.Lock()
			out = append(out, x)
			mu.Unlock()
		}()
	}
	return out
}

// ok: a single goroutine, not started in a loop.
func single(path string) {
	go cleanup(path)
}

// ok: a callback handed to each goroutine reports completion.
func withCallback(paths []string, onDone func(string)) {
	for _, p := range paths {
		go func(p string) {
			cleanup(p)
			onDone(p)
		}(p)
	}
}

// ok: the goroutine's body is in another package: we cannot see what it does.
func printAll(xs []string) {
	for _, x := range xs {
		go fmt.Println(x)
	}
}

// ok: long-lived workers started in a loop (ranging over a channel): GL007's
// business, not fan-out.
func startWorkers(ctx context.Context, n int, jobs <-chan string) {
	for i := 0; i < n; i++ {
		go func() {
			for j := range jobs {
				fmt.Println(ctx.Err(), j)
			}
		}()
	}
}

// ok: the writer goroutine closes the caller's pipe: the reader sees the end.
func pipeAll(chunks [][]string, read func(*io.PipeReader)) {
	for _, cs := range chunks {
		pr, pw := io.Pipe()
		go func() {
			for _, c := range cs {
				pw.Write([]byte(c))
			}
			pw.Close()
		}()
		read(pr)
	}
}
