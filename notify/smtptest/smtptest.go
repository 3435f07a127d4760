// Package smtptest runs a real SMTP server in the test's process
// (github.com/emersion/go-smtp) that keeps what it receives, and parses the
// MIME of a received message, so tests of email go over real SMTP:
//
//	srv := smtptest.NewServer(t, smtptest.Options{})
//	sender, _ := notify.NewSMTP(srv.URL(), "no-reply@daoyue.test")
//	... send ...
//	msg := srv.Wait(t, 1)[0].Parse(t)
package smtptest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/daoyue/daoyue/notify/mailparse"
)

// Options shape the server.
type Options struct {
	// TLS offers STARTTLS (or, with Implicit, speaks TLS from the start)
	// with a fresh self-signed certificate; the client trusts it through
	// Server.ClientTLS.
	TLS      bool
	Implicit bool
	// Username and Password, when set, require AUTH PLAIN with them.
	Username, Password string
	// FailFirst refuses the first n messages with a temporary 451.
	FailFirst int
}

// Received is one message as the server got it.
type Received struct {
	From string
	To   []string
	Raw  []byte
	// Authenticated is the user name that authenticated, if any.
	Authenticated string
	// TLS reports whether the session was encrypted.
	TLS bool
}

// Server is a running SMTP server.
type Server struct {
	opts   Options
	addr   string
	client *tls.Config
	mu     sync.Mutex
	got    []Received
	failed int
	notify chan struct{}
	conns  []*smtp.Conn // every session's connection, in order
}

// NewServer starts a server on 127.0.0.1 that stops when the test ends.
func NewServer(t testing.TB, o Options) *Server {
	t.Helper()
	s := &Server{opts: o, notify: make(chan struct{}, 1)}
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = !o.TLS
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.MaxMessageBytes = 10 << 20
	var ln net.Listener
	var err error
	if o.TLS {
		serverCfg, clientCfg := certificates(t)
		srv.TLSConfig = serverCfg
		s.client = clientCfg
		if o.Implicit {
			ln, err = tls.Listen("tcp", "127.0.0.1:0", serverCfg)
		} else {
			ln, err = net.Listen("tcp", "127.0.0.1:0")
		}
	} else {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	s.addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// URL is the server's DAOYUE_SMTP_URL (with the credentials, if any).
func (s *Server) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.addr}
	if s.opts.Implicit {
		u.Scheme = "smtps"
	}
	if s.opts.Username != "" {
		u.User = url.UserPassword(s.opts.Username, s.opts.Password)
	}
	return u.String()
}

// ClientTLS is a TLS configuration that trusts the server's certificate.
func (s *Server) ClientTLS() *tls.Config { return s.client }

// Messages returns what the server has received so far.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.got...)
}

// Wait waits up to 20 seconds for n messages and returns them.
func (s *Server) Wait(t testing.TB, n int) []Received {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		if got := s.Messages(); len(got) >= n {
			return got
		}
		select {
		case <-s.notify:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatalf("smtptest: waited for %d messages, got %d", n, len(s.Messages()))
		}
	}
}

// NewSession implements smtp.Backend.
func (s *Server) NewSession(c *smtp.Conn) (smtp.Session, error) {
	s.mu.Lock()
	if !slices.Contains(s.conns, c) { // STARTTLS begins a new session on the same connection
		s.conns = append(s.conns, c)
	}
	s.mu.Unlock()
	return &session{s: s, conn: c}, nil
}

// Connections is how many connections clients have opened so far.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// CloseConnections closes every open connection, as a server does to a
// client idle past its timeout.
func (s *Server) CloseConnections() {
	s.mu.Lock()
	conns := append([]*smtp.Conn(nil), s.conns...)
	s.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
	}
}

type session struct {
	s    *Server
	conn *smtp.Conn
	user string
	from string
	to   []string
}

func (x *session) AuthMechanisms() []string {
	if x.s.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (x *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != x.s.opts.Username || password != x.s.opts.Password {
			return errors.New("invalid credentials")
		}
		x.user = username
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	if x.s.opts.Username != "" && x.user == "" {
		return smtp.ErrAuthRequired
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if x.s.failed < x.s.opts.FailFirst {
		x.s.failed++
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	_, tlsOn := x.conn.TLSConnectionState()
	x.s.got = append(x.s.got, Received{From: x.from, To: x.to, Raw: raw, Authenticated: x.user, TLS: tlsOn})
	select {
	case x.s.notify <- struct{}{}:
	default:
	}
	return nil
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }

// certificates makes a self-signed certificate for 127.0.0.1 and localhost.
func certificates(t testing.TB) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtptest"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}}, MinVersion: tls.VersionTLS12}
	client = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	return server, client
}

// Parsed is a received message taken apart (mailparse.Parsed).
type Parsed = mailparse.Parsed

// Part is one leaf MIME part.
type Part = mailparse.Part

// Parse takes a received message apart, failing the test on bad MIME.
func (r Received) Parse(t testing.TB) *Parsed {
	t.Helper()
	p, err := mailparse.Parse(r.Raw)
	if err != nil {
		t.Fatalf("smtptest: %v\n%s", err, r.Raw)
	}
	return p
}
