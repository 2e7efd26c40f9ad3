package serve

import (
	"fmt"
	"net/http"

	"example.com/gl005/plugins/registry"
)

func init() {
	registry.AddSetup(registry.Setup{
		Name: "proxy",
		Configure: func(c *registry.Command) {
			c.Action = registry.Adapt(proxyForever)
		},
	})
	http.HandleFunc("/proxy", func(w http.ResponseWriter, r *http.Request) {
		_ = registry.Adapt(proxyOnce)
		fmt.Fprintln(w, r.URL.Path)
	})
}

// bad: info only — handed over inside a configuration callback that is
// itself handed to the registry from init: a subcommand set up at start-up.
func proxyForever() error {
	go fmt.Println("proxying")
	select {} // want "GL005"
}

// bad: handed over inside an HTTP handler: it may run once per request.
func proxyOnce() error {
	fmt.Println("proxying once")
	select {} // want "GL005"
}
