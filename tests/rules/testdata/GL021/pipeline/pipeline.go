// Package pipeline holds GL021 cases in a sub-package.
package pipeline

// Stage has an output channel that run forgets to make.
type Stage struct {
	name string
	out  chan string
}

// bad: the worker method sends on the never-assigned field.
func (s *Stage) work(in []string) {
	for _, v := range in {
		s.out <- s.name + v // want "GL021"
	}
}

// Run starts the stage.
func (s *Stage) Run(in []string) { go s.work(in) }

// ok: a stage whose output is made by its constructor.
type Sink struct {
	out chan string
}

func NewSink() *Sink {
	s := &Sink{}
	s.out = make(chan string, 16)
	return s
}

func (s *Sink) Put(v string) { s.out <- v }
