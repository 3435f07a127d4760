package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/pquerna/otp/totp"

	"github.com/daoyue/daoyue"
)

// codeAt is the authenticator's code for secret at t.
func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// enableTwoFactor turns two-factor sign-in on for b's account at now and
// returns the secret and the recovery codes.
func enableTwoFactor(t *testing.T, b *browser, now time.Time) (string, []string) {
	t.Helper()
	acct := b.get("/admin/account")
	setup := b.submit(acct, `form[action="/admin/account/2fa"]`, nil).wantStatus(http.StatusOK)
	secret := setup.text("#totp-secret")
	if secret == "" || setup.count(`img[src^="data:image/png;base64,"]`) != 1 {
		t.Fatalf("setup page: %s", setup.visible())
	}
	wrong := b.submit(setup, `form[action="/admin/account/2fa/confirm"]`, url.Values{"code": {"000000"}})
	wrong.wantStatus(http.StatusUnprocessableEntity)
	done := b.submit(setup, `form[action="/admin/account/2fa/confirm"]`, url.Values{"code": {codeAt(t, secret, now)}}).wantStatus(http.StatusOK)
	var codes []string
	done.Doc.Find("#recovery-codes code").Each(func(_ int, s *goquery.Selection) { codes = append(codes, s.Text()) })
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes: %s", len(codes), done.visible())
	}
	return secret, codes
}

func TestTwoFactorSignIn(t *testing.T) {
	eachPageStore(t, func(t *testing.T, e *pageEnv) {
		now := pgNow
		e.app.Now = func() time.Time { return now }
		owner := e.browser(t)
		owner.login("owner@a.example")
		secret, codes := enableTwoFactor(t, owner, now)

		// The password alone no longer signs in.
		v := e.browser(t)
		second := v.post("/admin/login", url.Values{"email": {"owner@a.example"}, "password": {pgPassword}})
		second.wantText("h1", msg("zh-TW", "page.login2fa.title"))
		if r := v.get("/admin/studio-a/bookings"); !strings.HasPrefix(r.URL, "/admin/login") {
			t.Fatalf("signed in with the password alone: %s", r.URL)
		}
		// The code used to turn it on does not work again in its time step.
		again := v.submit(second, `form[action="/admin/login/2fa"]`, url.Values{"code": {codeAt(t, secret, now)}})
		again.wantStatus(http.StatusUnauthorized)
		again.wantText("#e-code", msg("zh-TW", "error.totp_wrong"))
		now = now.Add(30 * time.Second)
		in := v.submit(second, `form[action="/admin/login/2fa"]`, url.Values{"code": {codeAt(t, secret, now)}})
		if !strings.HasPrefix(in.URL, "/admin/studio-a") {
			t.Fatalf("with the code: %s", in.URL)
		}

		// A recovery code works once.
		r1 := e.browser(t)
		p := r1.post("/admin/login", url.Values{"email": {"owner@a.example"}, "password": {pgPassword}})
		if in := r1.submit(p, `form[action="/admin/login/2fa"]`, url.Values{"code": {codes[0]}}); !strings.HasPrefix(in.URL, "/admin/studio-a") {
			t.Fatalf("with a recovery code: %s", in.URL)
		}
		r2 := e.browser(t)
		p = r2.post("/admin/login", url.Values{"email": {"owner@a.example"}, "password": {pgPassword}})
		r2.submit(p, `form[action="/admin/login/2fa"]`, url.Values{"code": {codes[0]}}).wantStatus(http.StatusUnauthorized)
		owner.get("/admin/account").wantText("#totp-on", msg("zh-TW", "msg.recovery_left", "n", 9))

		// Guessing codes is throttled.
		g := e.browser(t)
		p = g.post("/admin/login", url.Values{"email": {"owner@a.example"}, "password": {pgPassword}})
		last := 0
		for i := 0; i < 8; i++ {
			last = g.submit(p, `form[action="/admin/login/2fa"]`, url.Values{"code": {"12345" + itoa(i)}}).Status
		}
		if last != http.StatusTooManyRequests {
			t.Errorf("8 wrong codes: last answer %d", last)
		}

		// The API asks for the code in otp.
		api := newAPIEnvOn(e)
		r := api.do("POST", "/api/v1/auth/token", "", map[string]any{"email": "owner@a.example", "password": pgPassword}, "X-Forwarded-For", "198.51.100.9")
		if r.status != 401 || r.apiErr().Message != msg("zh-TW", "error.otp_required") {
			t.Fatalf("API without otp: %d %s", r.status, r.body)
		}
		now = now.Add(5 * time.Minute)
		api.must(200, "POST", "/api/v1/auth/token", "", map[string]any{"email": "owner@a.example", "password": pgPassword, "otp": codeAt(t, secret, now)})

		// Turning it off needs the password and a code.
		acct := owner.get("/admin/account")
		bad := owner.submit(acct, `form[action="/admin/account/2fa/disable"]`, url.Values{"off_password": {pgPassword}, "off_code": {"000000"}})
		bad.wantText("#e-off-code", msg("zh-TW", "error.totp_wrong"))
		now = now.Add(30 * time.Second)
		off := owner.submit(acct, `form[action="/admin/account/2fa/disable"]`, url.Values{"off_password": {pgPassword}, "off_code": {codeAt(t, secret, now)}})
		off.wantText(".flash-ok", msg("zh-TW", "flash.totp_off"))
		if !e.browser(t).signIn("owner@a.example", pgPassword) {
			t.Error("after turning it off the password alone does not sign in")
		}
	})
}

