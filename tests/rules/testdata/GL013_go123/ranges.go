package gl013

import "time"

// bad: the early return leaves the ticker unstopped: info under Go 1.23, where it is collected once
// unreachable (the message must not claim it keeps running).
func pollRange(ready func() (bool, error)) error {
	tk := time.NewTicker(50 * time.Millisecond) // want "GL013"
	for range tk.C {
		ok, err := ready()
		if err != nil {
			return err
		}
		if ok {
			tk.Stop()
			return nil
		}
	}
	return nil
}

// ok: the only way out of the range stops the ticker; the loop's natural exit never happens.
func pollRangeStopped(ready func() bool) {
	tk := time.NewTicker(50 * time.Millisecond)
	for range tk.C {
		if ready() {
			tk.Stop()
			return
		}
	}
}

// bad: a field ticker that nothing in the package stops: info under Go 1.23.
type heartbeat struct {
	tk *time.Ticker
}

func newHeartbeat() *heartbeat {
	return &heartbeat{tk: time.NewTicker(time.Second)} // want "GL013"
}

func (h *heartbeat) wait() { <-h.tk.C }
