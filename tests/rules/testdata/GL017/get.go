package gl017

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// bad: (info) the body is read to EOF but never closed: the connection goes back to the pool only
// because the read reached the end.
func fetch(url string) ([]byte, error) {
	resp, err := http.Get(url) // want "GL017"
	if err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body)
}

// bad: the status check returns before the deferred Close is registered.
func fetchOK(url string) ([]byte, error) {
	resp, err := http.Get(url) // want "GL017"
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// bad: the response is thrown away (`_`), body included.
func ping(url string) error {
	_, err := http.Post(url, "text/plain", strings.NewReader("ping")) // want "GL017"
	return err
}

// bad: `err != nil || …` is not the error idiom: with err == nil and a bad status the body leaks.
func status(url string) error {
	resp, err := http.Head(url) // want "GL017"
	if err != nil || resp.StatusCode >= 400 {
		return errors.New("unavailable")
	}
	resp.Body.Close()
	return nil
}

// bad: the body is closed only on the success branch.
func maybeClose(url string) (int64, error) {
	resp, err := http.Get(url) // want "GL017"
	if err != nil {
		return 0, err
	}
	if resp.StatusCode == http.StatusOK {
		defer resp.Body.Close()
		return io.Copy(io.Discard, resp.Body)
	}
	return 0, nil
}

// bad: `continue` skips the Close at the end of the loop body.
func probeAll(urls []string) int {
	up := 0
	for _, u := range urls {
		resp, err := http.Get(u) // want "GL017"
		if err != nil {
			continue
		}
		if resp.StatusCode != http.StatusOK {
			continue
		}
		up++
		resp.Body.Close()
	}
	return up
}

// bad: fire-and-forget in a goroutine: nobody closes the body.
func notify(urls []string) {
	for _, u := range urls {
		go func() {
			resp, err := http.Get(u) // want "GL017"
			if err != nil {
				return
			}
			fmt.Println(resp.Status)
		}()
	}
}

// ok: the standard idiom: error check, then defer Close.
func fetchClosed(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// ok: drain and close in a deferred closure.
func fetchDrained(url string) (int, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	defer func() {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}()
	return resp.StatusCode, nil
}

// ok: the response is returned: the caller must close it.
func open(url string) (*http.Response, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ok: handed to a helper that closes it.
func fetchDecoded(url string) (string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return "", err
	}
	return decode(resp)
}

func decode(resp *http.Response) (string, error) {
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// ok: the body is passed to a same-package closer.
func fetchDrainHelper(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer drainClose(resp.Body)
	return nil
}

func drainClose(body io.ReadCloser) {
	io.Copy(io.Discard, body)
	body.Close()
}

// ok: the nil check on resp comes first; the error return has no body to close.
func fetchNilCheck(url string) error {
	resp, err := http.Get(url)
	if resp != nil {
		defer resp.Body.Close()
	}
	if err != nil {
		return err
	}
	return nil
}

// ok: `if err == nil { … } else { return }`: the error branch has no response.
func fetchElse(url string) (int, error) {
	resp, err := http.Get(url)
	if err == nil {
		defer resp.Body.Close()
		return resp.StatusCode, nil
	} else {
		return 0, err
	}
}

// ok: closed explicitly on every path.
func fetchExplicit(url string) (bool, error) {
	resp, err := http.Head(url)
	if err != nil {
		return false, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return false, nil
	}
	resp.Body.Close()
	return true, nil
}

// ok: the response is sent to another goroutine, which owns it.
func fetchAsync(url string, out chan<- *http.Response) {
	resp, err := http.Get(url)
	if err != nil {
		return
	}
	out <- resp
}

// ok: a local type whose Get is not net/http's.
type kv struct{ m map[string]string }

func (k *kv) Get(key string) (string, error) { return k.m[key], nil }

func lookup(k *kv) string {
	v, _ := k.Get("x")
	return v
}

// bad: (info) err is reused by io.ReadAll: that error check returns with the body unclosed (a failed
// read makes the transport close the connection).
func readAllLeak(url string) ([]byte, error) {
	resp, err := http.Get(url) // want "GL017"
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	return b, nil
}

// ok: the error check comes after an unrelated statement; err still holds the call's error.
func fetchLateCheck(url string, verbose bool) error {
	resp, err := http.Get(url)
	if verbose {
		fmt.Println("fetched", url)
	}
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// ok: the caller expects the request to fail (`if err == nil` is the error case): there is no body.
func mustFail(url string) error {
	_, err := http.Get(url)
	if err == nil {
		return errors.New("expected an error")
	}
	return nil
}
