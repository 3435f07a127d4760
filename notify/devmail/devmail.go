// Package devmail is the development mailbox. When DAOYUE_SMTP_URL is not
// set, `daoyue serve` in development starts this SMTP server on loopback and
// sends every email to it over SMTP, the production code path, so the whole
// journey works offline: clients' confirmations and reminders, invitations,
// password resets, sign-up and My bookings links. What arrived is shown at
// /devmail, newest first. It keeps the newest 500 messages in memory.
package devmail

import (
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/daoyue/daoyue/notify/mailparse"
)

// Keep is how many messages the box holds.
const Keep = 500

// Message is one email as it arrived.
type Message struct {
	ID      int
	At      time.Time
	From    string
	To      []string
	Subject string // decoded on arrival, for the list
	Raw     []byte
	// body is taken apart at the first look: the box receives every
	// email the product sends and most are never opened.
	body func() Body
}

// Body is a message's decoded parts.
type Body struct {
	Text  string
	HTML  string
	Files []string // attachments' names (the calendar invite)
}

// Body returns the message's decoded parts.
func (m *Message) Body() Body { return m.body() }

// Box is the mailbox and its SMTP server.
type Box struct {
	mu   sync.Mutex
	msgs []*Message
	next int
	srv  *smtp.Server
	addr string
}

// Start listens for SMTP on addr (a loopback address such as
// "127.0.0.1:0") until Close.
func Start(addr string) (*Box, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(ln.Addr().(*net.TCPAddr).IP.String()); ip == nil || !ip.IsLoopback() {
		ln.Close()
		return nil, fmt.Errorf("devmail: %s is not a loopback address", addr)
	}
	b := &Box{addr: ln.Addr().String()}
	b.srv = smtp.NewServer(b)
	b.srv.Domain = "localhost"
	b.srv.ReadTimeout, b.srv.WriteTimeout = 10*time.Second, 10*time.Second
	b.srv.MaxMessageBytes = 10 << 20
	go func() { _ = b.srv.Serve(ln) }()
	return b, nil
}

// URL is the DAOYUE_SMTP_URL that reaches the box.
func (b *Box) URL() string { return "smtp://" + b.addr }

// Close stops the SMTP server.
func (b *Box) Close() error { return b.srv.Close() }

// Messages returns what arrived, newest first.
func (b *Box) Messages() []*Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]*Message, len(b.msgs))
	for i, m := range b.msgs {
		out[len(b.msgs)-1-i] = m
	}
	return out
}

func (b *Box) add(from string, to []string, raw []byte) {
	m := &Message{At: time.Now(), From: from, To: to, Raw: raw}
	subject, err := mailparse.Subject(raw)
	if err != nil {
		subject = "(unreadable: " + err.Error() + ")"
	}
	m.Subject = subject
	m.body = sync.OnceValue(func() Body {
		var out Body
		p, err := mailparse.Parse(raw)
		if err != nil {
			return out
		}
		out.Text, out.HTML = p.Text, p.HTML
		for _, part := range p.Parts {
			if part.Disposition == "attachment" || part.Filename != "" {
				out.Files = append(out.Files, part.Filename)
			}
		}
		return out
	})
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next++
	m.ID = b.next
	b.msgs = append(b.msgs, m)
	if len(b.msgs) > Keep {
		b.msgs = b.msgs[len(b.msgs)-Keep:]
	}
}

func (b *Box) message(id int) *Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.msgs {
		if m.ID == id {
			return m
		}
	}
	return nil
}

// NewSession implements smtp.Backend: every message is accepted.
func (b *Box) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{b: b}, nil }

