package gl007

import (
	"context"
	"fmt"
	"sync"
	"time"
)

var registry = map[string]int{}

// ok: reached only from init, which runs once per process.
func startJanitor() {
	go func() {
		for {
			time.Sleep(time.Minute)
			fmt.Println("entries:", len(registry))
		}
	}()
}

func init() {
	startJanitor()
}

// bad: also reachable from an exported function that any caller may call
// again and again.
func startAuditor() {
	go func() { // want "GL007"
		for {
			time.Sleep(time.Minute)
			fmt.Println("audit")
		}
	}()
}

func init() {
	startAuditor()
}

// Reset starts the auditor again.
func Reset() {
	startAuditor()
}

// bad: every caller passes context.TODO(), so watching ctx would not help;
// the report must not claim that it is an ignored stop signal.
func mirror(ctx context.Context, total *int64) {
	go func() { // want "GL007"
		for {
			time.Sleep(30 * time.Second)
			fmt.Println(*total)
		}
	}()
}

// Mirror starts a mirror.
func Mirror(total *int64) {
	mirror(context.TODO(), total)
}

var (
	cleanerOnce sync.Once
	idle        = map[string]time.Time{}
	idleMu      sync.Mutex
)

// ok: the cleaner is started through a package-level sync.Once: one per
// process, however often touch is called.
func touch(name string) {
	idleMu.Lock()
	idle[name] = time.Now()
	idleMu.Unlock()
	cleanerOnce.Do(func() {
		go func() {
			for {
				time.Sleep(time.Minute)
				idleMu.Lock()
				for k, seen := range idle {
					if time.Since(seen) > time.Hour {
						delete(idle, k)
					}
				}
				idleMu.Unlock()
			}
		}()
	})
}

type cache struct {
	once sync.Once
	data map[string]string
}

// bad: a Once per cache value starts one endless goroutine per cache.
func (c *cache) Start() {
	c.once.Do(func() {
		go func() { // want "GL007"
			for {
				time.Sleep(time.Minute)
				fmt.Println(len(c.data))
			}
		}()
	})
}

type reporter struct{ sent int }

var (
	current   *reporter
	currentMu sync.Mutex
)

// ok: a guarded singleton: the first call sets current and starts the
// reporter, every later call returns before the go statement.
func Reporter() *reporter {
	currentMu.Lock()
	defer currentMu.Unlock()
	if current != nil {
		return current
	}
	r := &reporter{}
	current = r
	go func() {
		for {
			time.Sleep(time.Hour)
			r.sent++
		}
	}()
	return r
}

var (
	pinging  bool
	lastPing time.Time
)

// bad: the guard variable is reset elsewhere, so the goroutine can be
// started again.
func StartPinging() {
	if pinging {
		return
	}
	pinging = true
	go func() { // want "GL007"
		for {
			time.Sleep(time.Minute)
			lastPing = time.Now()
		}
	}()
}

// StopPinging only clears the flag; the goroutine keeps running.
func StopPinging() { pinging = false }
