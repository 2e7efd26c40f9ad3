package gl018

import "sync"

// PortMapper is modelled on moby's portmapper (GoKer moby#7559): `continue`
// skips the Unlock at the bottom of the loop.
type PortMapper struct {
	lock  sync.Mutex
	ports map[int]bool
	jobs  chan int
}

// bad: named goroutine (go pm.loop()); continue comes back to the Lock
// with pm.lock still held.
func (pm *PortMapper) loop() {
	for {
		port := <-pm.jobs
		pm.lock.Lock() // want "GL018"
		if pm.ports[port] {
			continue
		}
		pm.ports[port] = true
		pm.lock.Unlock()
	}
}

func (pm *PortMapper) Start() {
	go pm.loop()
}

// bad: a goroutine closure returns early with mu held.
func fanIn(inputs []int) map[int]int {
	var mu sync.Mutex
	counts := map[int]int{}
	var wg sync.WaitGroup
	for _, in := range inputs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock() // want "GL018"
			if in < 0 {
				return
			}
			counts[in]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return counts
}

// ok: the same loop with the Unlock before continue.
func (pm *PortMapper) loopFixed() {
	for port := range pm.jobs {
		pm.lock.Lock()
		if pm.ports[port] {
			pm.lock.Unlock()
			continue
		}
		pm.ports[port] = true
		pm.lock.Unlock()
	}
}

// ok: the lock is handed to a goroutine that releases it.
func (pm *PortMapper) handOff(done chan<- struct{}) {
	pm.lock.Lock()
	go func() {
		defer pm.lock.Unlock()
		pm.ports = map[int]bool{}
		close(done)
	}()
}

// bad: range loop: continue skips the Unlock; the next item's Lock blocks.
func (pm *PortMapper) reserve(ports []int) {
	for _, port := range ports {
		pm.lock.Lock() // want "GL018"
		if port == 0 {
			continue
		}
		pm.ports[port] = true
		pm.lock.Unlock()
	}
}
