package gl014

import (
	"fmt"
	lg "log"
	"time"
)

// Consumer reads messages in a goroutine.
type Consumer struct {
	restarts int
	max      int
	msgs     chan string
}

func (c *Consumer) handle(m string) { fmt.Println(m) }

// bad: a method relaunching itself from its recover handler.
func (c *Consumer) run() {
	defer func() {
		if err := recover(); err != nil {
			lg.Printf("consumer crashed: %v", err)
			go c.run() // want "GL014"
		}
	}()
	for m := range c.msgs {
		c.handle(m)
	}
}

// ok: a restart counter field is checked before relaunching.
func (c *Consumer) runCounted() {
	defer func() {
		if err := recover(); err != nil {
			c.restarts++
			if c.restarts < c.max {
				go c.runCounted()
			}
		}
	}()
	for m := range c.msgs {
		c.handle(m)
	}
}

// bad: the handler calls the method again in place.
func (c *Consumer) poll() {
	defer func() {
		if recover() != nil {
			c.poll() // want "GL014"
		}
	}()
	for m := range c.msgs {
		c.handle(m)
	}
}

// ok: the relaunch waits on a timer channel first.
func (c *Consumer) runDelayed() {
	defer func() {
		if r := recover(); r != nil {
			<-time.After(time.Second)
			go c.runDelayed()
		}
	}()
	for m := range c.msgs {
		c.handle(m)
	}
}

// bad: a helper that wraps f in a goroutine with a recover handler that
// calls the helper again: a panicking f is restarted in a hot loop.
func safeGo(f func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				lg.Println("panic:", r)
				safeGo(f) // want "GL014"
			}
		}()
		f()
	}()
}

// ok: the same helper with a bound on restarts.
func safeGoN(f func(), n int) {
	go func() {
		defer func() {
			if r := recover(); r != nil && n > 0 {
				safeGoN(f, n-1)
			}
		}()
		f()
	}()
}
