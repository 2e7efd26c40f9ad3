package gl015

import (
	"fmt"
	"testing"
	"time"
)

// bad: a test fixture allocated before a background poller that never uses it.
func TestPoller(t *testing.T) {
	fixture := make([]float64, 1<<16)
	stop := make(chan struct{})
	defer close(stop)
	go func() { // want "GL015"
		fixture[0] = 1.5
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
				fmt.Println("poll")
			}
		}
	}()
}

// ok: the poller uses the fixture inside its loop.
func TestPollerUses(t *testing.T) {
	fixture := make([]float64, 1<<16)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
				fmt.Println(fixture[0])
			}
		}
	}()
}
