// Package serve adds subcommands that serve until the process is stopped.
// It lives outside any cmd/ directory: what makes its `select {}` the
// program's lifetime is how its functions are registered, not the path.
package serve

import (
	"fmt"
	"net/http"

	"example.com/gl005/plugins/registry"
)

func init() {
	registry.Add(registry.Command{Name: "serve", Action: serveFiles})
	setup()
}

// setup runs only from init: what it registers is set up at start-up too.
func setup() {
	registry.Handle("mirror", mirrorFiles)
	http.HandleFunc("/stats", stats)
}

// bad: info only — a subcommand handed to the registry from init only: the
// goroutine that runs it (main's) parks until the process is stopped, and
// returning would end the command.
func serveFiles(args []string) (int, error) {
	go fmt.Println("serving", args)
	select {} // want "GL005"
}

// bad: info only — passed to a registration call from a function only init
// reaches.
func mirrorFiles(args []string) (int, error) {
	go fmt.Println("mirroring", args)
	select {} // want "GL005"
}

// bad: an HTTP handler registered at start-up runs once per request: each
// request's goroutine parks forever.
func stats(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintln(w, r.URL.Path)
	select {} // want "GL005"
}

// Install registers a subcommand from any caller: nothing ties it to start-up.
func Install() {
	registry.Add(registry.Command{Name: "tail", Action: tailFiles})
}

// bad: handed over by an exported function other packages may call at any
// time: it may park an ordinary goroutine.
func tailFiles(args []string) (int, error) {
	fmt.Println("tailing", args)
	select {} // want "GL005"
}

// bad: registered at start-up, but also started as a goroutine.
func pollFiles(args []string) (int, error) {
	fmt.Println("polling", args)
	select {} // want "GL005"
}

func init() {
	registry.Add(registry.Command{Name: "poll", Action: pollFiles})
	go pollFiles(nil)
}
