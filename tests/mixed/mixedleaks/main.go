// Command mixedleaks triggers, for real, the mixed deadlocks of GL022, GL023 and GL019 so their
// goroutine and goroutineleak profiles can be checked against the static findings. It serves
// net/http/pprof on 127.0.0.1 and prints "listening on ADDR" once every pattern has been started.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"sync"
	"time"
)

// --- GL022: a publisher holds h.mu while sending; the hub's loop needs h.mu before it receives. ---

type hub struct {
	mu     sync.Mutex
	subs   int
	events chan int
}


func (h *hub) run() {
	for {
		h.mu.Lock()
		h.subs++
		h.mu.Unlock()
		<-h.events
	}
}

func (h *hub) publish(e int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events <- e
}

// --- GL022 with a global: the same protocol, but the mutex and channel are package variables, so the
// runtime's leak profile cannot prove the goroutines leaked (globals are always reachable). ---

var (
	regMu   sync.Mutex
	regDone = make(chan struct{})
	names   []string
)

func register(n string) {
	regMu.Lock()
	names = append(names, n)
	regMu.Unlock()
	regDone <- struct{}{}
}

func waitRegistered() {
	regMu.Lock()
	<-regDone
	regMu.Unlock()
}

// --- GL023: a Cond nothing ever signals. ---

type gate struct {
	mu     sync.Mutex
	open   bool
	opened *sync.Cond
}

func newGate() *gate {
	g := &gate{}
	g.opened = sync.NewCond(&g.mu)
	return g
}

func (g *gate) wait() {
	g.mu.Lock()
	for !g.open {
		g.opened.Wait()
	}
	g.mu.Unlock()
}

// --- GL019: a recursive read lock; a writer queued between the two RLocks blocks both. ---

type table struct {
	mu   sync.RWMutex
	rows map[string]int
}

func (t *table) get(k string) int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.rows[k]
}

func (t *table) sum(keys []string, entered chan<- struct{}, proceed <-chan struct{}) int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	entered <- struct{}{}
	<-proceed // the writer queues now
	total := 0
	for _, k := range keys {
		total += t.get(k)
	}
	return total
}

func (t *table) set(k string, v int) {
	t.mu.Lock()
	t.rows[k] = v
	t.mu.Unlock()
}

func main() {
	n := flag.Int("n", 20, "goroutines per pattern")
	flag.Parse()

	// Publishers first: one holds h.mu at the send, the others queue on h.mu; then the hub's loop
	// starts and queues on h.mu too. (In a service this is a race that a load spike wins.)
	h := &hub{events: make(chan int)}
	for i := 0; i < *n; i++ {
		go h.publish(i)
	}
	time.Sleep(20 * time.Millisecond)
	go h.run()
	for i := 0; i < *n; i++ {
		go waitRegistered()
	}
	time.Sleep(20 * time.Millisecond)
	for i := 0; i < *n; i++ {
		go register(fmt.Sprint("svc", i))
	}
	g := newGate()
	for i := 0; i < *n; i++ {
		go g.wait()
	}
	for i := 0; i < *n; i++ {
		t := &table{rows: map[string]int{"a": 1}} // one deadlocked table per reader/writer pair
		entered := make(chan struct{})
		proceed := make(chan struct{})
		go t.sum([]string{"a"}, entered, proceed)
		<-entered
		go t.set("a", i)
		time.Sleep(5 * time.Millisecond) // let the writer queue behind the first RLock
		close(proceed)
	}
	time.Sleep(200 * time.Millisecond)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	if err := http.Serve(ln, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
