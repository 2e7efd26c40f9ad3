// Command probe: in main.main a return ends the process, but a loop still leaks per iteration.
package main

import (
	"fmt"
	"net/http"
	"os"
	"time"
)

// bad: main polls in a loop and never closes the bodies: one connection leaks per iteration.
// The first request's body is left for the process exit to clean up: main returns right after.
func main() {
	resp, err := http.Get(os.Args[1])
	if err != nil {
		os.Exit(1)
	}
	fmt.Println(resp.Status)
	for i := 0; i < 10; i++ {
		r, err := http.Get(os.Args[1]) // want "GL017"
		if err != nil {
			continue
		}
		fmt.Println(r.StatusCode)
		time.Sleep(time.Second)
	}
}
