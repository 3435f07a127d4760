// Command ecpaysim runs the ECPay simulator alone, for developers:
//
//	go run ./ecpay/ecpaysim/cmd/ecpaysim -addr 127.0.0.1:9091
//
// It accepts ECPay's public stage merchants (3002607 for payment, 2000132
// for e-invoice) and lists trades, notifications and invoices at its root.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/daoyue/daoyue/ecpay/ecpaysim"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9091", "listen address")
	base := flag.String("base-url", "", "public base URL (default http://{addr})")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := ecpaysim.Main(ctx, *addr, ecpaysim.Options{BaseURL: *base}, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
