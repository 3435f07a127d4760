// Package ecpaysimtest serves an ecpaysim simulator to tests, with an
// ecpay client pointed at it. It lives apart from ecpaysim so that testing
// and net/http/httptest never link into the daoyue binary, which embeds the
// simulator for developer mode.
package ecpaysimtest

import (
	"net/http/httptest"
	"testing"

	"github.com/daoyue/daoyue/ecpay"
	"github.com/daoyue/daoyue/ecpay/ecpaysim"
)

// Server is a running simulator and a client configured for it.
type Server struct {
	*ecpaysim.Sim
	Client *ecpay.Client
}

// NewServer starts a simulator on an httptest server that t's cleanup
// closes. The client uses the simulator's clock, so TimeStamps stay valid
// after Advance.
func NewServer(t testing.TB, o ecpaysim.Options) *Server {
	t.Helper()
	s := ecpaysim.New(o)
	srv := httptest.NewServer(s.Handler())
	s.SetBaseURL(srv.URL)
	t.Cleanup(srv.Close)
	c := ecpay.New(ecpay.Config{PaymentURL: srv.URL, InvoiceURL: srv.URL,
		HTTPClient: srv.Client(), Now: s.Now})
	return &Server{Sim: s, Client: c}
}
