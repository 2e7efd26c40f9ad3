package gl007

import (
	"fmt"
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
