package gl005

import (
	"os"
)

// bad: info only — a helper reached only from init (the test binary re-executed as a
// child process) parks the main goroutine by design.
func childMode() {
	go func() { panic("crash for the parent to read") }()
	select {} // want "GL005"
}

func init() {
	if os.Getenv("GL005_CHILD") != "" {
		childMode()
	}
}
