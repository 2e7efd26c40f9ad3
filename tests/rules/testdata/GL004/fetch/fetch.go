// Package fetch holds the sub-package cases of GL004.
package fetch

import (
	"errors"
	"fmt"
	"sync"
)

type Result struct {
	URL  string
	Body string
}

func get(url string) (string, error) {
	if url == "" {
		return "", errors.New("empty url")
	}
	return "body of " + url, nil
}

// Fetcher collects results from a fan-out of goroutines.
type Fetcher struct {
	mu      sync.Mutex
	wg      sync.WaitGroup
	results []Result
}

// bad: worker method launched with go; the error path returns without Done.
func (f *Fetcher) worker(url string) {
	body, err := get(url)
	if err != nil {
		fmt.Println("get:", err)
		return // want "GL004"
	}
	f.mu.Lock()
	f.results = append(f.results, Result{URL: url, Body: body})
	f.mu.Unlock()
	f.wg.Done()
}

func (f *Fetcher) FetchAll(urls []string) []Result {
	for _, u := range urls {
		f.wg.Add(1)
		go f.worker(u)
	}
	f.wg.Wait()
	return f.results
}

// ok: the same worker with the Done moved into a defer; the Unlock is
// deferred too.
func (f *Fetcher) safeWorker(url string) {
	defer f.wg.Done()
	body, err := get(url)
	if err != nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.results = append(f.results, Result{URL: url, Body: body})
}

func (f *Fetcher) SafeFetchAll(urls []string) []Result {
	for _, u := range urls {
		f.wg.Add(1)
		go f.safeWorker(u)
	}
	f.wg.Wait()
	return f.results
}
