package ecpaysim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// Main runs the simulator alone on addr (e.g. "127.0.0.1:9091") until ctx
// is done, sending due notifications in the background, and prints the
// settings DaoYue needs. When o.BaseURL is empty the base is
// http://{listen address}.
func Main(ctx context.Context, addr string, o Options, stdout io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("ecpaysim: listen: %w", err)
	}
	if o.BaseURL == "" {
		o.BaseURL = "http://" + publicAddr(ln.Addr())
	}
	s := New(o)
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "ECPay simulator listening on %s (trades: %s/)\n\n", s.URL(), s.URL())
	fmt.Fprintf(stdout, "payment and e-invoice base URL: %s\n", s.URL())
	fmt.Fprintf(stdout, "stage merchant %s (payment), %s (e-invoice) and any configured merchant are accepted\n",
		StageMerchant.ID, StageInvoiceMerchant.ID)
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go s.Run(runCtx)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("ecpaysim: serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("ecpaysim: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func publicAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
