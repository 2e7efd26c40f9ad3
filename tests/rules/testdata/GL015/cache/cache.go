// Package cache keeps a warm copy of a file.
package cache

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// Cache holds parsed lines.
type Cache struct {
	lines []string
	tick  *time.Ticker
}

// bad: the raw file contents are captured to seed the cache and pinned by
// the refresh loop, which never reads them again.
func (c *Cache) Start(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	c.tick = time.NewTicker(time.Minute)
	go func() { // want "GL015"
		c.lines = strings.Split(string(raw), "\n")
		for range c.tick.C {
			fmt.Println("refresh", len(c.lines))
		}
	}()
	return nil
}

// ok: the loop re-reads into the same variable each time: it is used.
func (c *Cache) StartReload(path string) {
	raw, _ := os.ReadFile(path)
	c.tick = time.NewTicker(time.Minute)
	go func() {
		for range c.tick.C {
			c.lines = strings.Split(string(raw), "\n")
		}
	}()
}
