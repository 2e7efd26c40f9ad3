package gl017

import (
	"context"
	"encoding/json"
	"io"
	nethttp "net/http"
	"time"
)

// Import alias `nethttp "net/http"`, clients in struct fields, the default client.

type service struct {
	client *nethttp.Client
	base   string
	last   *nethttp.Response
}

// bad: (*http.Client).Do through a struct field; the body is decoded but never closed.
func (s *service) user(ctx context.Context, id string, v any) error {
	req, err := nethttp.NewRequestWithContext(ctx, "GET", s.base+"/users/"+id, nil)
	if err != nil {
		return err
	}
	resp, err := s.client.Do(req) // want "GL017"
	if err != nil {
		return err
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// bad: http.DefaultClient.Do, closed only when the decode succeeds.
func getJSON(req *nethttp.Request, v any) error {
	resp, err := nethttp.DefaultClient.Do(req) // want "GL017"
	if err != nil {
		return err
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return err
	}
	return resp.Body.Close()
}

// bad: a method value of a client type that embeds *http.Client.
type apiClient struct {
	*nethttp.Client
	token string
}

func (c *apiClient) health(url string) bool {
	resp, err := c.Get(url) // want "GL017"
	if err != nil {
		return false
	}
	return resp.StatusCode == nethttp.StatusOK
}

// bad: (info) a local client; the body is wrapped by a stdlib reader, which does not close it (the
// client's Timeout frees the connection when it fires).
func firstLine(url string) (string, error) {
	client := &nethttp.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(url) // want "GL017"
	if err != nil {
		return "", err
	}
	b := make([]byte, 80)
	n, err := io.ReadFull(resp.Body, b)
	return string(b[:n]), err
}

// ok: stored in a field: the service owns the response.
func (s *service) keep(url string) error {
	resp, err := s.client.Get(url)
	if err != nil {
		return err
	}
	s.last = resp
	return nil
}

// ok: a response variable declared before; a deferred closure registered earlier closes it.
func (s *service) retry(req *nethttp.Request) (int, error) {
	var resp *nethttp.Response
	defer func() {
		if resp != nil {
			resp.Body.Close()
		}
	}()
	var err error
	for i := 0; i < 3; i++ {
		resp, err = s.client.Do(req)
		if err == nil {
			return resp.StatusCode, nil
		}
	}
	return 0, err
}

// bad: a method started with `go s.refresh(url)`: the status-only check leaves every body open.
func (s *service) refresh(url string) {
	resp, err := s.client.Get(url) // want "GL017"
	if err != nil {
		return
	}
	s.base = resp.Status
}

func (s *service) startRefresh(url string) { go s.refresh(url) }
