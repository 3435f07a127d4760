package web

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/demo"
	"github.com/daoyue/daoyue/i18n"
	"github.com/daoyue/daoyue/internal/testenv"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// Fixtures of the page tests: two demo studios on a real store behind a
// real HTTP server, browsed by clients with cookie jars that post forms the
// way a browser does, with the clock fixed so the free times are known.

// pgNow is Monday 2030-01-07 08:00 in Taipei: the online service's first
// free time is 10:00 that day (two hours' notice).
var pgNow = time.Date(2030, 1, 7, 0, 0, 0, 0, time.UTC)

var pgTaipei, _ = time.LoadLocation("Asia/Taipei")

// pgAt is a Taipei wall-clock time; day 0 is Monday 2030-01-07.
func pgAt(day, hour, min int) time.Time {
	return time.Date(2030, 1, 7+day, hour, min, 0, 0, pgTaipei)
}

const pgPassword = "page-test-password"

type pageEnv struct {
	t    *testing.T
	db   *store.DB
	app  *app.App
	ts   *httptest.Server
	A, B *demo.Studio
}

func newPageEnv(t *testing.T, db *store.DB) *pageEnv {
	t.Helper()
	te := testenv.New(t, db, testenv.Options{Start: pgNow})
	te.Serve(New(Config{App: te.App, Store: db, Log: te.Log, BaseURL: te.Front.URL}))
	return pageEnvOn(t, te)
}

// pageEnvOn is the page fixture on te, whose server is already set: the
// two demo studios, signed in with pgPassword.
func pageEnvOn(t *testing.T, te *testenv.Env) *pageEnv {
	t.Helper()
	e := &pageEnv{t: t, db: te.DB, app: te.App, ts: te.Front}
	e.A = te.Studio("studio-a", "甲工作室", "owner@a.example", pgPassword)
	e.B = te.Studio("studio-b", "乙工作室", "owner@b.example", pgPassword)
	return e
}

// eachStore runs fn on SQLite and, when configured, on PostgreSQL.
func eachPageStore(t *testing.T, fn func(t *testing.T, e *pageEnv)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) { fn(t, newPageEnv(t, db)) })
}

// onSQLite runs fn on SQLite only (tests of rendering, not of storage).
func onSQLite(t *testing.T, fn func(t *testing.T, e *pageEnv)) {
	fn(t, newPageEnv(t, storetest.NewSQLite(t)))
}

// browser is one visitor with its cookies.
type browser struct {
	t    *testing.T
	e    *pageEnv
	c    *http.Client
	lang string // sent as Accept-Language when set
}

func (e *pageEnv) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, e: e, c: &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// page is a fetched response with its parsed document.
type page struct {
	t      *testing.T
	Status int
	URL    string // the path the page was finally fetched from
	Header http.Header
	HTML   string
	Doc    *goquery.Document
}

func (b *browser) do(req *http.Request) *http.Response {
	b.t.Helper()
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	return resp
}

func (b *browser) read(resp *http.Response) *page {
	b.t.Helper()
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		b.t.Fatal(err)
	}
	return &page{t: b.t, Status: resp.StatusCode, URL: resp.Request.URL.RequestURI(), Header: resp.Header, HTML: string(body), Doc: doc}
}

// raw fetches path without following redirects.
func (b *browser) raw(method, path string, form url.Values) *http.Response {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.e.ts.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return b.do(req)
}

// follow reads resp, following redirects with GET as a browser does.
func (b *browser) follow(resp *http.Response) *page {
	b.t.Helper()
	for i := 0; i < 5 && resp.StatusCode >= 300 && resp.StatusCode < 400; i++ {
		resp.Body.Close()
		loc, err := resp.Request.URL.Parse(resp.Header.Get("Location"))
		if err != nil {
			b.t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodGet, loc.String(), nil)
		resp = b.do(req)
	}
	return b.read(resp)
}

// get fetches a page, following redirects.
func (b *browser) get(path string) *page {
	b.t.Helper()
	return b.follow(b.raw(http.MethodGet, path, nil))
}

// post submits a form, following the redirect that answers it.
func (b *browser) post(path string, form url.Values) *page {
	b.t.Helper()
	return b.follow(b.raw(http.MethodPost, path, form))
}

// submit posts the form matched by sel on p with its own hidden and given
// values, like pressing its submit button.
func (b *browser) submit(p *page, sel string, values url.Values) *page {
	b.t.Helper()
	form := p.Doc.Find(sel).First()
	if form.Length() == 0 {
		b.t.Fatalf("no form %q on %s", sel, p.URL)
	}
	action, _ := form.Attr("action")
	data := url.Values{}
	form.Find("input[type=hidden]").Each(func(_ int, s *goquery.Selection) {
		n, _ := s.Attr("name")
		v, _ := s.Attr("value")
		data.Add(n, v)
	})
	for k, v := range values {
		data[k] = v
	}
	return b.post(action, data)
}

// click follows the link matched by sel.
func (b *browser) click(p *page, sel string) *page {
	b.t.Helper()
	a := p.Doc.Find(sel).First()
	href, ok := a.Attr("href")
	if !ok {
		b.t.Fatalf("no link %q on %s", sel, p.URL)
	}
	u, _ := url.Parse(href)
	u.Fragment = ""
	return b.get(u.String())
}

