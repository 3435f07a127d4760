package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"github.com/daoyue/daoyue"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// Email is a message as it leaves: the composed parts with the sender's
// name, the recipient and a unique Message-ID.
type Email struct {
	MessageID string // without angle brackets
	FromName  string // the studio's name, shown as the sender
	ReplyTo   string // the studio's contact email, where answers go ("" for none)
	To        string
	Subject   string
	Text      string
	HTML      string
	ICS       string
	ICSMethod string
}

// Sender delivers an email.
type Sender interface {
	Send(ctx context.Context, e *Email) error
}

// SMTP sends email through one SMTP server with go-mail. It is safe for
// concurrent use. A connection is kept for the next message (up to
// maxIdleConns of them, each for at most connIdle and connMessages): a
// burst of confirmations then pays one dial, greeting, TLS handshake and
// login per connection instead of per message (the handshake alone is
// about a millisecond of CPU on each side), and a provider that limits
// connections a minute is not hit by every email.
type SMTP struct {
	host      string
	port      int
	implicit  bool // smtps://: TLS from the first byte
	user      string
	pass      string
	from      string // the envelope and header From address
	fromName  string // used when a message names no sender
	tlsConfig *tls.Config
	timeout   time.Duration

	clientOnce sync.Once
	client     *mail.Client // the settings every connection is dialled with
	clientErr  error
	mu         sync.Mutex
	idle       []*smtpConn // most recently used last
}

// smtpConn is an open session ready for another message.
type smtpConn struct {
	c        *smtp.Client
	sent     int
	lastUsed time.Time
}

const (
	maxIdleConns = 4
	// connIdle is well under the five minutes RFC 5321 (4.5.3.2.7) lets a
	// server wait for the next command, so a kept connection is rarely
	// found closed; one that is gets a fresh one (see Send).
	connIdle     = 30 * time.Second
	connMessages = 100 // many providers end a session after about this many
)

// NewSMTP reads DAOYUE_SMTP_URL's format: smtp://user:pass@host:port (STARTTLS
// when the server offers it; port 587 by default) or smtps://user:pass@host:port
// (TLS from the start; port 465 by default). User and password are optional
// and may be percent-encoded. from is the sender address, optionally with a
// display name ("DaoYue <no-reply@daoyue.app>").
//
// Credentials are only ever offered with TLS (or to a server on localhost):
// PLAIN and LOGIN refuse to run in the clear, so a server that does not
// offer STARTTLS cannot learn the password.
func NewSMTP(rawURL, from string) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, errors.New("notify: the SMTP URL does not parse") // the error would repeat the URL, password included
	}
	s := &SMTP{host: u.Hostname(), timeout: 30 * time.Second}
	switch u.Scheme {
	case "smtp":
		s.port = 587
	case "smtps":
		s.port, s.implicit = 465, true
	default:
		return nil, fmt.Errorf("notify: SMTP URL scheme %q: want smtp or smtps", u.Scheme)
	}
	if s.host == "" {
		return nil, errors.New("notify: the SMTP URL names no host")
	}
	if p := u.Port(); p != "" {
		if s.port, err = strconv.Atoi(p); err != nil || s.port < 1 || s.port > 65535 {
			return nil, fmt.Errorf("notify: SMTP port %q is not a port number", p)
		}
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}
	a, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("notify: sender address %q: %w", from, err)
	}
	s.from, s.fromName = a.Address, a.Name
	s.tlsConfig = &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12}
	return s, nil
}

// SetTLSConfig replaces the TLS settings (tests trust their own server's
// certificate with it). Call before the first Send.
func (s *SMTP) SetTLSConfig(c *tls.Config) { s.tlsConfig = c }

// From returns the sender address.
func (s *SMTP) From() string { return s.from }

// String names the server without credentials, for logs.
func (s *SMTP) String() string {
	scheme := "smtp"
	if s.implicit {
		scheme = "smtps"
	}
	return scheme + "://" + net.JoinHostPort(s.host, strconv.Itoa(s.port))
}

// Send delivers e, over a kept connection when there is one. Errors name
// the server (never the credentials) and the SMTP answer, never the
// message's content.
func (s *SMTP) Send(ctx context.Context, e *Email) error {
	m, err := s.message(e)
	if err != nil {
		return err
	}
	client, err := s.mailClient()
	if err != nil {
		return fmt.Errorf("smtp %s: %w", s, err)
	}
	if conn := s.take(); conn != nil {
		err := client.SendWithSMTPClient(conn.c, m)
		var se *mail.SendError
		if err == nil {
			s.keep(conn)
			return nil
		} else if !errors.As(err, &se) || se.Reason != mail.ErrConnCheck {
			s.drop(conn)
			return fmt.Errorf("smtp %s: send failed: %s", s, redact(err.Error(), s.pass))
		}
		// The kept connection was closed by the server (its NOOP failed):
		// nothing of this message was sent; send it on a new one.
		s.drop(conn)
	}
	c, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return fmt.Errorf("smtp %s: dial failed: %s", s, redact(err.Error(), s.pass))
	}
	conn := &smtpConn{c: c}
	if err := client.SendWithSMTPClient(c, m); err != nil {
		s.drop(conn)
		return fmt.Errorf("smtp %s: send failed: %s", s, redact(err.Error(), s.pass))
	}
	s.keep(conn)
	return nil
}

