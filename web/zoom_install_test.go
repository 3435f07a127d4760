package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// An install started in the Zoom App Marketplace arrives without our state.
// Its code is never exchanged (anybody can send a member a link carrying
// their own account's code): a friendly page asks a visitor to sign in and
// pick the practitioner, then a normal, state-bound connect runs, whose
// consent page shows the member which Zoom account is connected.
func TestZoomMarketplaceInstall(t *testing.T) {
	t.Parallel()
	eachZoomStore(t, func(t *testing.T, e *zoomEnv) {
		A := e.A
		marketplace := func() string {
			return e.sim.URL() + "/oauth/authorize?" + url.Values{"response_type": {"code"}, "client_id": {e.sim.ClientID()},
				"redirect_uri": {e.ts.URL + "/oauth/zoom/callback"}}.Encode()
		}
		tokenCalls := func() int { return e.sim.Calls("POST", "/oauth/token") }
		v := e.browser(t)
		back := v.consent(marketplace(), e.zChen.ID, true)
		if back.Query().Has("state") || back.Query().Get("code") == "" {
			t.Fatalf("Marketplace redirect: %v", back.Query())
		}
		before := tokenCalls()
		resp := v.do(mustGet(t, back.String()))
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/oauth/zoom/install" {
			t.Fatalf("callback: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if n := tokenCalls() - before; n != 0 {
			t.Fatalf("a code without our state was exchanged (%d token calls)", n)
		}

		// A visitor: sign in first.
		p := v.follow(resp)
		p.wantStatus(http.StatusOK)
		p.checkWellFormed("zh-TW")
		p.wantText("h1", "完成將導約加入 Zoom")
		if cc := p.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("install page Cache-Control %q", cc)
		}
		if href := p.attr("#zoom-install-sign-in", "href"); href != "/admin/login?next=%2Foauth%2Fzoom%2Finstall" {
			t.Errorf("sign-in link %q", href)
		}
		login := v.click(p, "#zoom-install-sign-in")
		p = v.submit(login, `form[action="/admin/login"]`, url.Values{"email": {"owner@a.example"}, "password": {pgPassword}})
		if p.URL != "/oauth/zoom/install" {
			t.Fatalf("after sign-in: %s", p.URL)
		}
		p.checkWellFormed("zh-TW")
		p.wantCount(`select[name=practitioner] option`, 2)
		if p.count(`option[value="studio-a/`+A.Chen.ID+`"]`) != 1 || strings.Contains(p.HTML, e.B.Lin.ID) {
			t.Fatalf("practitioners offered: %s", p.visible())
		}
		if p.attr("optgroup", "label") != "甲工作室" {
			t.Errorf("optgroup label %q", p.attr("optgroup", "label"))
		}
		p.wantText("main", msg("zh-TW", "page.zoom_install.consent"))

		// Another studio's practitioner cannot be picked (a forged form).
		bad := v.submit(p, `form[action="/oauth/zoom/install"]`, url.Values{"practitioner": {"studio-b/" + e.B.Lin.ID}})
		bad.wantStatus(http.StatusUnprocessableEntity)
		bad.wantText("#e-practitioner", msg("zh-TW", "error.zoom_install_pick"))
		bad.checkWellFormed("zh-TW")

		// Picking starts a normal connect: Zoom's consent page, with our
		// state, bound to this member and practitioner.
		form := p.Doc.Find(`form[action="/oauth/zoom/install"]`)
		if form.Length() != 1 {
			t.Fatal("no install form")
		}
		start := v.raw(http.MethodPost, "/oauth/zoom/install", url.Values{"practitioner": {"studio-a/" + A.Chen.ID}})
		start.Body.Close()
		authorize, _ := url.Parse(start.Header.Get("Location"))
		if start.StatusCode != http.StatusSeeOther || authorize.Query().Get("state") == "" || authorize.Query().Get("code_challenge") == "" {
			t.Fatalf("install submit: %d → %s", start.StatusCode, authorize)
		}
		done := v.open(v.consent(authorize.String(), e.zChen.ID, true))
		done.wantStatus(http.StatusOK)
		if done.URL != "/admin/studio-a/availability?practitioner="+A.Chen.ID {
			t.Errorf("install landed on %s", done.URL)
		}
		done.wantText(".flash-ok", "已連結 Zoom:Wei Chen <wei.chen@example.com>")
		if c := e.connection("studio-a", A.Chen.ID); c == nil || c.ZoomUserID != e.zChen.ID {
			t.Fatalf("connection: %+v", c)
		}

		// Signed out, the form cannot be posted.
		anon := e.browser(t)
		r := anon.raw(http.MethodPost, "/oauth/zoom/install", url.Values{"practitioner": {"studio-a/" + A.Lin.ID}})
		r.Body.Close()
		if r.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous install post: %d", r.StatusCode)
		}
	})
}

// The attack of the hardening issue: an attacker authorizes DaoYue with
// their own Zoom account, and lures a signed-in member to the callback with
// that code and no state. Nothing is exchanged or bound; the member's
// connect then binds the account the member approves on Zoom's page.
func TestZoomStatelessCallbackBindsNothing(t *testing.T) {
	eachZoomStore(t, func(t *testing.T, e *zoomEnv) {
		A := e.A
		attacker := e.browser(t)
		marketplace := e.sim.URL() + "/oauth/authorize?" + url.Values{"response_type": {"code"}, "client_id": {e.sim.ClientID()},
			"redirect_uri": {e.ts.URL + "/oauth/zoom/callback"}}.Encode()
		lure := attacker.consent(marketplace, e.zChen.ID, true) // the attacker is zChen here

		member := e.browser(t)
		member.post("/admin/login", url.Values{"email": {"owner@a.example"}, "password": {pgPassword}})
		before := e.sim.Calls("POST", "/oauth/token")
		p := member.open(lure)
		if p.URL != "/oauth/zoom/install" || e.sim.Calls("POST", "/oauth/token") != before {
			t.Fatalf("the lure: landed on %s, %d token calls", p.URL, e.sim.Calls("POST", "/oauth/token")-before)
		}
		start := member.raw(http.MethodPost, "/oauth/zoom/install", url.Values{"practitioner": {"studio-a/" + A.Lin.ID}})
		start.Body.Close()
		// The member approves as themselves on Zoom's page.
		member.open(member.consent(start.Header.Get("Location"), e.zLin.ID, true))
		if c := e.connection("studio-a", A.Lin.ID); c == nil || c.ZoomUserID != e.zLin.ID {
			t.Fatalf("Lin's connection: %+v", c)
		}
		for _, pid := range []string{A.Lin.ID, A.Chen.ID} {
			if c := e.connection("studio-a", pid); c != nil && c.ZoomUserID == e.zChen.ID {
				t.Fatalf("the attacker's Zoom account is bound to %s", pid)
			}
		}
		// Bogus codes cost nothing and are rate-limited per address.
		limited := 0
		for i := 0; i < 200; i++ {
			r := attacker.raw(http.MethodGet, "/oauth/zoom/callback?code=bogus"+itoa(i), nil)
			r.Body.Close()
			if r.StatusCode == http.StatusTooManyRequests {
				limited++
			}
		}
		if limited == 0 || e.sim.Calls("POST", "/oauth/token") != before+1 {
			t.Fatalf("200 bogus codes: %d refused, %d token calls", limited, e.sim.Calls("POST", "/oauth/token")-before)
		}
	})
}