// login signs in and returns the page it lands on.
func (b *browser) login(email string) *page {
	b.t.Helper()
	p := b.post("/admin/login", url.Values{"email": {email}, "password": {pgPassword}})
	if p.Status != http.StatusOK || !strings.HasPrefix(p.URL, "/admin") || strings.HasPrefix(p.URL, "/admin/login") {
		b.t.Fatalf("login as %s landed on %s (%d)", email, p.URL, p.Status)
	}
	return p
}

// text is the trimmed text of the first match of sel.
func (p *page) text(sel string) string {
	return strings.Join(strings.Fields(p.Doc.Find(sel).First().Text()), " ")
}

func (p *page) attr(sel, name string) string {
	v, _ := p.Doc.Find(sel).First().Attr(name)
	return v
}

func (p *page) count(sel string) int { return p.Doc.Find(sel).Length() }

func (p *page) wantStatus(code int) *page {
	p.t.Helper()
	if p.Status != code {
		p.t.Fatalf("%s: status %d, want %d\n%s", p.URL, p.Status, code, p.visible())
	}
	return p
}

func (p *page) wantText(sel, want string) {
	p.t.Helper()
	if got := p.text(sel); !strings.Contains(got, want) {
		p.t.Fatalf("%s: %q = %q, want it to contain %q", p.URL, sel, got, want)
	}
}

func (p *page) wantCount(sel string, n int) {
	p.t.Helper()
	if got := p.count(sel); got != n {
		p.t.Fatalf("%s: %d × %q, want %d", p.URL, got, sel, n)
	}
}

func (p *page) wantNoText(s string) {
	p.t.Helper()
	if strings.Contains(p.HTML, s) {
		p.t.Fatalf("%s: page contains %q", p.URL, s)
	}
}

// visible is the page's text, for failure messages.
func (p *page) visible() string {
	s := strings.Join(strings.Fields(p.Doc.Find("main").Text()), " ")
	if len(s) > 600 {
		s = s[:600]
	}
	return s
}

// leftoverKey finds a message key shown instead of its text.
var leftoverKey = regexp.MustCompile(`\b(?:page|nav|label|status|tab|action|msg|role|weekday|help|flash|audit|error)\.[a-z_]+[a-z_.]*`)

// checkWellFormed checks what every page must be: in its language, with the
// switch, no untranslated key, and nothing the CSP would block.
func (p *page) checkWellFormed(lang string) {
	p.t.Helper()
	if got := p.attr("html", "lang"); got != lang {
		p.t.Errorf("%s: <html lang=%q>, want %q", p.URL, got, lang)
	}
	if p.count(`nav.lang-switch a[lang="zh-TW"]`) != 1 || p.count(`nav.lang-switch a[lang="en"]`) != 1 {
		p.t.Errorf("%s: no language switch", p.URL)
	}
	var texts []string
	texts = append(texts, p.Doc.Text())
	p.Doc.Find("[aria-label],[placeholder],[title],[data-confirm],[data-label],input[type=submit],option").Each(func(_ int, s *goquery.Selection) {
		for _, a := range []string{"aria-label", "placeholder", "title", "data-confirm", "data-label", "value"} {
			if v, ok := s.Attr(a); ok && a != "value" {
				texts = append(texts, v)
			}
		}
	})
	for _, s := range texts {
		if m := leftoverKey.FindString(s); m != "" {
			p.t.Errorf("%s: untranslated key %q", p.URL, m)
		}
	}
	if n := p.count("[style]"); n > 0 {
		p.t.Errorf("%s: %d inline style attributes (CSP forbids them)", p.URL, n)
	}
	if n := p.count("style"); n > 0 {
		p.t.Errorf("%s: inline <style> (CSP forbids it)", p.URL)
	}
	p.Doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		if _, ok := s.Attr("src"); !ok {
			p.t.Errorf("%s: inline <script> (CSP forbids it)", p.URL)
		}
	})
	p.Doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			if strings.HasPrefix(a.Key, "on") {
				p.t.Errorf("%s: inline handler %s= (CSP forbids it)", p.URL, a.Key)
			}
		}
	})
	// Every input a person fills in has a label.
	p.Doc.Find("input:not([type=hidden]):not([type=radio]):not([type=checkbox]),select,textarea").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		if id == "" || p.Doc.Find(`label[for="`+id+`"]`).Length() == 0 {
			name, _ := s.Attr("name")
			p.t.Errorf("%s: input %q has no label", p.URL, name)
		}
	})
	// An input tied to an error message points at an element that exists.
	p.Doc.Find("[aria-describedby]").Each(func(_ int, s *goquery.Selection) {
		ids, _ := s.Attr("aria-describedby")
		for _, id := range strings.Fields(ids) {
			if p.Doc.Find("#"+id).Length() == 0 {
				p.t.Errorf("%s: aria-describedby %q points nowhere", p.URL, id)
			}
		}
	})
}

// msg is a catalogue message, for comparing with what a page shows.
func msg(lang, key string, kv ...any) string {
	args := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		args[kv[i].(string)] = kv[i+1]
	}
	return i18n.T(lang, key, args)
}

// book makes a booking through the app (as the public API would) and
// returns it with its manage token.
func (e *pageEnv) book(slug string, svc *daoyue.Service, pracID string, start time.Time, name string) *app.Booked {
	e.t.Helper()
	b, err := e.app.Book(context.Background(), slug, app.BookInput{ServiceID: svc.ID, PractitionerID: pracID, Start: start,
		Client: daoyue.Client{Name: name, Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@client.example"}, Language: "zh-TW"})
	if err != nil {
		e.t.Fatalf("book %s at %s: %v", svc.Name, start, err)
	}
	return b
}
