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
	"time"

	"github.com/wneessen/go-mail"
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
// concurrent use: every Send dials its own connection.
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
}

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

// Send delivers e. Errors name the server (never the credentials) and the
// SMTP answer, never the message's content.
func (s *SMTP) Send(ctx context.Context, e *Email) error {
	m, err := s.message(e)
	if err != nil {
		return err
	}
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
	c, err := mail.NewClient(s.host, opts...)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", s, err)
	}
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		return fmt.Errorf("smtp %s: %s", s, redact(err.Error(), s.pass))
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
