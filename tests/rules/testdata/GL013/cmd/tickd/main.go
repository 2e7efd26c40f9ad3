// Command tickd: tickers in main live as long as the process.
package main

import (
	"fmt"
	"time"
)

// ok: time.Tick in main: the ticker is meant to live as long as the program.
func main() {
	n := 0
	for range time.Tick(time.Second) {
		n++
		if n == 3 {
			break
		}
	}
	t := time.NewTicker(time.Second)
	<-t.C
	fmt.Println("bye")
}
