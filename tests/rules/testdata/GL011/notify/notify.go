// Package notify pushes events to hooks.
package notify

import (
	"fmt"
	"net/http"
	"strings"
)

// Hook is an outgoing web hook.
type Hook struct{ URL string }

func (h Hook) post(event string) {
	resp, err := http.Post(h.URL, "text/plain", strings.NewReader(strings.ToUpper(event)))
	if err != nil {
		fmt.Println("POST", h.URL, err)
		return
	}
	resp.Body.Close()
}

// bad: one goroutine per hook per event; failures vanish.
func Broadcast(hooks []Hook, event string) {
	for _, h := range hooks {
		go h.post(event) // want "GL011"
	}
}

// ok: results are gathered on a channel.
func BroadcastWait(hooks []Hook, event string) {
	done := make(chan struct{})
	for _, h := range hooks {
		go func() {
			h.post(event)
			done <- struct{}{}
		}()
	}
	for range hooks {
		<-done
	}
}
