// Package fetch holds GL006 cases in a sub-package.
package fetch

import (
	"context"
	"errors"
)

type Page struct{ Body string }

func get(url string) (Page, error) {
	if url == "" {
		return Page{}, errors.New("empty url")
	}
	return Page{Body: url}, nil
}

type outcome struct {
	page Page
	err  error
}

// bad: a method sends its outcome; the caller returns on ctx.Done().
type Client struct{ base string }

func (c *Client) do(url string, out chan outcome) {
	p, err := get(c.base + url)
	out <- outcome{p, err} // want "GL006"
}

func (c *Client) Get(ctx context.Context, url string) (Page, error) {
	out := make(chan outcome)
	go c.do(url, out)
	select {
	case o := <-out:
		return o.page, o.err
	case <-ctx.Done():
		return Page{}, ctx.Err()
	}
}

// ok: the fixed version with a one-slot buffer.
func (c *Client) GetFixed(ctx context.Context, url string) (Page, error) {
	out := make(chan outcome, 1)
	go c.do(url, out)
	select {
	case o := <-out:
		return o.page, o.err
	case <-ctx.Done():
		return Page{}, ctx.Err()
	}
}

// bad: first-error over all urls with an early return in a range loop.
func GetAll(urls []string) ([]Page, error) {
	type res struct {
		p   Page
		err error
	}
	ch := make(chan res)
	for _, u := range urls {
		go func() {
			p, err := get(u)
			ch <- res{p, err} // want "GL006"
		}()
	}
	var pages []Page
	for range urls {
		r := <-ch
		if r.err != nil {
			return nil, r.err
		}
		pages = append(pages, r.p)
	}
	return pages, nil
}
