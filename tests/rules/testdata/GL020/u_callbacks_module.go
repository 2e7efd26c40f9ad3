package gl020

import (
	"sync"

	"example.com/gl020/journal"
)

// A callback handed to another package's function that runs it under that package's lock.

type wordIndex struct {
	mu    sync.Mutex
	log   *journal.Journal
	words map[string]int
}

// Replay holds the journal's lock while the callback takes ix.mu: journal -> wordIndex.
func (ix *wordIndex) rebuild() {
	ix.log.Replay(func(entry string) {
		ix.mu.Lock()
		ix.words[entry]++
		ix.mu.Unlock()
	})
}

// bad: wordIndex -> journal, the reverse order.
func (ix *wordIndex) record(word string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.words[word]++
	ix.log.Append(word) // want "GL020"
}

type entryCount struct {
	mu    sync.Mutex
	log   *journal.Journal
	total int
}

// journal -> entryCount through the callback ...
func (c *entryCount) recount() {
	c.log.Replay(func(entry string) {
		c.mu.Lock()
		c.total++
		c.mu.Unlock()
	})
}

// ok: ... and never the reverse: the entryCount's lock is released before appending.
func (c *entryCount) add(word string) {
	c.mu.Lock()
	c.total++
	c.mu.Unlock()
	c.log.Append(word)
}
