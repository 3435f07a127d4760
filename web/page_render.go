package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageTemplates holds each page's template set, parsed at its first render:
// the layout and partials, cloned, plus the page's own "content" definition
// (and the Zoom partials where the page uses them). html/template copies
// the parse trees into every clone, so parsing all 33 pages up front kept
// some 7 MB that an instance serving a few of them never uses.
var pageTemplates = pageSets()

func pageSets() map[string]func() *template.Template {
	entries, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]func() *template.Template{}
	for _, e := range entries {
		name := path.Base(e)
		if name == "layout.html" || name == "partials.html" || name == "zoom_partials.html" {
			continue
		}
		out[strings.TrimSuffix(name, ".html")] = sync.OnceValue(func() *template.Template { return parsePage(e) })
	}
	return out
}

// parsePage parses the page file into a clone of the layout. The files
// are embedded and every page is parsed by the tests, so a failure here is
// a build's defect: it panics.
func parsePage(file string) *template.Template {
	src, err := fs.ReadFile(templateFS, file)
	if err != nil {
		panic(err)
	}
	base := layoutTemplates()
	t := template.Must(base.layout.Clone())
	if slices.ContainsFunc(base.zoomCalls, func(d []byte) bool { return bytes.Contains(src, d) }) {
		t = template.Must(t.Parse(base.zoom))
	}
	return template.Must(t.New(path.Base(file)).Parse(string(src)))
}

// layoutTemplates is what every page set starts from: the layout and the
// partials, parsed once and never executed (a clone can be taken only of
// a template not yet run), and the Zoom partials with a {{template}} call
// of each of their definitions, to tell which pages use them: they are the
// largest, used by 3 pages of 33.
var layoutTemplates = sync.OnceValue(func() (out struct {
	layout    *template.Template
	zoom      string
	zoomCalls [][]byte
}) {
	funcs := template.FuncMap{
		"dict": func(kv ...any) map[string]any {
			m := make(map[string]any, len(kv)/2)
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
		"add": func(a, b int) int { return a + b },
		// list3 pairs keys with lists for one range over named sections.
		"list3": func(kv ...any) []map[string]any {
			var out []map[string]any
			for i := 0; i+1 < len(kv); i += 2 {
				out = append(out, map[string]any{"Key": kv[i], "Items": kv[i+1]})
			}
			return out
		},
		"money": func(amount int64, currency string) daoyue.Money {
			return daoyue.Money{Amount: amount, Currency: currency}
		},
		"seq": func(n int) []int {
			out := make([]int, n)
			for i := range out {
				out[i] = i + 1
			}
			return out
		},
		"string": func(v any) string { return fmt.Sprint(v) },
		"fid":    func(name string) string { return strings.NewReplacer(".", "-", "_", "-").Replace(name) },
	}
	out.layout = template.Must(template.New("base").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html"))
	zoom, err := fs.ReadFile(templateFS, "templates/zoom_partials.html")
	if err != nil {
		panic(err)
	}
	out.zoom = string(zoom)
	for _, m := range regexp.MustCompile(`{{define "([^"]+)"`).FindAllSubmatch(zoom, -1) {
		out.zoomCalls = append(out.zoomCalls, []byte(`{{template "`+string(m[1])+`"`))
	}
	return out
})

// staticVersion is a short hash of the embedded assets: asset URLs carry it
// so they can be cached for a year and still change with each release.
var staticVersion = func() string {
	h := sha256.New()
	_ = fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := staticFS.ReadFile(p)
			h.Write([]byte(p))
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:10]
}()

// serveStatic serves /static/ from the embedded files with long cache headers.
func serveStatic() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		if st, err := fs.Stat(sub, name); err != nil || st.IsDir() {
			http.NotFound(w, r) // and not cached: a later release may add it
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		files.ServeHTTP(w, r)
	})
}

// adminNav is what the admin layout needs: the workspace, the member and the
// section to highlight.
type adminNav struct {
	Workspace *daoyue.Workspace
	Member    *daoyue.Member
	Section   string
}

