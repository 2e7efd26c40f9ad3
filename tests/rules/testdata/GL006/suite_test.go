package gl006

import (
	"testing"
	"time"
)

type runner interface {
	T() *testing.T
}

type waitSuite struct {
	runner
}

// bad: a suite test whose timeout case ends the test through s.T().Fatal:
// the worker's send is stranded for the rest of the test binary.
func (s *waitSuite) TestWaitsForWorker() {
	done := make(chan error)
	go func() {
		done <- validate(compute()) // want "GL006"
	}()
	select {
	case err := <-done:
		if err != nil {
			s.T().Error(err)
		}
	case <-time.After(time.Second):
		s.T().Fatal("worker did not finish")
	}
}
