package gl006

// A struct built with an unkeyed composite literal takes its channels from wherever the literal's values
// come from: the field is fed (or closed) through that value, not only through its own name.

type snapshotter struct {
	stopc chan struct{}
	donec chan struct{}
}

// ok: donec is closed by the copy goroutine through the local it was built from.
func startSnapshot() *snapshotter {
	stopc, donec := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(donec)
		<-stopc
	}()
	return &snapshotter{stopc, donec}
}

func (s *snapshotter) Close() {
	close(s.stopc)
	<-s.donec
}

type feed struct {
	events chan int
}

// ok: the values sent on the local reach the field through the positional literal.
func newFeed() feed {
	events := make(chan int)
	go func() {
		for i := 0; i < 3; i++ {
			events <- i
		}
		close(events)
	}()
	return feed{events}
}

func (f feed) drain() int {
	n := 0
	for range f.events {
		n++
	}
	return n
}
