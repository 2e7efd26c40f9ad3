package gl003

import "sync"

// An Add inside the goroutine is ordered before the parent's Wait when the goroutine then signals a
// second handshake (a send, a close, another WaitGroup's Done) that the parent waits for before Wait.

// ok: the goroutine adds, then closes `started`; the parent receives from it before Wait.
func startedThenWait(work func()) {
	var wg sync.WaitGroup
	started := make(chan struct{})
	go func() {
		wg.Add(1) // vet false positive: the handshake below orders it before Wait
		close(started)
		defer wg.Done()
		work()
	}()
	<-started
	wg.Wait()
}

// ok: the handshake is a send the parent receives.
func readyThenWait(work func() int) int {
	var wg sync.WaitGroup
	ready := make(chan bool)
	total := 0
	go func() {
		wg.Add(1) // vet false positive: the handshake below orders it before Wait
		ready <- true
		total = work()
		wg.Done()
	}()
	<-ready
	wg.Wait()
	return total
}

// ok: a second WaitGroup is the handshake.
func registeredThenWait(work func()) {
	var wg, registered sync.WaitGroup
	registered.Add(1)
	go func() {
		wg.Add(1) // vet false positive: the handshake below orders it before Wait
		registered.Done()
		work()
		wg.Done()
	}()
	registered.Wait()
	wg.Wait()
}

// bad: the signal comes before the Add: the parent can pass both waits before the Add runs.
func signalTooEarly(work func()) {
	var wg sync.WaitGroup
	started := make(chan struct{})
	go func() {
		close(started)
		wg.Add(1) // want "GL003"
		defer wg.Done()
		work()
	}()
	<-started
	wg.Wait()
}

// bad: the parent waits for the handshake only after Wait.
func waitBeforeHandshake(work func()) {
	var wg sync.WaitGroup
	started := make(chan struct{}, 1)
	go func() {
		wg.Add(1) // want "GL003"
		started <- struct{}{}
		defer wg.Done()
		work()
	}()
	wg.Wait()
	<-started
}
