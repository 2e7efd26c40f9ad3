// Package gl012 under `go 1.23`: unreferenced timers are collected, so GL012 is only info here.
package gl012

import (
	"fmt"
	"time"
)

// bad: the classic loop; since Go 1.23 the timer is collected once unreachable: info (allocation churn).
func idleTimeout(jobs <-chan int) {
	for {
		select {
		case j := <-jobs:
			fmt.Println(j)
		case <-time.After(time.Minute): // want "GL012"
			return
		}
	}
}

// bad: a range loop with a per-item send timeout, reported as info under Go 1.23.
func forward(items []int, out chan<- int) {
	for _, it := range items {
		select {
		case out <- it:
		case <-time.After(time.Second): // want "GL012"
		}
	}
}

// ok: the timer hoisted out of the loop.
func hoisted(ch <-chan int) {
	timeout := time.After(time.Minute)
	for {
		select {
		case v := <-ch:
			fmt.Println(v)
		case <-timeout:
			return
		}
	}
}

// ok: no loop.
func once(ch <-chan int) int {
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Second):
		return 0
	}
}
