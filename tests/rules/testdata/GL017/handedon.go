package gl017

import (
	"fmt"
	"io"
	nethttp "net/http"
)

// A response returned to the caller on its success path: the caller reads and
// closes the body, so `defer resp.Body.Close()` here would close it too early.
// The error path that drops it still leaks; the fix is a Close on that path.

// bad: the status branch reads at most 512 bytes and returns without closing;
// the message says to close the body before that return, not to defer.
func openStream(c *nethttp.Client, url string) (*nethttp.Response, error) {
	resp, err := c.Get(url) // want "GL017"
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != nethttp.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, fmt.Errorf("status %d: %s", resp.StatusCode, msg)
	}
	return resp, nil
}

type stream struct {
	body io.ReadCloser
}

// ok: the failing branch closes the body; the success path stores it in a
// stream whose owner closes it.
func openStreamChecked(c *nethttp.Client, url string) (*stream, error) {
	resp, err := c.Get(url)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != nethttp.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	return &stream{body: resp.Body}, nil
}
