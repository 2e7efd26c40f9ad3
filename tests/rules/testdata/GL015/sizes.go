package gl015

import (
	"fmt"
	ioutil "io/ioutil"
	"time"
)

const tableSize = 1 << 14

// bad: 16384 int64 values = 128 KiB, sized with a named constant.
func startTable(tick <-chan time.Time) {
	table := make([]int64, tableSize)
	go func() { // want "GL015"
		table[0] = 1
		for t := range tick {
			fmt.Println(t)
		}
	}()
}

// ok: 1000 int32 = 4000 bytes, under the limit.
func startSmallTable(tick <-chan time.Time) {
	table := make([]int32, 1000)
	go func() {
		table[0] = 1
		for t := range tick {
			fmt.Println(t)
		}
	}()
}

// bad: the capacity (not the length) makes it large: 0 length, 256 Ki
// bytes of capacity.
func startBuffer(tick <-chan time.Time) {
	buf := make([]byte, 0, 256<<10)
	go func() { // want "GL015"
		n := copy(buf[:cap(buf)], "hello")
		fmt.Println(n)
		for t := range tick {
			fmt.Println(t)
		}
	}()
}

// bad: an aliased io/ioutil import; select {} keeps the goroutine forever.
func hold(path string) {
	blob, err := ioutil.ReadFile(path)
	if err != nil {
		return
	}
	go func() { // want "GL015"
		fmt.Println("loaded", len(blob))
		select {}
	}()
}

// ok: the element type's size is unknown (a struct): stay silent.
type rec struct{ a, b int }

func startRecs(tick <-chan time.Time) {
	recs := make([]rec, 100000)
	go func() {
		fmt.Println(len(recs))
		for t := range tick {
			fmt.Println(t)
		}
	}()
}

// ok: the size is not a constant.
func startDynamic(n int, tick <-chan time.Time) {
	buf := make([]byte, n)
	go func() {
		fmt.Println(len(buf))
		for t := range tick {
			fmt.Println(t)
		}
	}()
}

// bad: exactly 64 KiB (8192 uint64) declared with var, and a second large
// capture in the same closure: one report names both.
func startBoth(tick <-chan time.Time) {
	var counts = make([]uint64, 8192)
	names := make([]string, 1<<12)
	go func() { // want "GL015"
		counts[0], names[0] = 1, "a"
		for {
			time.Sleep(time.Second)
			fmt.Println("idle")
		}
	}()
}

// bad: a large buffer used only by a log line before a range over a ticker
// from time.Tick.
func report() {
	scratch := make([]rune, 1<<15)
	go func() { // want "GL015"
		fmt.Println("scratch", len(scratch))
		for now := range time.Tick(time.Hour) {
			fmt.Println(now)
		}
	}()
}

// ok: the buffer is used after the loop (the loop can end): it is needed.
func usedAfter(tick <-chan time.Time) {
	buf := make([]byte, 1<<20)
	go func() {
		buf[0] = 1
		for t := range tick {
			fmt.Println(t)
		}
		fmt.Println(buf[0])
	}()
}
