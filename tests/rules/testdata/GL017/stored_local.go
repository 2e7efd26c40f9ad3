package gl017

import (
	"net/http"
	"time"
)

// bad: (info) the client is built in a local with a Timeout and stored in a field through that local; the
// timeout releases the connection when it fires.
type metadataProbe struct {
	client *http.Client
	base   string
}

func newMetadataProbe(base string) *metadataProbe {
	client := &http.Client{Timeout: 2 * time.Second}
	return &metadataProbe{client: client, base: base}
}

func (m *metadataProbe) zone() (bool, error) {
	res, err := m.client.Get(m.base + "/zone") // want "GL017"
	if err != nil {
		return false, err
	}
	return res.StatusCode == http.StatusOK, nil
}

// bad: the local stored in the field has no Timeout: nothing releases the connection.
type slowProbe struct {
	client *http.Client
}

func newSlowProbe() *slowProbe {
	client := &http.Client{}
	return &slowProbe{client: client}
}

func (m *slowProbe) up(url string) bool {
	res, err := m.client.Get(url) // want "GL017"
	if err != nil {
		return false
	}
	return res.StatusCode == http.StatusOK
}
