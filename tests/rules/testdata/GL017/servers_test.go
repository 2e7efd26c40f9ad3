package gl017

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// A request to a test server whose handler writes no body: the server sends Content-Length 0 and the
// transport frees the connection as soon as the headers arrive.

// ok: the handler only sets a header and a status.
func TestStatusOnly(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("X-Probe", "1")
		rw.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/probe")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusAccepted {
		t.Errorf("status %d", resp.StatusCode)
	}
}

// ok: the same through a request built for Do.
func TestStatusOnlyDo(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
		rw.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	req, err := http.NewRequest(http.MethodDelete, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("status %d", resp.StatusCode)
	}
}

// bad: this handler writes a body, which holds the connection until it is read or closed.
func TestGreeting(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(rw, "hello")
	}))
	defer srv.Close()
	resp, err := http.Get(srv.URL) // want "GL017"
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status %d", resp.StatusCode)
	}
}
