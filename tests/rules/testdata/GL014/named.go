package gl014

import "fmt"

// Pump moves messages.
type Pump struct{ in chan int }

// bad: a named deferred handler (it calls recover itself) that restarts the
// pump method it was deferred from.
func (p *Pump) restart() {
	if r := recover(); r != nil {
		fmt.Println("pump crashed:", r)
		go p.pump() // want "GL014"
	}
}

func (p *Pump) pump() {
	defer p.restart()
	for v := range p.in {
		fmt.Println(v)
	}
}

// ok: a named handler that only logs.
func (p *Pump) logPanic() {
	if r := recover(); r != nil {
		fmt.Println("pump crashed:", r)
	}
}

func (p *Pump) drain() {
	defer p.logPanic()
	for v := range p.in {
		fmt.Println(v)
	}
}
