package gl001

import (
	"fmt"
	"os"
	"os/signal"
	"sync"
	"time"
)

// Escapes and non-channels: cases that must stay silent.

// ok: the channel is passed to signal.Notify, code outside this package;
// once a channel escapes we cannot know whether it gets closed.
func watchSignals() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	for s := range sig {
		fmt.Println("got", s)
	}
}

// Source is implemented elsewhere: a call through it is unknown code.
type Source interface {
	Subscribe(ch chan<- string)
}

// ok: escapes through an interface method call.
func follow(src Source) {
	ch := make(chan string)
	src.Subscribe(ch)
	for m := range ch {
		fmt.Println(m)
	}
}

// ok: escapes through a function-typed parameter.
func withFeeder(feed func(chan<- int)) {
	ch := make(chan int)
	go feed(ch)
	for v := range ch {
		fmt.Println(v)
	}
}

// Registry keeps one channel per subscriber.
type Registry struct {
	mu   sync.Mutex
	subs map[int]chan string
}

// ok: stored in a map; Unsubscribe closes it through the map.
func (r *Registry) listen(id int) {
	ch := make(chan string, 1)
	r.mu.Lock()
	r.subs[id] = ch
	r.mu.Unlock()
	for m := range ch {
		fmt.Println(id, m)
	}
}

func (r *Registry) Unsubscribe(id int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	close(r.subs[id])
	delete(r.subs, id)
}

var fanout []chan int

// ok: stored in a package-level slice; storing is an escape even though no
// close is visible anywhere.
func register() {
	ch := make(chan int)
	fanout = append(fanout, ch)
	go func() {
		for v := range ch {
			fmt.Println(v)
		}
	}()
}

// ok: returned to the caller, who owns the send side and may close it.
func spawnPrinter() chan<- string {
	ch := make(chan string)
	go func() {
		for s := range ch {
			fmt.Println(s)
		}
	}()
	return ch
}

// ok: ticker.C is made by the time package, not by this package (tickers
// belong to GL007/GL013).
func heartbeat() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for range t.C {
		fmt.Println("beat")
	}
}

// ok: a slice that happens to be called ch is not a channel.
func notAChannel() {
	ch := []string{"a", "b"}
	for _, s := range ch {
		fmt.Println(s)
	}
}

// Queue is a slice type: make(Queue, n) does not make a channel.
type Queue []int

// ok: make of a named slice type; the range is over a slice.
func makeQueue() {
	q := make(Queue, 3)
	for i, v := range q {
		fmt.Println(i, v)
	}
}

// ok: fan-in — a closer goroutine waits for every sender, then closes.
func fanIn(urls []string) {
	results := make(chan string)
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- u
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	for r := range results {
		fmt.Println(r)
	}
}
