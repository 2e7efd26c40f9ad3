// Command server holds GL005 cases for a main package.
package main

import (
	"fmt"
	"net/http"
)

// ok: `select {}` at the end of main is the deliberate way to keep a
// server process alive while goroutines do the work.
func main() {
	go func() { _ = http.ListenAndServe(":8080", nil) }()
	run()
	select {}
}

// bad: an ordinary function of package main is not main's top level.
func run() {
	go fmt.Println("serving")
	if false {
		select {} // want "GL005"
	}
}
