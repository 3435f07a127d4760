package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/daoyue/daoyue/app"
)

// The account page lists the person's sessions and API tokens (created,
// last used, from where), each revocable; sign out everywhere ends them
// all; a session unused for two days ends; API tokens are named.
func TestSessionsAndTokens(t *testing.T) {
	eachPageStore(t, func(t *testing.T, e *pageEnv) {
		now := pgNow
		e.app.Now = func() time.Time { return now }
		me, other := e.browser(t), e.browser(t)
		me.login("owner@a.example")
		other.login("owner@a.example")
		acct := me.get("/admin/account")
		acct.wantCount(`tr.credential[data-kind=session]`, 2)
		acct.wantCount(`tr.credential .tag`, 1) // this one
		if !strings.Contains(acct.text(`tr.credential[data-kind=session]`), "127.0.0.1") {
			t.Errorf("where from: %s", acct.text(`tr.credential[data-kind=session]`))
		}

		// A named API token, shown once, works as a bearer token.
		made := me.submit(acct, `form[action="/admin/account/tokens"]`, map[string][]string{"token_name": {"accounting"}})
		token := made.text("#new-token code")
		if token == "" {
			t.Fatalf("no token shown: %s", made.visible())
		}
		api := newAPIEnvOn(e)
		api.must(200, "GET", "/api/v1/workspaces/studio-a", token, nil)
		if again := me.get("/admin/account"); strings.Contains(again.HTML, token) || again.count(`tr.credential[data-kind=api]`) != 1 {
			t.Fatalf("the token after the page: %s", again.visible())
		}

		// Revoke the other browser's session.
		acct = me.get("/admin/account")
		revoke := acct.Doc.Find(`tr.credential[data-kind=session]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			return s.Find(".tag").Length() == 0
		}).Find("form").AttrOr("action", "")
		if revoke == "" {
			t.Fatal("no revoke form for the other session")
		}
		me.post(revoke, nil).wantText(".flash-ok", msg("zh-TW", "flash.credential_revoked"))
		if r := other.get("/admin/studio-a/bookings"); !strings.HasPrefix(r.URL, "/admin/login") {
			t.Errorf("the revoked session still works: %s", r.URL)
		}
		// Someone else's credential is not found.
		bOwner := e.browser(t)
		bOwner.login("owner@b.example")
		if r := bOwner.post(revoke, nil); r.Status != http.StatusNotFound {
			t.Errorf("revoking another person's session: %d", r.Status)
		}

		// Two days unused: the session ends; the API token does not idle.
		now = now.Add(app.SessionIdle + time.Minute)
		if r := me.get("/admin/studio-a/bookings"); !strings.HasPrefix(r.URL, "/admin/login") {
			t.Errorf("an idle session still works: %s", r.URL)
		}
		api.must(200, "GET", "/api/v1/workspaces/studio-a", token, nil)

		// Sign out everywhere ends every session and token.
		me.login("owner@a.example")
		me.submit(me.get("/admin/account"), `form[action="/admin/account/signout-all"]`, nil).
			wantText(".flash-ok", msg("zh-TW", "flash.signed_out_everywhere"))
		if r := api.do("GET", "/api/v1/workspaces/studio-a", token, nil); r.status != 401 {
			t.Errorf("the API token after signing out everywhere: %d", r.status)
		}
		if r := me.get("/admin/studio-a/bookings"); !strings.HasPrefix(r.URL, "/admin/login") {
			t.Errorf("this session after signing out everywhere: %s", r.URL)
		}
	})
}