// view is the data of every page. Pages put their own data in Data; the
// methods give templates translation and formatting in the request's
// language and the workspace's zone.
type view struct {
	Lang   string
	Title  string
	Notice string
	Flash  string
	Error  string // a message for the whole page
	// ZoomSimulated shows the simulator banner.
	ZoomSimulated bool
	Fields        map[string]string // input name → localized message
	Form          url.Values        // the input to keep on a re-rendered form
	User          *daoyue.User
	Admin         *adminNav
	Public        *daoyue.Workspace // the studio of a public page, for its header
	Version       string
	// SwitchURL is the page the language switch links to (without lang).
	SwitchURL string
	BodyClass string
	NoIndex   bool
	Data      any

	loc *time.Location
}

// newView starts the view of a request.
func (s *Server) newView(w http.ResponseWriter, r *http.Request, title string, data any) *view {
	v := &view{
		Lang:          langOf(r),
		Notice:        s.Notice,
		ZoomSimulated: s.ZoomSimulated,
		User:          userOf(r),
		Version:       staticVersion,
		SwitchURL:     switchURL(r.URL),
		Data:          data,
		Form:          url.Values{},
		Fields:        map[string]string{},
	}
	v.Title = v.T(title)
	v.Flash, v.Error = takeFlash(w, r)
	loc, _ := time.LoadLocation(daoyue.DefaultTimeZone)
	v.loc = loc
	return v
}

// inZone makes the view show times in ws's zone.
func (v *view) inZone(ws *daoyue.Workspace) {
	if ws != nil {
		v.loc = ws.Location()
	}
}

// switchURL is u without its lang parameter.
func switchURL(u *url.URL) string {
	q := u.Query()
	q.Del("lang")
	out := u.EscapedPath()
	if enc := q.Encode(); enc != "" {
		out += "?" + enc
	}
	return out
}

// LangURL returns the current page in another language.
func (v *view) LangURL(lang string) string {
	sep := "?"
	if strings.Contains(v.SwitchURL, "?") {
		sep = "&"
	}
	return v.SwitchURL + sep + "lang=" + url.QueryEscape(lang)
}

// T translates a key.
func (v *view) T(key string) string { return i18n.T(v.Lang, key, nil) }

