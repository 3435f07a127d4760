package zoomsim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// Main runs the simulator alone on addr (e.g. "127.0.0.1:9090") until ctx is
// done, for `daoyue zoomsim`. Empty credentials in o are replaced by random
// ones; Main prints the base URL and the settings DaoYue needs to use it.
// When o.BaseURL is empty the base is http://{listen address}.
func Main(ctx context.Context, addr string, o Options, stdout io.Writer) error {
	if o.ClientID == "" {
		o.ClientID = "zoomsim-" + randomID(9)
	}
	if o.ClientSecret == "" {
		o.ClientSecret = randomID(24)
	}
	if o.WebhookSecret == "" {
		o.WebhookSecret = randomID(16)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("zoomsim: listen: %w", err)
	}
	scheme := "http"
	if o.TLSCertFile != "" {
		scheme = "https"
	}
	if o.BaseURL == "" {
		o.BaseURL = scheme + "://" + publicAddr(ln.Addr())
	}
	s := New(o)
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "Zoom simulator listening on %s\n\n", s.URL())
	fmt.Fprintf(stdout, "DAOYUE_ZOOM_OAUTH_URL=%s\n", s.URL())
	fmt.Fprintf(stdout, "DAOYUE_ZOOM_API_URL=%s\n", s.APIURL())
	fmt.Fprintf(stdout, "DAOYUE_ZOOM_CLIENT_ID=%s\n", s.ClientID())
	fmt.Fprintf(stdout, "DAOYUE_ZOOM_CLIENT_SECRET=%s\n", s.ClientSecret())
	fmt.Fprintf(stdout, "DAOYUE_ZOOM_WEBHOOK_SECRET=%s\n\n", s.WebhookSecret())
	fmt.Fprintln(stdout, "Test Zoom accounts on the consent page:")
	users := s.Users()
	for i, u := range users {
		if i == 4 && len(users) > 5 {
			fmt.Fprintf(stdout, "  … and %d more (%s/sim/state lists them)\n", len(users)-i, s.URL())
			break
		}
		fmt.Fprintf(stdout, "  %s <%s>  user_id=%s\n", u.DisplayName(), u.Email, u.ID)
	}
	errc := make(chan error, 1)
	go func() {
		if o.TLSCertFile != "" {
			errc <- srv.ServeTLS(ln, o.TLSCertFile, o.TLSKeyFile)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("zoomsim: serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("zoomsim: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// publicAddr turns a wildcard listen address into one a browser can use.
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
