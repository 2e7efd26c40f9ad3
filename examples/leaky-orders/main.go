// Command leaky-orders is a small order service with ten goroutine leaks
// planted on purpose, one per endpoint, for leaktrail's walkthrough.
//
//	go run . -addr 127.0.0.1:8080          # the leaky service
//	go run . -addr 127.0.0.1:8080 -fixed   # every endpoint in its fixed version
//
// Any endpoint also takes ?fixed=1. net/http/pprof is served on the same
// loopback address under /debug/pprof/.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"

	"example.com/leaky-orders/orders"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address (keep it on loopback: pprof is served here too)")
	fixed := flag.Bool("fixed", false, "serve the fixed version of every endpoint")
	verbose := flag.Bool("v", false, "log what the service does")
	flag.Parse()
	if *verbose {
		orders.Log.SetOutput(os.Stderr)
	}

	svc := orders.NewService(orders.Config{Fixed: *fixed})
	svc.Register(http.DefaultServeMux)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	// Tests and scripts read the real port from this line (use -addr 127.0.0.1:0).
	fmt.Fprintf(os.Stdout, "listening on http://%s\n", ln.Addr())
	log.Fatal(http.Serve(ln, nil))
}
