// Package workq hands its callers channels that its goroutines range over until they are closed.
package workq

import (
	"errors"
	"fmt"
	"strings"
)

// Start returns the jobs channel; the goroutine handles jobs until the caller closes it.
func Start() chan<- string {
	jobs := make(chan string)
	go func() {
		for j := range jobs {
			fmt.Println(j)
		}
	}()
	return jobs
}

// Open is Start with a buffer and an error result.
func Open(size int) (chan<- int, error) {
	if size < 0 {
		return nil, errors.New("negative size")
	}
	nums := make(chan int, size)
	go sum(nums)
	return nums, nil
}

func sum(nums <-chan int) {
	total := 0
	for n := range nums {
		total += n
	}
	fmt.Println(total)
}

// Pool starts consumers through a method.
type Pool struct {
	prefix string
}

// Lines returns a channel a method of the pool ranges over.
func (p *Pool) Lines() chan<- string {
	lines := make(chan string)
	go p.print(lines)
	return lines
}

func (p *Pool) print(lines <-chan string) {
	for l := range lines {
		fmt.Println(p.prefix + l)
	}
}

// Upper closes the channel it returns itself once its goroutine is done: callers need not.
func Upper(words []string) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		for _, w := range words {
			out <- strings.ToUpper(w)
		}
	}()
	return out
}

// Watch's goroutine also stops on its done channel: not a range until close.
func Watch(done <-chan struct{}) chan<- string {
	events := make(chan string)
	go func() {
		for {
			select {
			case e := <-events:
				fmt.Println(e)
			case <-done:
				return
			}
		}
	}()
	return events
}

// Shared keeps every channel it hands out and closes them all in Close.
type Shared struct {
	all []chan string
}

// Next returns a channel Close closes.
func (s *Shared) Next() chan<- string {
	ch := make(chan string)
	s.all = append(s.all, ch)
	go func() {
		for v := range ch {
			fmt.Println(v)
		}
	}()
	return ch
}

// Close closes every channel handed out.
func (s *Shared) Close() {
	for _, ch := range s.all {
		close(ch)
	}
}

// Finish closes a channel handed to it.
func Finish(ch chan<- string) { close(ch) }

// Batcher holds the channel its run goroutine ranges over; Close closes it.
type Batcher struct {
	items chan string
	size  int
}

// NewBatcher starts the goroutine ranging over b.items.
func NewBatcher(size int) *Batcher {
	b := &Batcher{items: make(chan string), size: size}
	go b.run()
	return b
}

func (b *Batcher) run() {
	var batch []string
	for it := range b.items {
		batch = append(batch, it)
		if len(batch) == b.size {
			fmt.Println(batch)
			batch = nil
		}
	}
}

// Add hands one item to the goroutine.
func (b *Batcher) Add(s string) { b.items <- s }

// Close ends the goroutine.
func (b *Batcher) Close() { close(b.items) }

// Collect's goroutine receives with comma-ok until the channel is closed: a range loop written out.
func Collect() chan<- int {
	vals := make(chan int)
	go func() {
		total := 0
		for {
			v, ok := <-vals
			if !ok {
				fmt.Println(total)
				return
			}
			total += v
		}
	}()
	return vals
}

// Tally hands the channel to a named function whose loop breaks out once it is closed.
func Tally() chan<- string {
	words := make(chan string, 4)
	go count(words)
	return words
}

func count(words <-chan string) {
	n := 0
	for {
		w, ok := <-words
		// closed: done counting
		if !ok {
			break
		}
		n += len(w)
	}
	fmt.Println(n)
}

// Take's goroutine receives a fixed number of values, closed or not: it ends by itself.
func Take(n int) chan<- int {
	vals := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			v, ok := <-vals
			if !ok {
				return
			}
			fmt.Println(v)
		}
	}()
	return vals
}

// Journal's run goroutine closes its own items channel when told to stop, then drains it.
type Journal struct {
	items chan string
	stop  chan chan struct{}
}

// NewJournal starts the goroutine; Stop ends it.
func NewJournal() *Journal {
	j := &Journal{items: make(chan string, 8), stop: make(chan chan struct{})}
	go j.run()
	return j
}

func (j *Journal) run() {
loop:
	for {
		select {
		case it := <-j.items:
			fmt.Println(it)
		case done := <-j.stop:
			close(j.items)
			defer close(done)
			break loop
		}
	}
	for it := range j.items {
		fmt.Println(it)
	}
}

// Write hands one item to the goroutine.
func (j *Journal) Write(s string) { j.items <- s }

// Stop asks the goroutine to close and drain its channel, and waits until it has.
func (j *Journal) Stop() {
	done := make(chan struct{})
	j.stop <- done
	<-done
}
