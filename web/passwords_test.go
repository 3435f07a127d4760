package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
)

var resetLinkRE = regexp.MustCompile(`https?://[^\s"<>]+/reset/[a-z0-9]+`)

// Password reset by email: the same answer for known and unknown
// addresses, a single-use link that expires and is replaced by a newer
// one, common passwords refused, and every other session ended.
func TestPasswordReset(t *testing.T) {
	eachPageStore(t, func(t *testing.T, e *pageEnv) {
		mb := e.withMail(t)
		other := e.browser(t)
		other.login("owner@a.example") // a session elsewhere, to be ended
		v := e.browser(t)
		forgot := v.click(v.get("/admin/login"), "#forgot-link")
		known := v.submit(forgot, `form[action="/admin/forgot"]`, url.Values{"email": {"owner@a.example"}})
		unknown := e.browser(t).post("/admin/forgot", url.Values{"email": {"nobody@elsewhere.example"}})
		if known.Status != unknown.Status || known.URL != unknown.URL || known.text(".flash-ok") != unknown.text(".flash-ok") ||
			!strings.Contains(known.text(".flash-ok"), msg("zh-TW", "flash.reset_sent")) {
			t.Fatalf("known: %d %s %q; unknown: %d %s %q", known.Status, known.URL, known.text(".flash-ok"), unknown.Status, unknown.URL, unknown.text(".flash-ok"))
		}
		link := mb.linkMatching(t, "owner@a.example", resetLinkRE)
		for _, m := range mb.srv.Messages() {
			if strings.Contains(strings.Join(m.To, ","), "nobody@") {
				t.Fatal("an email went to an address without an account")
			}
		}

		p := v.get(link).wantStatus(http.StatusOK)
		p.wantText("main", "owner@a.example")
		for pw, key := range map[string]string{"short": "error.password_short", "password123": "error.password_common", "qwertyuiop": "error.password_common"} {
			bad := v.submit(p, `form[action^="/reset/"]`, url.Values{"password": {pw}})
			bad.wantStatus(http.StatusUnprocessableEntity)
			bad.wantText("#e-password", msg("zh-TW", key))
		}
		done := v.submit(p, `form[action^="/reset/"]`, url.Values{"password": {"a brand new secret phrase"}})
		if !strings.HasPrefix(done.URL, "/admin") || strings.HasPrefix(done.URL, "/admin/login") {
			t.Fatalf("after the reset: %s", done.URL)
		}
		done.wantText(".flash-ok", msg("zh-TW", "flash.password_reset"))
		if r := other.get("/admin/studio-a/bookings"); !strings.HasPrefix(r.URL, "/admin/login") {
			t.Errorf("the other session survived the reset: %s", r.URL)
		}
		gone := e.browser(t).get(link)
		gone.wantStatus(http.StatusNotFound)
		gone.wantText("main", msg("zh-TW", "error.reset_gone"))
		if e.browser(t).signIn("owner@a.example", pgPassword) {
			t.Error("the old password still signs in")
		}
		if !e.browser(t).signIn("owner@a.example", "a brand new secret phrase") {
			t.Error("the new password does not sign in")
		}

		// A newer request replaces the older link; a link expires.
		e.browser(t).post("/admin/forgot", url.Values{"email": {"owner@b.example"}})
		first := mb.linkMatching(t, "owner@b.example", resetLinkRE)
		e.browser(t).post("/admin/forgot", url.Values{"email": {"owner@b.example"}})
		second := mb.linkMatching(t, "owner@b.example", resetLinkRE)
		e.browser(t).get(first).wantStatus(http.StatusNotFound)
		e.browser(t).get(second).wantStatus(http.StatusOK)
		e.app.Now = func() time.Time { return pgNow.Add(daoyue.PasswordResetTTL + time.Minute) }
		e.browser(t).get(second).wantStatus(http.StatusNotFound)
		e.app.Now = func() time.Time { return pgNow }
	})
}

