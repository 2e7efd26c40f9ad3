package orders

import (
	"fmt"
	"net/http"
)

// POST /import?lines=N imports a batch of order lines with a pool of workers.
func (s *Service) handleImport(w http.ResponseWriter, r *http.Request) {
	lines := make([]string, atoi(r.URL.Query().Get("lines"), 8))
	for i := range lines {
		lines[i] = fmt.Sprintf("order-%d", i)
	}
	if s.fixed(r) {
		s.importLinesFixed(lines)
	} else {
		s.importLines(lines)
	}
	reply(w, "imported %d lines with %d workers", len(lines), importWorkers)
}

// importLines: the workers have no quit channel, so they wait for jobs forever.
func (s *Service) importLines(lines []string) {
	jobs := make(chan string)
	for range importWorkers {
		go func() {
			for {
				line := <-jobs
				s.importLine(line)
			}
		}()
	}
	for _, l := range lines {
		jobs <- l
	}
}

func (s *Service) importLinesFixed(lines []string) {
	jobs := make(chan string)
	quit := make(chan struct{})
	defer close(quit)
	for range importWorkers {
		go func() {
			for {
				select {
				case line := <-jobs:
					s.importLine(line)
				case <-quit:
					return
				}
			}
		}()
	}
	for _, l := range lines {
		jobs <- l
	}
}

func (s *Service) importLine(line string) {
	s.logf("imported %s", line)
}
