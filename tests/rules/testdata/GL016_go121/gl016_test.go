package gl016

import "testing"

// bad: a table-driven test whose goroutines capture the case variable.
func TestCases(t *testing.T) {
	cases := []struct{ name string }{{"a"}, {"b"}}
	done := make(chan bool, len(cases))
	for _, tc := range cases {
		go func() {
			t.Log(tc.name) // want "GL016"
			done <- true
		}()
	}
	for range cases {
		<-done
	}
}

// ok: the case is copied first.
func TestCasesCopy(t *testing.T) {
	cases := []struct{ name string }{{"a"}, {"b"}}
	done := make(chan bool, len(cases))
	for _, tc := range cases {
		tc := tc
		go func() {
			t.Log(tc.name)
			done <- true
		}()
	}
	for range cases {
		<-done
	}
}