// Tf translates a key with name/value pairs for its placeholders.
func (v *view) Tf(key string, kv ...any) string {
	args := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		args[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return i18n.T(v.Lang, key, args)
}

// FieldErr is the message for one input, or "".
func (v *view) FieldErr(name string) string { return v.Fields[name] }

// Val is the kept input of one field.
func (v *view) Val(name string) string { return v.Form.Get(name) }

// HasVal reports whether a kept multi-value field contains value.
func (v *view) HasVal(name, value string) bool {
	for _, x := range v.Form[name] {
		if x == value {
			return true
		}
	}
	return false
}

// IsEN reports whether the page is in English.
func (v *view) IsEN() bool { return v.Lang == i18n.EN }

// render writes a page with status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, v *view) {
	set, ok := pageTemplates[name]
	if !ok {
		panic("web: no page template " + name)
	}
	t := set()
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.Log.Error("render page", slog.String("page", name), slog.Any("error", err))
		if name != "error" {
			s.pageError(w, r, daoyue.Errorf(daoyue.EINTERNAL, "error.internal"))
			return
		}
		http.Error(w, i18n.T(v.Lang, "error.internal", nil), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", v.Lang)
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	h.Add("Vary", "Cookie, Accept-Language")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// noStore marks a response as private and never to be stored.
func noStore(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
}

// Flash messages survive one redirect in a short-lived cookie holding only a
// message key from the catalogue, and the values of its placeholders when
// it has some ("key~base64url(JSON)"). A "flash." key is a success message;
// an "error." key is shown as the page's error.
const flashCookie = "daoyue_flash"

// flashArgMax bounds each placeholder value kept in the cookie.
const flashArgMax = 200

func (s *Server) setFlash(w http.ResponseWriter, key string) { s.setFlashArgs(w, key, nil) }

// setFlashArgs keeps a message with its placeholder values for the next page.
func (s *Server) setFlashArgs(w http.ResponseWriter, key string, args map[string]any) {
	val := key
	if len(args) > 0 {
		m := make(map[string]string, len(args))
		for k, a := range args {
			str := []rune(fmt.Sprint(a))
			if len(str) > flashArgMax {
				str = str[:flashArgMax]
			}
			m[k] = string(str)
		}
		b, _ := json.Marshal(m)
		val += "~" + base64.RawURLEncoding.EncodeToString(b)
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: val, Path: "/", MaxAge: 60,
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// setErrorFlash keeps a failed action's message for the page the visitor is
// sent back to. Unexpected errors are logged and shown as the generic one.
func (s *Server) setErrorFlash(w http.ResponseWriter, r *http.Request, err error) {
	var e *daoyue.Error
	if !errors.As(err, &e) || e.Code == daoyue.EINTERNAL {
		s.Log.Error("internal error", slog.String("route", r.Pattern), slog.Any("error", err))
		s.setFlash(w, "error.internal")
		return
	}
	key := e.Key
	if key == "" {
		key = i18n.ErrorKey(e.Code)
	}
	s.setFlashArgs(w, key, e.Args)
}

// takeFlash reads and clears the flash: a success message or an error.
func takeFlash(w http.ResponseWriter, r *http.Request) (ok, failed string) {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return "", ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	key, enc, _ := strings.Cut(c.Value, "~")
	lang := langOf(r)
	if !i18n.Has(lang, key) {
		return "", ""
	}
	var args map[string]any
	if enc != "" {
		var m map[string]string
		if b, err := base64.RawURLEncoding.DecodeString(enc); err == nil && json.Unmarshal(b, &m) == nil {
			args = make(map[string]any, len(m))
			for k, a := range m {
				args[k] = a
			}
		}
	}
	switch {
	case strings.HasPrefix(key, "flash."):
		return i18n.T(lang, key, args), ""
	case strings.HasPrefix(key, "error."):
		return "", i18n.T(lang, key, args)
	}
	return "", ""
}

// redirectFlash answers a form post with a 303 to target and a message.
func (s *Server) redirectFlash(w http.ResponseWriter, r *http.Request, target, flashKey string) {
	if flashKey != "" {
		s.setFlash(w, flashKey)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// renderForm renders page name with a refused action's messages, if any:
// problems a person can fix go on the page with their status; anything
// else is returned for the error page.
func (s *Server) renderForm(w http.ResponseWriter, r *http.Request, status int, name string, v *view, actionErr error) error {
	if actionErr != nil {
		st, ok := s.applyError(r, v, actionErr)
		if !ok {
			return actionErr
		}
		status = st
		setRetryAfter(w, actionErr)
	}
	s.render(w, r, status, name, v)
	return nil
}

// applyError puts a failed action's messages on the view and returns the
// status to answer with. Errors that are not about the input (not found,
// forbidden, internal) are left to the error page: ok is false.
func (s *Server) applyError(r *http.Request, v *view, err error) (status int, ok bool) {
	code := daoyue.ErrorCode(err)
	switch code {
	case daoyue.EINVALID, daoyue.ESLOT, daoyue.ETRANSITION, daoyue.ECONFLICT, daoyue.ERATELIMIT, daoyue.EUNAUTHENTICATED, daoyue.EZOOMBOUND:
	default:
		return 0, false
	}
	status, body := s.publicError(r, err)
	v.Error = body.Message
	for f, m := range body.Fields {
		v.Fields[f] = m
	}
	sayLimits(v, err)
	return status, true
}

// setupFailed re-renders a settings form for input problems and returns
// anything else for the error page.
func (s *Server) setupFailed(r *http.Request, err error, rerender func(status int) error) error {
	switch daoyue.ErrorCode(err) {
	case daoyue.EINVALID, daoyue.ECONFLICT, daoyue.ETRANSITION:
		status, _ := s.publicError(r, err)
		return rerender(status)
	}
	return err
}
