package gl012

import (
	"fmt"
	. "time"
)

// Dot import: `. "time"`.

// bad: After from a dot import is time.After.
func dotImported(ch <-chan int) {
	for {
		select {
		case v := <-ch:
			fmt.Println(v)
		case <-After(Second): // want "GL012"
		}
	}
}
