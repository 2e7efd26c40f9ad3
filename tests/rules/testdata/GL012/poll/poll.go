// Package poll is a sub-package of the GL012 testdata.
package poll

import (
	"fmt"
	"time"
)

type Poller struct {
	updates chan string
	stop    chan struct{}
}

// bad: a long-running poller in another package; each update received leaves a 5-minute timer behind.
func (p *Poller) Run() {
	for {
		select {
		case <-p.stop:
			return
		case u := <-p.updates:
			fmt.Println(u)
		case <-time.After(5 * time.Minute): // want "GL012"
			fmt.Println("refresh")
		}
	}
}

// ok: the same poller with one timer that is reset.
func (p *Poller) RunReset() {
	t := time.NewTimer(5 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case u := <-p.updates:
			fmt.Println(u)
		case <-t.C:
			fmt.Println("refresh")
			t.Reset(5 * time.Minute)
		}
	}
}
