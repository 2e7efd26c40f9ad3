// Command agent: `select {}` on the program's main path parks the process
// by design. Reported as info only (the process lives until it is stopped).
package main

import (
	"fmt"
	"os"
)

var commands = map[string]func(){"serve": serve}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "wait" {
		waitForever()
	}
	if cmd, ok := commands[os.Args[1]]; ok {
		cmd()
	}
	go background()
	startAll()
}

// bad: info only — called only from main (through startAll): the main
// goroutine parks.
func startAll() {
	fmt.Println("started")
	keepAlive()
}

func keepAlive() {
	select {} // want "GL005"
}

// bad: info only — called only from main.
func waitForever() {
	select {} // want "GL005"
}

// bad: info only — reached through a command table (callers unknown), in
// package main.
func serve() {
	go fmt.Println("serving")
	select {} // want "GL005"
}

// bad: started as a goroutine — that goroutine parks, not the main path.
func background() {
	select {} // want "GL005"
}