// Asking for a reset costs about the same for a known and an unknown
// address: the medians of a few requests each are within the same order of
// magnitude (a ratio, not a time limit).
func TestPasswordResetTiming(t *testing.T) {
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		e.withMail(t)
		i := 0
		ask := func(email string) func() {
			return func() {
				r := e.browser(t).raw(http.MethodPost, "/admin/forgot", url.Values{"email": {email}})
				r.Body.Close()
				// Start afresh so the per-email limit is never what answers.
				i++
				e.app.Now = func() time.Time { return pgNow.Add(time.Duration(i) * 2 * time.Hour) }
			}
		}
		sameOrderOfMagnitude(t, ask("owner@a.example"), ask("nobody@elsewhere.example"))
	})
}

// sameOrderOfMagnitude runs a and b in turns and fails when the fastest
// run of one is ten times the fastest of the other: a ratio of the two
// (interleaved, so a busy machine slows both alike), not a time limit.
func sameOrderOfMagnitude(t *testing.T, a, b func()) {
	t.Helper()
	best := func(d, cur time.Duration) time.Duration {
		if cur == 0 || d < cur {
			return d
		}
		return cur
	}
	var da, db time.Duration
	for i := 0; i < 9; i++ {
		start := time.Now()
		a()
		da = best(time.Since(start), da)
		start = time.Now()
		b()
		db = best(time.Since(start), db)
	}
	if da > 10*db || db > 10*da {
		t.Fatalf("fastest runs %v and %v: not the same order of magnitude", da, db)
	}
}

// Changing one's password checks the current one, refuses common ones,
// ends every other session and API token, and keeps this browser signed in.
func TestPasswordChange(t *testing.T) {
	eachPageStore(t, func(t *testing.T, e *pageEnv) {
		me := e.browser(t)
		me.login("owner@a.example")
		other := e.browser(t)
		other.login("owner@a.example")
		api := newAPIEnvOn(e)
		tok := api.token("owner@a.example")
		acct := me.get("/admin/account").wantStatus(http.StatusOK)
		acct.checkWellFormed("zh-TW")
		wrong := me.submit(acct, `form[action="/admin/account/password"]`, url.Values{"current_password": {"not it at all"}, "password": {"a fresh passphrase here"}})
		wrong.wantStatus(http.StatusUnprocessableEntity)
		wrong.wantText("#e-current-password", msg("zh-TW", "error.password_wrong"))
		common := me.submit(acct, `form[action="/admin/account/password"]`, url.Values{"current_password": {pgPassword}, "password": {"iloveyou123"}})
		common.wantText("#e-password", msg("zh-TW", "error.password_common"))
		ok := me.submit(acct, `form[action="/admin/account/password"]`, url.Values{"current_password": {pgPassword}, "password": {"a fresh passphrase here"}})
		ok.wantText(".flash-ok", msg("zh-TW", "flash.password_changed"))
		if r := me.get("/admin/studio-a/bookings"); r.URL != "/admin/studio-a/bookings" {
			t.Errorf("this browser was signed out: %s", r.URL)
		}
		if r := other.get("/admin/studio-a/bookings"); !strings.HasPrefix(r.URL, "/admin/login") {
			t.Errorf("another session survived: %s", r.URL)
		}
		if r := api.do("GET", "/api/v1/workspaces/studio-a/bookings", tok, nil); r.status != 401 {
			t.Errorf("an API token survived: %d", r.status)
		}
		if anon := e.browser(t).get("/admin/account"); !strings.HasPrefix(anon.URL, "/admin/login") {
			t.Errorf("account page without signing in: %s", anon.URL)
		}
	})
}

// newAPIEnvOn is an API client of the page environment's server.
func newAPIEnvOn(e *pageEnv) *apiEnv {
	srv, _ := e.ts.Config.Handler.(*Server)
	return &apiEnv{t: e.t, db: e.db, app: e.app, srv: srv, ts: e.ts, A: e.A, B: e.B, spec: loadAPISpec(e.t)}
}
