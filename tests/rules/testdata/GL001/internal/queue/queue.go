// Package queue holds the package-level channel cases of GL001.
package queue

import "fmt"

// bad: an unexported package-level channel is a channel made in this package:
// only this package can close it, and it never does.
var pending = make(chan string, 100)

func Enqueue(s string) { pending <- s }

func Start() { go drain() }

func drain() {
	for s := range pending { // want "GL001"
		fmt.Println(s)
	}
}

// ok: an exported package-level channel: importers can close it.
var Events = make(chan string)

func Watch() {
	go func() {
		for e := range Events {
			fmt.Println(e)
		}
	}()
}
