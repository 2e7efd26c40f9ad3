// Package commands holds the subcommands of a command-line tool (under
// cmd/): they run on the program's main path, called through a table.
package commands

import "fmt"

// Table maps subcommand names to their functions.
var Table = map[string]func() error{"serve": serve}

// bad: info only — a subcommand that serves until the process is stopped.
func serve() error {
	fmt.Println("serving")
	select {} // want "GL005"
}

// bad: started as a goroutine: that goroutine parks, whatever the package.
func watch() {
	select {} // want "GL005"
}

// Start runs the watcher.
func Start() {
	go watch()
}