type session struct {
	b    *Box
	from string
	to   []string
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error   { s.to = append(s.to, to); return nil }
func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.b.add(s.from, s.to, raw)
	return nil
}
func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// Handler serves the mailbox mounted at prefix ("/devmail"): the list at
// prefix+"/", a message at prefix+"/{id}", its HTML part at "/{id}/html"
// (sandboxed: no script, no same origin) and its raw form at "/{id}.eml".
func (b *Box) Handler(prefix string) http.Handler {
	mux := http.NewServeMux()
	base := func(*http.Request) string { return prefix }
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		render(w, indexTmpl, map[string]any{"Messages": b.Messages(), "Base": base(r)})
	})
	mux.HandleFunc("GET /{id}", func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		if raw, ok := strings.CutSuffix(id, ".eml"); ok {
			m := b.byID(raw)
			if m == nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "message/rfc822")
			w.Header().Set("Content-Disposition", `attachment; filename="message-`+raw+`.eml"`)
			_, _ = w.Write(m.Raw)
			return
		}
		m := b.byID(id)
		if m == nil {
			http.NotFound(w, r)
			return
		}
		body := m.Body()
		render(w, messageTmpl, map[string]any{"M": m, "Body": body, "Base": base(r), "Text": linkify(body.Text)})
	})
	mux.HandleFunc("GET /{id}/html", func(w http.ResponseWriter, r *http.Request) {
		m := b.byID(r.PathValue("id"))
		if m == nil {
			http.NotFound(w, r)
			return
		}
		html := m.Body().HTML
		if html == "" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Security-Policy", "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; img-src data: https:; style-src 'unsafe-inline'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, html)
	})
	return http.StripPrefix(prefix, mux)
}

func (b *Box) byID(s string) *Message {
	id, err := strconv.Atoi(s)
	if err != nil {
		return nil
	}
	return b.message(id)
}

var urlRE = regexp.MustCompile(`https?://[^\s<>"]+`)

// linkify escapes text and makes its URLs links.
func linkify(s string) template.HTML {
	var out strings.Builder
	last := 0
	for _, loc := range urlRE.FindAllStringIndex(s, -1) {
		out.WriteString(template.HTMLEscapeString(s[last:loc[0]]))
		u := template.HTMLEscapeString(s[loc[0]:loc[1]])
		out.WriteString(`<a href="` + u + `">` + u + `</a>`)
		last = loc[1]
	}
	out.WriteString(template.HTMLEscapeString(s[last:]))
	return template.HTML(out.String())
}

func render(w http.ResponseWriter, t *template.Template, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = t.Execute(w, data)
}

const style = `<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
pre{white-space:pre-wrap;background:#f6f6f4;padding:1rem;border-radius:6px}iframe{width:100%;height:32rem;border:1px solid #ddd;border-radius:6px}
.muted{color:#666}</style>`

var indexTmpl = template.Must(template.New("index").Parse(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Development mailbox</title>` + style + `</head><body>
<h1>Development mailbox</h1>
<p class="muted">DAOYUE_SMTP_URL is not set, so in development every email DaoYue sends arrives here over SMTP instead of leaving this machine. Newest first; the newest {{len .Messages}} kept in memory until the server stops.</p>
{{if .Messages}}<table><thead><tr><th>When</th><th>To</th><th>Subject</th></tr></thead><tbody>
{{range .Messages}}<tr><td class="muted">{{.At.Format "01-02 15:04:05"}}</td><td>{{range $i, $t := .To}}{{if $i}}, {{end}}{{$t}}{{end}}</td><td><a href="{{$.Base}}/{{.ID}}" id="mail-{{.ID}}">{{.Subject}}</a></td></tr>
{{end}}</tbody></table>{{else}}<p id="empty">No email yet. Book on the demo studio's page, invite a member or ask for My bookings: the message appears here.</p>{{end}}
</body></html>`))

var messageTmpl = template.Must(template.New("message").Parse(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>{{.M.Subject}}</title>` + style + `</head><body>
<p><a href="{{.Base}}/">← Development mailbox</a></p>
<h1 id="subject">{{.M.Subject}}</h1>
<table><tr><th>From</th><td>{{.M.From}}</td></tr><tr><th>To</th><td id="to">{{range $i, $t := .M.To}}{{if $i}}, {{end}}{{$t}}{{end}}</td></tr>
<tr><th>At</th><td>{{.M.At.Format "2006-01-02 15:04:05"}}</td></tr>{{with .Body.Files}}<tr><th>Attached</th><td>{{range .}}{{.}} {{end}}</td></tr>{{end}}</table>
<h2>Text</h2><pre id="text">{{.Text}}</pre>
{{if .Body.HTML}}<h2>HTML</h2><iframe src="{{.Base}}/{{.M.ID}}/html" sandbox="allow-popups allow-popups-to-escape-sandbox" title="HTML part"></iframe>{{end}}
<p><a href="{{.Base}}/{{.M.ID}}.eml">Download .eml</a></p>
</body></html>`))
