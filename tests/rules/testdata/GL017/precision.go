package gl017

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Bounded clients and requests, custom round trippers, conditions that imply "no response",
// bodies read to the end, and defers that bind the body they close.

// bad: (info) the client's Timeout cancels the request when it fires, which releases the connection.
func statusWithTimeout(url string) (int, error) {
	c := &http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get(url) // want "GL017"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// bad: (info) a client stored in a field, every value of which has a Timeout.
type pinger struct {
	hc  *http.Client
	url string
}

func newPinger(url string) *pinger {
	return &pinger{hc: &http.Client{Timeout: time.Second}, url: url}
}

func (p *pinger) ping() bool {
	r, err := p.hc.Get(p.url) // want "GL017"
	if err != nil {
		return false
	}
	return r.StatusCode < 500
}

// bad: (info) the request's context has a deadline; when it passes the transport drops the connection.
func headWithDeadline(parent context.Context, url string) (string, error) {
	ctx, cancel := context.WithTimeout(parent, 2*time.Second)
	_ = cancel
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req) // want "GL017"
	if err != nil {
		return "", err
	}
	return resp.Header.Get("ETag"), nil
}

// ok: the request's context is cancelled when this function returns: the transport closes the
// connection then, so nothing outlives the call.
func headCancelled(parent context.Context, url string) (string, error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	return resp.Header.Get("ETag"), nil
}

// bad: a zero Timeout is no timeout, and the request has no deadline.
func statusNoTimeout(url string) (int, error) {
	c := &http.Client{Timeout: 0}
	resp, err := c.Get(url) // want "GL017"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// bad: the context is Background: nothing ever cancels the request.
func headBackground(url string) (string, error) {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodHead, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req) // want "GL017"
	if err != nil {
		return "", err
	}
	return resp.Header.Get("ETag"), nil
}

// A round tripper that answers from memory: its responses hold no connection.
type staticRT func(*http.Request) (*http.Response, error)

func (f staticRT) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

type cannedRT struct{ status int }

func (c *cannedRT) RoundTrip(*http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: c.status, Body: io.NopCloser(strings.NewReader(""))}, nil
}

// ok: a func-typed round tripper that builds the response itself.
func codeFromStatic(url string) (int, error) {
	c := &http.Client{Transport: staticRT(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 204, Body: http.NoBody}, nil
	})}
	resp, err := c.Get(url)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// ok: a struct round tripper whose RoundTrip makes no request.
func codeFromCanned(url string) (int, error) {
	c := http.Client{Transport: &cannedRT{status: 200}}
	resp, err := c.Get(url)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// A round tripper that forwards to the real transport: its responses do hold a connection.
type loggingRT struct{ next http.RoundTripper }

func (l loggingRT) RoundTrip(r *http.Request) (*http.Response, error) {
	fmt.Println(r.URL)
	return l.next.RoundTrip(r)
}

// bad: the wrapper forwards to http.DefaultTransport.
func codeThroughLogger(url string) (int, error) {
	c := &http.Client{Transport: loggingRT{next: http.DefaultTransport}}
	resp, err := c.Get(url) // want "GL017"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// ok: `err != nil && …` can only be true when there is no response.
func fetchCtxAware(ctx context.Context, c *http.Client, req *http.Request) ([]byte, error) {
	res, err := c.Do(req)
	if err != nil && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	return io.ReadAll(res.Body)
}

// ok: `!(err == nil)` is the error branch too.
func fetchNegated(c *http.Client, url string) error {
	res, err := c.Get(url)
	if !(err == nil) {
		return err
	}
	return res.Body.Close()
}

// ok: the else branch of `err == nil || …` implies an error.
func fetchOrElse(c *http.Client, url string, lenient bool) error {
	res, err := c.Get(url)
	if err == nil || lenient {
		if res != nil {
			res.Body.Close()
		}
		return nil
	}
	return err
}

// ok: the close is guarded by `res != nil && res.Body != nil`: the other branch has nothing to close.
func fetchGuarded(c *http.Client, url string) (int, error) {
	res, err := c.Get(url)
	if res != nil && res.Body != nil {
		defer res.Body.Close()
	}
	if err != nil {
		return 0, err
	}
	return res.StatusCode, nil
}

// bad: `err != nil || …` does not imply an error; a bad status leaks the body.
func fetchEither(c *http.Client, url string) error {
	res, err := c.Get(url) // want "GL017"
	if err != nil || res.StatusCode != http.StatusOK {
		return errors.New("request failed")
	}
	return res.Body.Close()
}

// bad: `res != nil && res.StatusCode == 200` guards the close: a non-200 response leaks.
func fetchGuardedStatus(c *http.Client, url string) error {
	res, err := c.Get(url) // want "GL017"
	if res != nil && res.StatusCode == http.StatusOK {
		defer res.Body.Close()
	}
	return err
}

// bad: (info) io.ReadAll reads the body to EOF, which hands the connection back to the transport
// (or closes it on a read error) on every path, but the body is never closed.
func readWhole(c *http.Client, url string) (string, error) {
	res, err := c.Get(url) // want "GL017"
	if err != nil {
		return "", err
	}
	b, err := io.ReadAll(res.Body)
	return string(b), err
}

// bad: (info) drained into io.Discard, never closed.
func drainOnly(c *http.Client, url string) error {
	res, err := c.Get(url) // want "GL017"
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, res.Body)
	return err
}

// bad: a decoder stops at the end of the first value: the rest of the body and the connection stay.
func decodeOnly(c *http.Client, url string, v any) error {
	res, err := c.Get(url) // want "GL017"
	if err != nil {
		return err
	}
	return json.NewDecoder(res.Body).Decode(v)
}

// bad: the status check returns before the body is read.
func readAfterCheck(c *http.Client, url string) ([]byte, error) {
	res, err := c.Get(url) // want "GL017"
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %s", res.Status)
	}
	return io.ReadAll(res.Body)
}

// ok: `defer res.Body.Close()` evaluates res.Body at the defer: reassigning res afterwards does not
// undo it, and the second response has its own deferred Close.
func twoRequests(c *http.Client, a, b string) (int, error) {
	res, err := c.Get(a)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	first := res.StatusCode
	res, err = c.Get(b)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	return first + res.StatusCode, nil
}

// bad: the deferred Close was bound to the first body; the second response is never closed.
func secondUnclosed(c *http.Client, a, b string) (int, error) {
	res, err := c.Get(a)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	res, err = c.Get(b) // want "GL017"
	if err != nil {
		return 0, err
	}
	return res.StatusCode, nil
}

// A round tripper whose origin the analysis cannot see (a parameter, a factory's result) may be a mock:
// the finding is low confidence, shown only with --confidence low.

// ok: (by default) the Transport comes from the caller.
func codeThrough(rt http.RoundTripper, url string) (int, error) {
	c := &http.Client{Transport: rt}
	resp, err := c.Get(url)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// bad: a real transport built here.
func codeThroughTransport(url string) (int, error) {
	c := &http.Client{Transport: &http.Transport{MaxIdleConns: 1}}
	resp, err := c.Get(url) // want "GL017"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}
