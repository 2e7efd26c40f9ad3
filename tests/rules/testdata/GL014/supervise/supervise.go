// Package supervise restarts workers.
package supervise

import (
	"fmt"
	"time"
)

// Supervisor owns one worker.
type Supervisor struct {
	name string
}

func (s *Supervisor) step() { fmt.Println(s.name) }

// bad: the supervisor's worker restarts itself from its handler.
func (s *Supervisor) Work() {
	defer func() {
		if r := recover(); r != nil {
			fmt.Println("restart", s.name)
			go s.Work() // want "GL014"
		}
	}()
	for {
		s.step()
		time.Sleep(time.Second)
	}
}

// ok: the handler waits with a backoff timer before restarting.
func (s *Supervisor) WorkBackoff(delay time.Duration) {
	defer func() {
		if r := recover(); r != nil {
			timer := time.NewTimer(delay)
			<-timer.C
			go s.WorkBackoff(delay * 2)
		}
	}()
	s.step()
}

// bad: seed 4.3 with a method: after recovering, execution reaches the go
// statement that starts the method again.
func (s *Supervisor) Loop() {
	defer func() {
		if r := recover(); r != nil {
			fmt.Println("recovered", r)
		}
	}()
	s.step()
	go s.Loop() // want "GL014"
}

// Pool restarts its loop through Start.
type Pool struct{ size int }

// Start launches the loop.
func (p *Pool) Start() { go p.loop() }

// bad: the handler calls Start, whose go statement relaunches loop: the
// restart goes through one helper and is still unbounded.
func (p *Pool) loop() {
	defer func() {
		if r := recover(); r != nil {
			p.Start() // want "GL014"
		}
	}()
	fmt.Println("pool of", p.size)
}
