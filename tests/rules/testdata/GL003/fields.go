package gl003

import "fmt"

// bad: WaitGroup as a struct field (Pool is declared in types.go).
func (p *Pool) Submit(task func()) {
	go func() {
		p.wg.Add(1) // want "GL003"
		defer p.wg.Done()
		task()
	}()
}

func (p *Pool) Wait() { p.wg.Wait() }

// ok: struct field used correctly — Add before go.
func (p *Pool) SubmitFixed(task func()) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		task()
	}()
}

// bad: embedded sync.WaitGroup — g.Add is (*sync.WaitGroup).Add.
func (g *group) spawn(f func()) {
	go func() {
		g.Add(1) // want "GL003"
		defer g.Done()
		f()
	}()
}

// ok: embedded sync.WaitGroup used correctly.
func (g *group) spawnFixed(f func()) {
	g.Add(1)
	go func() {
		defer g.Done()
		fmt.Println(g.name)
		f()
	}()
	g.Wait()
}
