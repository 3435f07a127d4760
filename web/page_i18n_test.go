package web

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
)

// Every page renders in both languages with the switch, no untranslated
// key, no raw id in the visible text, and nothing the CSP would block.
func TestPageEveryPageBothLanguages(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		pending := e.book("studio-a", e.A.InPerson, e.A.Lin.ID, pgAt(1, 10, 0), "Ling Wang")
		confirmed := e.book("studio-a", e.A.Online, e.A.Chen.ID, pgAt(2, 10, 0), "Kai Lin")
		unpaid := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, pgAt(3, 10, 0), "Mia Chu")
		if _, err := e.app.RequestReschedule(t.Context(), confirmed.ManageToken, pgAt(2, 15, 0)); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Cancel(ctxAs(t, e, "owner@a.example"), "studio-a", unpaid.Booking.ID, "no"); err != nil {
			t.Fatal(err)
		}
		public := []string{
			"/", "/w/studio-a", "/w/studio-a?service=" + e.A.Online.ID,
			"/w/studio-a?service=" + e.A.Online.ID + "&practitioner=" + e.A.Lin.ID + "&month=2030-02",
			"/w/studio-a?service=" + e.A.InPerson.ID + "&start=2030-01-08T14:00:00%2B08:00",
			"/b/" + pending.ManageToken, "/b/" + confirmed.ManageToken + "?reschedule=1",
			"/b/" + unpaid.ManageToken, "/admin/login",
		}
		admin := []string{
			"/admin/studio-a/bookings", "/admin/studio-a/bookings?tab=upcoming", "/admin/studio-a/bookings?tab=past",
			"/admin/studio-a/bookings?tab=cancelled",
			"/admin/studio-a/bookings/" + pending.Booking.ID, "/admin/studio-a/bookings/" + confirmed.Booking.ID,
			"/admin/studio-a/bookings/" + unpaid.Booking.ID,
			"/admin/studio-a/availability", "/admin/studio-a/practitioners", "/admin/studio-a/practitioners/" + e.A.Chen.ID,
			"/admin/studio-a/services", "/admin/studio-a/services/new", "/admin/studio-a/services/" + e.A.PayFirst.ID,
			"/admin/studio-a/members",
		}
		for _, lang := range []string{"zh-TW", "en"} {
			b := e.browser(t)
			b.get("/?lang=" + lang) // the switch remembers the choice
			check := func(path string, status int) *page {
				p := b.get(path)
				if p.Status != status {
					t.Errorf("%s %s: status %d, want %d: %s", lang, path, p.Status, status, p.visible())
					return p
				}
				p.checkWellFormed(lang)
				text := p.Doc.Find("body").Text()
				for _, id := range []string{pending.Booking.ID, confirmed.Booking.ID, e.A.Lin.ID, e.A.Online.ID} {
					if strings.Contains(text, id) {
						t.Errorf("%s %s: raw id %s in the visible text", lang, path, id)
					}
				}
				if lang == "en" && strings.ContainsAny(p.text("main h1"), "預約確認老師工作室") && !strings.Contains(path, "/w/") && !strings.Contains(path, "/b/") && !strings.Contains(path, "/practitioners/") {
					t.Errorf("en %s: Chinese heading %q", path, p.text("main h1"))
				}
				return p
			}
			for _, path := range public {
				check(path, http.StatusOK)
			}
			check("/no/such/page", http.StatusNotFound).wantText("h1", msg(lang, "page.error.not_found"))
			check("/w/no-such-studio", http.StatusNotFound)
			b.login("owner@a.example")
			for _, path := range admin {
				p := check(path, http.StatusOK)
				if p.count("nav.admin-nav a[aria-current=page]") != 1 {
					t.Errorf("%s %s: no current section in the admin nav", lang, path)
				}
				p.wantText(".user-email", "owner@a.example")
			}
			check("/admin", http.StatusOK) // the chooser: redirects to the only studio
			// The switch links to the same page in the other language.
			p := b.get("/admin/studio-a/bookings?tab=past")
			if href := p.attr(`nav.lang-switch a[lang="en"]`, "href"); href != "/admin/studio-a/bookings?tab=past&lang=en" {
				t.Errorf("switch href = %q", href)
			}
		}
	})
}

