package gl005

import "fmt"

// ok: `select {}` directly in init (top level of a program's start-up) is
// left alone by the spec.
func init() {
	if false {
		fmt.Println("never")
		select {}
	}
}