// An owner can require two-factor sign-in of the studio's members: one
// without it is kept out (with the way in), and it cannot then be turned
// off; only an owner who uses it can require it.
func TestTwoFactorRequiredByStudio(t *testing.T) {
	eachPageStore(t, func(t *testing.T, e *pageEnv) {
		now := pgNow
		e.app.Now = func() time.Time { return now }
		for _, m := range []struct {
			email string
			role  daoyue.Role
		}{{"staff@a.example", daoyue.RoleStaff}, {"admin@a.example", daoyue.RoleAdmin}} {
			if _, err := e.app.EnsureMember(context.Background(), "studio-a", m.email, "", pgPassword, m.role); err != nil {
				t.Fatal(err)
			}
		}
		owner := e.browser(t)
		owner.login("owner@a.example")
		members := owner.get("/admin/studio-a/members")
		refused := owner.submit(members, `form[action="/admin/studio-a/members/two-factor"]`, nil)
		refused.wantText("#page-error", msg("zh-TW", "error.totp_owner_first"))
		admin := e.browser(t)
		admin.login("admin@a.example")
		if r := admin.post("/admin/studio-a/members/two-factor", url.Values{"required": {"on"}}); r.Status != http.StatusForbidden {
			t.Errorf("an admin requires it: %d", r.Status)
		}
		secret, _ := enableTwoFactor(t, owner, now)
		on := owner.submit(owner.get("/admin/studio-a/members"), `form[action="/admin/studio-a/members/two-factor"]`, nil)
		on.wantText("#two-factor-rule", msg("zh-TW", "msg.totp_required_on"))

		staff := e.browser(t)
		staff.post("/admin/login", url.Values{"email": {"staff@a.example"}, "password": {pgPassword}})
		out := staff.get("/admin/studio-a/bookings")
		out.wantStatus(http.StatusForbidden)
		out.wantText("main", msg("zh-TW", "error.totp_required", "studio", "甲工作室"))
		staffSecret, _ := enableTwoFactor(t, staff, now)
		staff.get("/admin/studio-a/bookings").wantStatus(http.StatusOK)
		_ = staffSecret

		// It cannot be turned off while the studio requires it.
		now = now.Add(30 * time.Second)
		acct := owner.get("/admin/account")
		kept := owner.submit(acct, `form[action="/admin/account/2fa/disable"]`, url.Values{"off_password": {pgPassword}, "off_code": {codeAt(t, secret, now)}})
		kept.wantText("#page-error", msg("zh-TW", "error.totp_required_by", "studio", "甲工作室"))
	})
}
