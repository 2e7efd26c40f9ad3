// Package crawler holds the sub-package cases of GL003.
package crawler

import (
	"fmt"
	"sync"
)

// Crawler keeps a pointer to the WaitGroup it shares with its caller.
type Crawler struct {
	wg   *sync.WaitGroup
	mu   sync.Mutex
	seen map[string]bool
}

func New() *Crawler { return &Crawler{wg: new(sync.WaitGroup), seen: map[string]bool{}} }

func links(url string) []string { return []string{url + "/a", url + "/b"} }

// bad: pointer field `wg *sync.WaitGroup`; fetch is launched with
// `go c.fetch(u)` and Adds for itself.
func (c *Crawler) fetch(url string) {
	c.wg.Add(1) // want "GL003"
	defer c.wg.Done()
	fmt.Println("fetch", url)
}

func (c *Crawler) Crawl(urls []string) {
	for _, u := range urls {
		go c.fetch(u)
	}
	c.wg.Wait()
}

// ok: recursive crawl launched with go: each Add precedes the nested
// `go c.visit(…)` it counts; the first count is added by Visit.
func (c *Crawler) visit(url string, depth int) {
	defer c.wg.Done()
	if depth == 0 {
		return
	}
	for _, l := range links(url) {
		c.mu.Lock()
		seen := c.seen[l]
		c.seen[l] = true
		c.mu.Unlock()
		if !seen {
			c.wg.Add(1)
			go c.visit(l, depth-1)
		}
	}
}

func (c *Crawler) Visit(root string, depth int) {
	c.wg.Add(1)
	go c.visit(root, depth)
	c.wg.Wait()
}
