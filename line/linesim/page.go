package linesim

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"time"
)

// The index page stands in for the LINE app a developer does not have:
// every channel, every simulated user's chat with it, and forms to follow,
// unfollow and write. Links are relative so it works under any prefix.
func (s *Sim) pageRoutes() {
	s.mux.HandleFunc("GET /{$}", s.count("GET /", s.index))
	s.mux.HandleFunc("POST /sim/follow", s.count("POST /sim/follow", s.formAction))
	s.mux.HandleFunc("POST /sim/unfollow", s.count("POST /sim/unfollow", s.formAction))
	s.mux.HandleFunc("POST /sim/send", s.count("POST /sim/send", s.formAction))
	s.mux.HandleFunc("POST /sim/verify", s.count("POST /sim/verify", s.formAction))
	s.mux.HandleFunc("POST /sim/redeliver", s.count("POST /sim/redeliver", s.formAction))
}

type pageUser struct {
	Person
	UserID string
	State  FriendState
	Chat   []Entry
}

type pageChannel struct {
	Channel
	AddFriendURL string
	Used, Limit  int
	Users        []pageUser
}

type pageData struct {
	Base     string
	Channels []pageChannel
	Pending  int
	Webhooks []WebhookAttempt
	Flash    string
}

func (s *Sim) index(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	d := pageData{Base: s.base, Pending: len(s.pendings), Flash: r.URL.Query().Get("m")}
	for _, c := range s.channelsSorted() {
		pc := pageChannel{Channel: c.Channel, AddFriendURL: "https://line.me/R/ti/p/" + c.BasicID,
			Used: c.used[s.monthLocked()], Limit: c.MonthlyLimit}
		pc.Secret, pc.AccessToken = "", "" // never shown
		for _, p := range s.people {
			uid := "U" + hash32("user", c.ProviderID, p.Key)
			pc.Users = append(pc.Users, pageUser{Person: p, UserID: uid, State: c.friends[uid],
				Chat: append([]Entry(nil), c.chat[uid]...)})
		}
		d.Channels = append(d.Channels, pc)
	}
	n := len(s.attempts)
	d.Webhooks = append(d.Webhooks, s.attempts[max(0, n-10):]...)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := indexTmpl.Execute(w, d); err != nil {
		http.Error(w, "template error", http.StatusInternalServerError)
	}
}

// formAction performs a user action and redirects back to the index with
// a short note (post/redirect/get, no JavaScript).
func (s *Sim) formAction(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	ch, user := r.PostForm.Get("channel"), r.PostForm.Get("user")
	var res Result
	msg := ""
	switch r.URL.Path {
	case "/sim/follow":
		s.mu.Lock()
		key := ""
		if c := s.channels[ch]; c != nil {
			if p, ok := s.personLocked(c, user); ok {
				key = p.Key
			}
		}
		s.mu.Unlock()
		res = s.Follow(ch, key)
	case "/sim/unfollow":
		res = s.Unfollow(ch, user)
	case "/sim/send":
		res = s.SendText(ch, user, r.PostForm.Get("text"))
	case "/sim/verify":
		st, err := s.VerifyWebhook(ch)
		res = Result{Status: st, Err: err}
	case "/sim/redeliver":
		msg = fmt.Sprintf("redelivered %d", s.Redeliver())
	}
	if msg == "" {
		msg = fmt.Sprintf("webhook answered %d", res.Status)
		if res.Err != nil {
			msg = res.Err.Error()
		}
	}
	// Set by hand: http.Redirect would resolve "../" against the path
	// StripPrefix left, losing the mount prefix; the browser resolves it
	// against the real URL.
	w.Header().Set("Location", "../?m="+template.URLQueryEscaper(msg)+"#c-"+template.URLQueryEscaper(ch))
	w.WriteHeader(http.StatusSeeOther)
}

func writePage(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = simplePage.Execute(w, map[string]string{"Title": title, "Text": text})
}

var simplePage = template.Must(template.New("p").Parse(`<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>{{.Title}} · LINE simulator</title>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto"><h1>{{.Title}}</h1><p>{{.Text}}</p></body></html>`))