// The detail page holds private data: never stored by caches. Assets are
// cached for long; error pages are in the visitor's language.
func TestPageHeadersAndErrors(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		bk := e.book("studio-a", e.A.Online, e.A.Lin.ID, pgAt(1, 10, 0), "Headers")
		b := e.browser(t)
		b.login("owner@a.example")
		d := b.get("/admin/studio-a/bookings/" + bk.Booking.ID)
		if cc := d.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("detail Cache-Control = %q", cc)
		}
		if ct := d.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("Content-Type = %q", ct)
		}
		if csp := d.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("CSP = %q", csp)
		}
		// Assets referenced by the layout exist and are cached for long.
		for _, sel := range []string{`link[rel=stylesheet]`, `script[src]`, `link[rel=icon]`} {
			href := d.attr(sel, "href")
			if href == "" {
				href = d.attr(sel, "src")
			}
			resp := b.raw(http.MethodGet, href, nil)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || len(body) == 0 || !strings.Contains(resp.Header.Get("Cache-Control"), "max-age=31536000") {
				t.Errorf("%s: %d, %d bytes, Cache-Control %q", href, resp.StatusCode, len(body), resp.Header.Get("Cache-Control"))
			}
		}
		css := b.raw(http.MethodGet, "/static/app.css", nil)
		if ct := css.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
			t.Errorf("app.css Content-Type = %q", ct)
		}
		css.Body.Close()
		b.get("/static/").wantStatus(http.StatusNotFound)
		b.get("/static/nope.css").wantStatus(http.StatusNotFound)

		// A cross-site form post is refused with a page in the visitor's language.
		req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/admin/studio-a/bookings/"+bk.Booking.ID+"/cancel", strings.NewReader(url.Values{"reason": {"x"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Accept-Language", "en")
		p := b.read(b.do(req))
		p.wantStatus(http.StatusForbidden)
		p.wantText("h1", "The form couldn't be sent")
		p.wantText("main", msg("en", "error.csrf"))
		p.checkWellFormed("en")
		d2, err := e.app.Booking(ctxAs(t, e, "owner@a.example"), "studio-a", bk.Booking.ID)
		if err != nil || d2.Booking.Status != "confirmed" {
			t.Errorf("cross-site post changed the booking: %v %v", err, d2.Booking.Status)
		}
		// A same-origin post goes through.
		req, _ = http.NewRequest(http.MethodPost, e.ts.URL+"/admin/studio-a/bookings/"+bk.Booking.ID+"/cancel", strings.NewReader(""))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", e.ts.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp := b.do(req)
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("same-origin post: %d", resp.StatusCode)
		}

		// The home page says what DaoYue is and links onwards.
		h := e.browser(t).get("/")
		h.wantStatus(http.StatusOK)
		for _, href := range []string{"/w/demo", "/admin/login", "/docs/zoom", "/privacy", "/terms"} {
			if h.count(`a[href="`+href+`"]`) == 0 {
				t.Errorf("home page lacks a link to %s", href)
			}
		}
		h.wantText("h1", "Zoom")
	})
}

// The notice banner from the configuration shows on every page.
func TestPageNotice(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		e.ts.Config.Handler = New(Config{App: e.app, Store: e.db, BaseURL: e.ts.URL, Notice: "開發模式 development mode"})
		b := e.browser(t)
		for _, path := range []string{"/", "/w/studio-a", "/admin/login", "/nope"} {
			b.get(path).wantText(".notice-banner", "開發模式 development mode")
		}
	})
}

// brokenStore fails every read with a database error.
type brokenStore struct{ daoyue.Store }

func (brokenStore) View(context.Context, func(daoyue.Tx) error) error {
	return errors.New(`pq: syntax error at or near "bookings_secret" (SQLSTATE 42601)`)
}

// An internal error is a 500 page in the visitor's language that shows no
// cause, id or SQL.
func TestPageInternalError(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		a := app.New(brokenStore{e.db}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		e.ts.Config.Handler = New(Config{App: a, Store: e.db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: e.ts.URL})
		for _, lang := range []string{"zh-TW", "en"} {
			b := e.browser(t)
			b.lang = lang
			for _, path := range []string{"/w/studio-a", "/b/sometoken"} {
				p := b.get(path).wantStatus(http.StatusInternalServerError)
				p.checkWellFormed(lang)
				p.wantText("h1", msg(lang, "page.error.internal"))
				p.wantText("main", msg(lang, "error.internal"))
				for _, leak := range []string{"SQLSTATE", "bookings_secret", "pq:", "goroutine"} {
					p.wantNoText(leak)
				}
			}
		}
	})
}
