package gl011

import (
	"fmt"
	"os"
)

func save(id int) error {
	return os.WriteFile(fmt.Sprintf("/tmp/item-%d", id), []byte("x"), 0o600)
}

// bad: the error of each save is dropped on the floor; nothing waits.
func saveAll(ids []int) {
	for _, id := range ids {
		go func(id int) { // want "GL011"
			if err := save(id); err != nil {
				return
			}
		}(id)
	}
}

// bad: a method value started per iteration of a range-over-int loop.
func (s *Service) Ping(n int) {
	send := s.mailer.send
	for i := range n {
		go send(fmt.Sprint("host", i)) // want "GL011"
	}
}

// ok: an accept loop starting one handler per connection is the server
// pattern, not a fan-out over a finite collection.
func serve(accept func() (string, error), handle func(string)) {
	for {
		conn, err := accept()
		if err != nil {
			return
		}
		go func() {
			fmt.Println("conn", conn)
		}()
		_ = handle
	}
}

// ok: each iteration waits for its goroutine's answer right away.
func oneByOne(ids []int) []error {
	var errs []error
	res := make(chan error)
	for _, id := range ids {
		go func() {
			errs = append(errs, save(id))
		}()
		errs = append(errs, <-res)
	}
	return errs
}
