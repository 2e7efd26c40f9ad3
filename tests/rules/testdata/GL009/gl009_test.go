package gl009

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// bad: a test handler whose goroutine sleeps past the request.
func TestDetached(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		go func() { // want "GL009"
			time.Sleep(time.Second)
		}()
	})
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
}
