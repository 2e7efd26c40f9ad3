package gl011

import (
	"fmt"
	"net"
	"sync"
)

// Mailer sends notifications through a mail relay.
type Mailer struct {
	from  string
	relay string
	once  sync.Once
}

func (m *Mailer) send(to string) {
	conn, err := net.Dial("tcp", m.relay)
	if err != nil {
		return
	}
	defer conn.Close()
	fmt.Fprintf(conn, "MAIL FROM:<%s>\r\nRCPT TO:<%s>\r\n", m.from, to)
}

// Service owns a mailer.
type Service struct {
	mailer *Mailer
	wg     sync.WaitGroup
}

// bad: a method on a struct field started once per user; nothing waits.
func (s *Service) NotifyAll(users []string) {
	for _, u := range users {
		go s.mailer.send(u) // want "GL011"
	}
}

// bad: nested loops over a map: one forgotten goroutine per pair, each mailing.
func (s *Service) Cross(groups map[string][]string) {
	for g, members := range groups {
		for _, m := range members {
			go func() { // want "GL011"
				s.mailer.send(g + "/" + m)
			}()
		}
	}
}

// ok: each goroutine only prints: it cannot block, so a loop of them finishes on its own and cannot pile
// up (they are still unordered with the caller, which is not a leak).
func (s *Service) PrintPairs(groups map[string][]string) {
	for g, members := range groups {
		for _, m := range members {
			go func() {
				fmt.Println(g, m)
			}()
		}
	}
}

func (s *Service) track(u string) {
	defer s.wg.Done()
	fmt.Println("tracking", u)
}

// ok: the started method calls Done on the service's WaitGroup field.
func (s *Service) TrackAll(users []string) {
	for _, u := range users {
		s.wg.Add(1)
		go s.track(u)
	}
	s.wg.Wait()
}

func (m *Mailer) greet(to string) {
	m.once.Do(func() { fmt.Println("first greeting") })
	fmt.Println("hi", to)
}

// ok: the goroutine uses a sync.Once: coordinated.
func (s *Service) GreetAll(users []string) {
	for _, u := range users {
		go s.mailer.greet(u)
	}
}

// ok: a *sync.WaitGroup is passed to the named function.
func work(id int, wg *sync.WaitGroup) {
	defer wg.Done()
	fmt.Println(id)
}

func runAll(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go work(i, &wg)
	}
	wg.Wait()
}