var indexTmpl = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>LINE simulator</title>
<style>
body{font-family:"PingFang TC","Noto Sans TC","Microsoft JhengHei",system-ui,sans-serif;margin:1rem auto;max-width:70rem;padding:0 1rem;color:#1b1b1b}
.ch{border:1px solid #ccc;border-radius:8px;padding:1rem;margin:1rem 0}
.users{display:grid;grid-template-columns:repeat(auto-fill,minmax(20rem,1fr));gap:1rem}
.user{border:1px solid #ddd;border-radius:8px;padding:.75rem;background:#f7f7f7}
.chat{background:#8cabd9;border-radius:6px;padding:.5rem;min-height:3rem}
.msg{background:#fff;border-radius:12px;padding:.4rem .7rem;margin:.3rem 0;max-width:85%;white-space:pre-wrap}
.mine{background:#06c755;color:#fff;margin-left:auto}
.meta{font-size:.75rem;color:#555}
button{padding:.35rem .8rem;cursor:pointer} form{display:inline}
.flash{background:#fff7d6;border:1px solid #e0c200;padding:.5rem;border-radius:6px}
table{border-collapse:collapse;font-size:.85rem} td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:left}
code{font-size:.85em}
</style></head><body>
<h1>LINE Platform simulator</h1>
<p>API base: <code>{{.Base}}</code> — use it as the LINE API URL and access URL. Pending redeliveries: {{.Pending}}
<form method="post" action="sim/redeliver"><button>Redeliver failed webhooks</button></form></p>
{{with .Flash}}<p class="flash" role="status">{{.}}</p>{{end}}
{{range $c := .Channels}}
<section class="ch" id="c-{{$c.ID}}">
<h2>{{$c.DisplayName}} <small>{{$c.BasicID}}</small></h2>
<p>Channel ID <code>{{$c.ID}}</code> · bot userId <code>{{$c.BotUserID}}</code> · add-friend link <code>{{$c.AddFriendURL}}</code><br>
Webhook: {{if $c.WebhookURL}}<code>{{$c.WebhookURL}}</code>{{if $c.WebhookOff}} (off){{end}}{{else}}not set{{end}} · redelivery {{if $c.Redelivery}}on{{else}}off{{end}}
<form method="post" action="sim/verify"><input type="hidden" name="channel" value="{{$c.ID}}"><button>Verify webhook</button></form><br>
Messages this month: {{$c.Used}}{{if ge $c.Limit 0}} of {{$c.Limit}}{{else}} (no limit){{end}}</p>
<div class="users">
{{range $u := $c.Users}}
<div class="user">
<h3>{{$u.DisplayName}} <small>({{$u.State}})</small></h3>
<p class="meta">userId <code>{{$u.UserID}}</code></p>
<div class="chat">
{{range $u.Chat}}<div class="msg{{if .FromUser}} mine{{end}}">{{if .Title}}<strong>{{.Title}}</strong>
{{range .Lines}}{{.}}
{{end}}{{else}}{{.Text}}{{end}}{{if .ButtonURI}}
<a href="{{.ButtonURI}}">{{.ButtonLabel}}</a>{{end}}
<span class="meta">{{if .FromUser}}sent{{else}}{{.Via}}{{end}} {{.At.Format "01-02 15:04:05"}}</span></div>
{{else}}<p class="meta">No messages.</p>{{end}}
</div>
<p>
{{if eq $u.State.String "friend"}}
<form method="post" action="sim/unfollow"><input type="hidden" name="channel" value="{{$c.ID}}"><input type="hidden" name="user" value="{{$u.UserID}}"><button>Block (unfollow)</button></form>
{{else}}
<form method="post" action="sim/follow"><input type="hidden" name="channel" value="{{$c.ID}}"><input type="hidden" name="user" value="{{$u.UserID}}"><button>Add friend (follow)</button></form>
{{end}}
</p>
{{if ne $u.State.String "blocked"}}
<form method="post" action="sim/send"><input type="hidden" name="channel" value="{{$c.ID}}"><input type="hidden" name="user" value="{{$u.UserID}}">
<label>Message <input name="text" required maxlength="5000"></label> <button>Send</button></form>
{{end}}
</div>
{{end}}
</div>
</section>
{{end}}
<h2>Recent webhook deliveries</h2>
<table><tr><th>time</th><th>channel</th><th>events</th><th>redelivery</th><th>status</th></tr>
{{range .Webhooks}}<tr><td>{{.At.Format "15:04:05"}}</td><td>{{.ChannelID}}</td><td>{{len .EventIDs}}</td><td>{{.Redelivery}}</td><td>{{if .Err}}{{.Err}}{{else}}{{.Status}}{{end}}{{if .Forged}} (forged){{end}}</td></tr>
{{else}}<tr><td colspan="5">none yet</td></tr>{{end}}
</table>
</body></html>`))

// Main runs the simulator alone on addr until ctx is done, printing its
// base URL and the channel credentials a developer pastes into DaoYue.
func Main(ctx context.Context, addr string, o Options, stdout io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("linesim: listen: %w", err)
	}
	if o.BaseURL == "" {
		host, port, _ := net.SplitHostPort(ln.Addr().String())
		if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
			host = "127.0.0.1"
		}
		o.BaseURL = "http://" + net.JoinHostPort(host, port)
	}
	s := New(o)
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "LINE simulator listening on %s\n", s.URL())
	for _, id := range s.order {
		c := s.channels[id]
		// The secret is printed on purpose: it is the simulator's own, for
		// the developer to paste into DaoYue.
		fmt.Fprintf(stdout, "  channel %s (%s): id=%s secret=%s\n", c.DisplayName, c.BasicID, c.ID, c.Secret)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("linesim: serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("linesim: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
