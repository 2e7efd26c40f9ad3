// Package poller is code of the agent command (it lives under cmd/): an
// endless goroutine here is reported as info, since a command usually
// starts it once.
package poller

import (
	"fmt"
	"time"
)

// bad: (info) exported, so it may be started more than once.
func Start() {
	go func() { // want "GL007"
		for {
			time.Sleep(time.Minute)
			fmt.Println("poll")
		}
	}()
}
