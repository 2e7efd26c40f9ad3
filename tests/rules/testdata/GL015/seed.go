package gl015

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"time"
)

func parse(b []byte) string { return string(bytes.TrimSpace(b[:8])) }

// bad: a 1 MiB buffer used once before the ticker loop stays reachable as
// long as the goroutine runs.
func startWorker(id int) {
	data := make([]byte, 1024*1024)
	ticker := time.NewTicker(time.Second)
	go func() { // want "GL015"
		header := parse(data)
		for range ticker.C {
			fmt.Printf("worker %d %s\n", id, header)
		}
	}()
}

// ok: the buffer is parsed before the goroutine starts; the closure captures
// only the small result.
func startWorkerFixed(id int) {
	data := make([]byte, 1024*1024)
	header := parse(data)
	ticker := time.NewTicker(time.Second)
	go func() {
		for range ticker.C {
			fmt.Printf("worker %d %s\n", id, header)
		}
	}()
}

// bad: a whole file read with os.ReadFile, captured for a one-time parse,
// pinned by an endless select loop.
func watchConfig(path string, quit <-chan struct{}) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	go func() { // want "GL015"
		cfg := parse(raw)
		for {
			select {
			case <-quit:
				return
			case <-time.After(time.Minute):
				fmt.Println("config", cfg)
			}
		}
	}()
	return nil
}

// ok: the loop itself uses the buffer on every iteration: it is needed.
func echo(r io.Reader, out chan<- []byte) {
	buf := make([]byte, 64*1024)
	go func() {
		for {
			n, err := r.Read(buf)
			if err != nil {
				return
			}
			out <- append([]byte(nil), buf[:n]...)
		}
	}()
}

// bad: io.ReadAll of a request body, used once, pinned by a range over a
// channel that lives as long as the subscription.
func subscribe(body io.Reader, events <-chan string) {
	payload, _ := io.ReadAll(body)
	go func() { // want "GL015"
		fmt.Println("subscribed with", len(payload))
		for e := range events {
			fmt.Println(e)
		}
	}()
}

// ok: the closure drops its reference before the loop.
func subscribeRelease(body io.Reader, events <-chan string) {
	payload, _ := io.ReadAll(body)
	go func() {
		fmt.Println("subscribed with", len(payload))
		payload = nil
		for e := range events {
			fmt.Println(e)
		}
	}()
}

// ok: the allocation is small (4 KiB).
func small(events <-chan string) {
	buf := make([]byte, 4096)
	go func() {
		copy(buf, "x")
		for e := range events {
			fmt.Println(e)
		}
	}()
}

// ok: the goroutine is short-lived (no loop, nothing blocking forever).
func shortLived() {
	data := make([]byte, 1<<20)
	go func() {
		fmt.Println(parse(data))
	}()
}

// ok: passed as an argument, not captured by the closure (the parameter is
// the goroutine's own variable; this rule is about closures).
func passed(events <-chan string) {
	data := make([]byte, 1<<20)
	go func(d []byte) {
		fmt.Println(len(d))
		for e := range events {
			fmt.Println(e)
		}
	}(data)
}
