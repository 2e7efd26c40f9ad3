// Command relay: when main returns the process exits, so a goroutine it
// leaves blocked cannot outlive anything.
package main

import (
	"fmt"
	"os"
	"os/signal"
)

func serve() error { return nil }

// ok: main gives up on the server when a signal arrives and returns: the
// process ends with it, nothing is left behind.
func main() {
	errc := make(chan error)
	go func() {
		errc <- serve()
	}()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	select {
	case err := <-errc:
		fmt.Println(err)
	case <-sig:
		return
	}
	run()
}

// bad: an ordinary function of package main: returning from it does not end
// the process, main goes on.
func run() {
	errc := make(chan error)
	go func() {
		errc <- serve() // want "GL006"
	}()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	select {
	case err := <-errc:
		fmt.Println(err)
	case <-sig:
	}
}
