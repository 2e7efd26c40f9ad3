// Package ioutilx stands for a helper package of the module: its callers cannot see its bodies.
package ioutilx

import "io"

// DrainAndClose reads r to the end and closes it.
func DrainAndClose(r io.ReadCloser) {
	_, _ = io.Copy(io.Discard, r)
	_ = r.Close()
}

// Peek reads the first bytes of r and leaves it open.
func Peek(r io.Reader, n int) []byte {
	b := make([]byte, n)
	k, _ := io.ReadFull(r, b)
	return b[:k]
}
