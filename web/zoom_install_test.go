package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
)

// An install started in the Zoom App Marketplace arrives without our state:
// a friendly page asks a visitor to sign in, then to pick the practitioner,
// and the connect completes like any other.
func TestZoomMarketplaceInstall(t *testing.T) {
	t.Parallel()
	eachZoomStore(t, func(t *testing.T, e *zoomEnv) {
		A := e.A
		marketplace := func() string {
			return e.sim.URL() + "/oauth/authorize?" + url.Values{"response_type": {"code"}, "client_id": {e.sim.ClientID()},
				"redirect_uri": {e.ts.URL + "/oauth/zoom/callback"}}.Encode()
		}
		v := e.browser(t)
		back := v.consent(marketplace(), e.zChen.ID, true)
		if back.Query().Has("state") || back.Query().Get("code") == "" {
			t.Fatalf("Marketplace redirect: %v", back.Query())
		}
		resp := v.do(mustGet(t, back.String()))
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/oauth/zoom/install" {
			t.Fatalf("callback: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		var ck *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == zoomInstallCookie {
				ck = c
			}
		}
		if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.MaxAge != 600 || ck.Path != zoomCookiePath || ck.Secure {
			t.Fatalf("install cookie: %+v", ck)
		}
		if strings.Contains(ck.Value, back.Query().Get("code")) {
			t.Error("the install cookie holds Zoom's code")
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

		// Another studio's practitioner cannot be picked (a forged form).
		bad := v.submit(p, `form[action="/oauth/zoom/install"]`, url.Values{"practitioner": {"studio-b/" + e.B.Lin.ID}})
		bad.wantStatus(http.StatusUnprocessableEntity)
		bad.wantText("#e-practitioner", msg("zh-TW", "error.zoom_install_pick"))
		bad.checkWellFormed("zh-TW")

		done := v.submit(p, `form[action="/oauth/zoom/install"]`, url.Values{"practitioner": {"studio-a/" + A.Chen.ID}})
		done.wantStatus(http.StatusOK)
		if done.URL != "/admin/studio-a/availability?practitioner="+A.Chen.ID {
			t.Errorf("install landed on %s", done.URL)
		}
		done.wantText(".flash-ok", "已連結 Zoom:Wei Chen <wei.chen@example.com>")
		if got := done.attr("#zoom-status", "data-status"); got != "connected" {
			t.Errorf("after install: %q", got)
		}
		if c := e.connection("studio-a", A.Chen.ID); c == nil || c.ZoomUserID != e.zChen.ID {
			t.Fatalf("connection: %+v", c)
		}

		// The install is used up: the page now says to install again.
		p = v.get("/oauth/zoom/install").wantStatus(http.StatusOK)
		p.wantText("#zoom-install-expired", msg("zh-TW", "page.zoom_install.expired"))
		p.checkWellFormed("zh-TW")
		v.post("/oauth/zoom/install", url.Values{"practitioner": {"studio-a/" + A.Lin.ID}}).wantStatus(http.StatusGone).
			wantText("#zoom-install-expired", msg("zh-TW", "page.zoom_install.expired"))
		en := e.browser(t)
		en.lang = "en"
		en.get("/oauth/zoom/install").wantText("h1", "This install has expired")

		// An install left waiting longer than 10 minutes has expired.
		back = v.consent(marketplace(), e.zLin.ID, true)
		p = v.open(back)
		if p.URL != "/oauth/zoom/install" || p.count("select[name=practitioner]") != 1 {
			t.Fatalf("second install: %s %s", p.URL, p.visible())
		}
		e.clock.Advance(daoyue.OAuthStateTTL + time.Minute)
		late := v.submit(p, `form[action="/oauth/zoom/install"]`, url.Values{"practitioner": {"studio-a/" + A.Lin.ID}})
		late.wantStatus(http.StatusGone)
		late.wantText("#page-error", msg("zh-TW", "error.zoom_install_expired"))
		late.wantCount("#zoom-install-expired", 1)
		if c := e.connection("studio-a", A.Lin.ID); c != nil {
			t.Error("an expired install connected Lin")
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
