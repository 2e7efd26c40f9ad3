// Package api is a sub-package of the GL017 testdata.
package api

import (
	"net/http"
	"net/url"
)

// bad: PostForm in another package; only the status is looked at.
func Submit(endpoint string, form url.Values) (bool, error) {
	resp, err := http.PostForm(endpoint, form) // want "GL017"
	if err != nil {
		return false, err
	}
	return resp.StatusCode < 300, nil
}

// ok: PostForm with defer Close.
func SubmitClosed(endpoint string, form url.Values) (bool, error) {
	resp, err := http.PostForm(endpoint, form)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	return resp.StatusCode < 300, nil
}

// ok: the if-with-initializer form: the error branch has no response, the else branch closes it.
func Ping(endpoint string) error {
	if resp, err := http.Get(endpoint); err != nil {
		return err
	} else {
		resp.Body.Close()
	}
	return nil
}
