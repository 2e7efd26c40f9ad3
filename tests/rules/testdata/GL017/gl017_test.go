package gl017

import (
	"net/http"
	"testing"
)

// bad: a test helper checking a status; the body is never closed.
func expectStatus(t *testing.T, url string, want int) {
	resp, err := http.Get(url) // want "GL017"
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != want {
		t.Errorf("status %d, want %d", resp.StatusCode, want)
	}
}

// ok: the same helper with defer Close.
func expectStatusClosed(t *testing.T, url string, want int) {
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		t.Errorf("status %d, want %d", resp.StatusCode, want)
	}
}

func TestNothing(t *testing.T) {}
