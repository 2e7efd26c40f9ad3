package gl013

import (
	"fmt"
	. "time"
)

// Dot import: `. "time"`.

// bad: NewTimer from a dot import, not stopped when the result arrives first.
func dotTimer(res <-chan string) string {
	t := NewTimer(Second) // want "GL013"
	select {
	case r := <-res:
		return r
	case <-t.C:
		return fmt.Sprint("timeout")
	}
}
