package gl017

import (
	"net/http"

	"example.com/gl017/internal/ioutilx"
)

// ok: a helper package's function named for closing takes the body.
func headDrained(c *http.Client, url string) (int, error) {
	resp, err := c.Head(url)
	if err != nil {
		return 0, err
	}
	defer ioutilx.DrainAndClose(resp.Body)
	return resp.StatusCode, nil
}

// bad: a helper that only reads does not close it.
func peekOnly(c *http.Client, url string) ([]byte, error) {
	resp, err := c.Get(url) // want "GL017"
	if err != nil {
		return nil, err
	}
	return ioutilx.Peek(resp.Body, 16), nil
}