// mailClient builds, once, the go-mail client whose settings each
// connection is dialled with (after SetTLSConfig, which comes before the
// first Send).
func (s *SMTP) mailClient() (*mail.Client, error) {
	s.clientOnce.Do(func() {
		opts := []mail.Option{mail.WithPort(s.port), mail.WithTimeout(s.timeout), mail.WithTLSConfig(s.tlsConfig)}
		if s.implicit {
			opts = append(opts, mail.WithSSL())
		} else {
			opts = append(opts, mail.WithTLSPortPolicy(mail.TLSOpportunistic))
		}
		if s.user != "" {
			opts = append(opts, mail.WithUsername(s.user), mail.WithPassword(s.pass),
				mail.WithOpportunisticSMTPAuth(mail.SMTPAuthSCRAMSHA256, mail.SMTPAuthSCRAMSHA1, mail.SMTPAuthCramMD5,
					mail.SMTPAuthPlain, mail.SMTPAuthLogin))
		}
		s.client, s.clientErr = mail.NewClient(s.host, opts...)
	})
	return s.client, s.clientErr
}

// take returns the most recently used kept connection, if one is fresh
// enough; those idle too long are closed.
func (s *SMTP) take() *smtpConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.idle) > 0 {
		conn := s.idle[len(s.idle)-1]
		s.idle = s.idle[:len(s.idle)-1]
		if time.Since(conn.lastUsed) < connIdle {
			return conn
		}
		go s.drop(conn)
	}
	return nil
}

// keep puts a connection that just sent a message back for the next one,
// or closes it when it has sent its share or enough are kept.
func (s *SMTP) keep(conn *smtpConn) {
	conn.sent++
	conn.lastUsed = time.Now()
	s.mu.Lock()
	if conn.sent < connMessages && len(s.idle) < maxIdleConns {
		s.idle = append(s.idle, conn)
		conn = nil
	}
	s.mu.Unlock()
	if conn != nil {
		s.drop(conn)
	}
}

// drop ends a connection with QUIT (or just closes it, when that fails).
func (s *SMTP) drop(conn *smtpConn) {
	if err := s.client.CloseWithSMTPClient(conn.c); err != nil {
		_ = conn.c.Close()
	}
}

// Close ends the kept connections (at shutdown).
func (s *SMTP) Close() error {
	s.mu.Lock()
	idle := s.idle
	s.idle = nil
	s.mu.Unlock()
	for _, conn := range idle {
		s.drop(conn)
	}
	return nil
}

// message builds the MIME message: text/plain with a text/html alternative
// and, when there is one, the calendar as an invite.ics attachment of type
// text/calendar with its METHOD.
func (s *SMTP) message(e *Email) (*mail.Msg, error) {
	m := mail.NewMsg()
	// A name stored before line breaks were refused must not break the
	// header (and with it every email of the studio).
	name := strings.Map(func(r rune) rune {
		if !daoyue.TextRune(r) {
			return ' '
		}
		return r
	}, e.FromName)
	if strings.TrimSpace(name) == "" {
		name = s.fromName
	}
	if err := m.FromFormat(name, s.from); err != nil {
		return nil, fmt.Errorf("notify: sender: %w", err)
	}
	if err := m.To(e.To); err != nil {
		return nil, fmt.Errorf("notify: recipient: %w", err)
	}
	// A client answers the studio, not the sending address. An address that
	// no longer parses (stored before it was checked) is left out rather
	// than stopping the email.
	if e.ReplyTo != "" && daoyue.ValidEmail(e.ReplyTo) {
		if err := m.ReplyTo(e.ReplyTo); err != nil {
			return nil, fmt.Errorf("notify: reply-to: %w", err)
		}
	}
	m.Subject(e.Subject)
	if e.MessageID != "" {
		m.SetMessageIDWithValue(e.MessageID)
	} else {
		m.SetMessageID()
	}
	m.SetDate()
	m.SetBodyString(mail.TypeTextPlain, e.Text)
	if e.HTML != "" {
		m.AddAlternativeString(mail.TypeTextHTML, e.HTML)
	}
	if e.ICS != "" {
		method := e.ICSMethod
		if method == "" {
			method = "REQUEST"
		}
		if err := m.AttachReader("invite.ics", strings.NewReader(e.ICS),
			mail.WithFileContentType(mail.ContentType("text/calendar; charset=UTF-8; method="+method))); err != nil {
			return nil, fmt.Errorf("notify: calendar attachment: %w", err)
		}
	}
	return m, nil
}

// redact removes a secret from a message, should a library ever echo it.
func redact(msg, secret string) string {
	if secret == "" {
		return msg
	}
	return strings.ReplaceAll(msg, secret, "[redacted]")
}
