package gl001

import "example.com/gl001/feed"

// bad: feed.Numbers never closes the channel it returns, and nothing here closes it.
func sumAll(xs []int) int {
	total := 0
	for v := range feed.Numbers(xs) { // want "GL001"
		total += v
	}
	return total
}

// bad: the same through a local.
func printAll(xs []int) int {
	ch := feed.Numbers(xs)
	n := 0
	for range ch { // want "GL001"
		n++
	}
	return n
}

// ok: feed.Finite closes its channel when the sender is done.
func sumFinite(xs []int) int {
	total := 0
	for v := range feed.Finite(xs) {
		total += v
	}
	return total
}

// ok: this caller closes the returned channel itself once it has produced enough.
func drainClosed(xs []int) int {
	ch := feed.Numbers(xs)
	go func() {
		close(ch)
	}()
	n := 0
	for range ch {
		n++
	}
	return n
}

// ok: a method of another package's type whose channel Stop closes.
func countTicks(t *feed.Ticker) int {
	n := 0
	for range t.Events() {
		n++
	}
	return n
}
