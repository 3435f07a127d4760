package web

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
	"github.com/daoyue/daoyue/store/storetest"
)

// The seed's steps, in a browser over real HTTP: 老師設定 → 線上會議工具 →
// 連結 Zoom → Zoom's consent page → Allow → back in DaoYue showing 已連結
// with the account; 設為預設; a confirmed online booking gets its meeting,
// whose private details only members of the workspace see; 解除連結.
func TestZoomConnectAndMeeting(t *testing.T) {
	eachZoomStore(t, func(t *testing.T, e *zoomEnv) {
		A := e.A
		b := e.browser(t)
		b.login("owner@a.example")
		settingsPath := "/admin/studio-a/practitioners/" + A.Lin.ID

		settings := b.get(settingsPath).wantStatus(http.StatusOK)
		settings.checkWellFormed("zh-TW")
		settings.wantText("#tools-h", "線上會議工具")
		if got := settings.attr("#zoom-status", "data-status"); got != "not_connected" {
			t.Fatalf("zoom status %q", got)
		}
		settings.wantText("#zoom-status", "尚未連結")
		settings.wantText("#zoom-connect", "連結 Zoom")
		settings.wantCount("#zoom-default", 0)
		settings.wantCount("#zoom-disconnect", 0)

		// 連結 Zoom: off to Zoom's consent page with a state and PKCE.
		resp := b.pressConnect(settings)
		resp.Body.Close()
		loc := resp.Header.Get("Location")
		if !strings.HasPrefix(loc, e.sim.URL()+"/oauth/authorize?") {
			t.Fatalf("connect went to %q", loc)
		}
		au, _ := url.Parse(loc)
		q := au.Query()
		if q.Get("state") == "" || q.Get("code_challenge_method") != "S256" || q.Get("redirect_uri") != e.ts.URL+"/oauth/zoom/callback" {
			t.Errorf("authorize URL query: %v", q)
		}
		var ret *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == zoomReturnCookie {
				ret = c
			}
		}
		if ret == nil || !ret.HttpOnly || ret.Path != zoomCookiePath || ret.MaxAge <= 0 || ret.MaxAge > 600 || ret.SameSite != http.SameSiteLaxMode {
			t.Errorf("return cookie: %+v", ret)
		}

		back := b.consent(loc, e.zLin.ID, true)
		if back.Query().Get("state") != q.Get("state") || back.Query().Get("code") == "" {
			t.Fatalf("Zoom's redirect: %v", back.Query())
		}
		landed := b.open(back).wantStatus(http.StatusOK)
		if landed.URL != settingsPath {
			t.Errorf("landed on %s, want the settings page the connect started from", landed.URL)
		}
		label := "Mei-Ling Lin <meiling.lin@example.com>"
		landed.wantText(".flash-ok", "已連結 Zoom:"+label)
		landed.checkWellFormed("zh-TW")
		if got := landed.attr("#zoom-status", "data-status"); got != "connected" {
			t.Fatalf("after connect: status %q: %s", got, landed.visible())
		}
		landed.wantText("#zoom-status", "已連結")
		landed.wantText("#zoom-account", label)
		landed.wantText("#zoom-default", "設為預設")
		landed.wantCount("#zoom-connect", 0)
		if landed.attr("#zoom-disconnect", "data-confirm") == "" {
			t.Error("解除連結 has no confirmation")
		}
		if z := e.apiZoomOf("studio-a", A.Lin.ID, e.api.tokA); z != (zoomToolJSON{Status: "connected", AccountLabel: label}) {
			t.Errorf("API after connect: %+v", z)
		}

		// 設為預設.
		def := b.submit(landed, `form[action$="/zoom/default"]`, nil)
		if def.URL != settingsPath {
			t.Errorf("set default landed on %s", def.URL)
		}
		def.wantText(".flash-ok", msg("zh-TW", "flash.zoom_default"))
		def.wantText("#zoom-is-default", "預設線上會議工具")
		def.wantCount("#zoom-default", 0)
		if z := e.apiZoomOf("studio-a", A.Lin.ID, e.api.tokA); !z.IsDefault || z.Status != "connected" {
			t.Errorf("API after set default: %+v", z)
		}
		var list struct{ Practitioners []practitionerJSON }
		e.api.must(200, "GET", "/api/v1/workspaces/studio-a/practitioners", e.api.tokA, nil).decode(t, &list)
		for _, p := range list.Practitioners {
			want := p.ID == A.Lin.ID
			if (p.MeetingTools.Zoom.Status == "connected") != want || p.MeetingTools.Zoom.IsDefault != want {
				t.Errorf("practitioner list: %s %+v", p.Name, p.MeetingTools.Zoom)
			}
		}

		// The availability page shows the same card, in both languages.
		av := b.get("/admin/studio-a/availability?practitioner=" + A.Lin.ID)
		if got := av.attr("#zoom-status", "data-status"); got != "connected" {
			t.Errorf("availability card: %q", got)
		}
		en := b.get("/admin/studio-a/availability?practitioner=" + A.Lin.ID + "&lang=en")
		en.checkWellFormed("en")
		en.wantText("#tools-h", "Online meeting tools")
		en.wantText("#zoom-status", "Connected")
		en.wantText("#zoom-is-default", "Default online meeting tool")
		en.wantText("#zoom-disconnect", "Disconnect")
		b.get("/?lang=zh-TW")

		// A confirmed online booking gets its meeting in Lin's Zoom.
		bk := e.book("studio-a", A.Online, A.Lin.ID, pgAt(1, 10, 0), "Zoom Client")
		got := e.wait("studio-a", bk.Booking.ID, "its meeting", func(b *daoyue.Booking) bool { return b.Meeting.Status == daoyue.MeetingCreated })
		zm, ok := e.sim.Meeting(got.Meeting.ZoomID)
		if !ok || zm.HostID != e.zLin.ID || !zm.Start.Equal(pgAt(1, 10, 0)) || zm.Duration != 60 {
			t.Fatalf("meeting in Zoom: %+v (%v)", zm, ok)
		}
		meetingID := strconv.FormatInt(zm.ID, 10)
		private := []string{zm.JoinURL, meetingID, zm.Passcode}

		m, r := e.apiMeeting("studio-a", bk.Booking.ID, e.api.tokA)
		if m.Status != "created" || m.JoinURL != zm.JoinURL || m.MeetingID != meetingID || m.Passcode != zm.Passcode ||
			m.StatusMessage != i18n.T(i18n.ZH, "meeting.note.created", nil) || m.Recreated {
			t.Errorf("API meeting: %+v", m)
		}
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("API detail Cache-Control %q", cc)
		}
		if strings.Contains(string(r.body), "start_url") || strings.Contains(string(r.body), "/s/") {
			t.Errorf("API detail has a start URL: %s", r.body)
		}
		var rows struct{ Bookings []bookingJSON }
		e.api.must(200, "GET", "/api/v1/workspaces/studio-a/bookings?tab=upcoming", e.api.tokA, nil).decode(t, &rows)
		if len(rows.Bookings) != 1 || rows.Bookings[0].Meeting.JoinURL != zm.JoinURL {
			t.Errorf("API list: %+v", rows.Bookings)
		}

		d := b.get("/admin/studio-a/bookings/" + bk.Booking.ID).wantStatus(http.StatusOK)
		d.checkWellFormed("zh-TW")
		if cc := d.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("detail Cache-Control %q", cc)
		}
		if got := d.attr("#meeting-status", "data-status"); got != "created" {
			t.Errorf("page meeting status %q", got)
		}
		d.wantText("#meeting-status", "會議已建立")
		d.wantText("#meeting-join-url", zm.JoinURL)
		if href := d.attr("#meeting-join-url", "href"); href != zm.JoinURL {
			t.Errorf("join link href %q", href)
		}
		d.wantText("#meeting-id", meetingID)
		d.wantText("#meeting-passcode", zm.Passcode)
		d.wantCount("button[data-copy]", 3)
		d.wantCount("#meeting-retry", 0)
		d.wantNoText("/s/")
		list2 := b.get("/admin/studio-a/bookings?tab=upcoming")
		list2.wantText("tr.booking-row:contains('Zoom Client') .meeting-cell", "會議已建立")
		if got := list2.attr("tr.booking-row:contains('Zoom Client') .meeting-cell .badge", "data-status"); got != "created" {
			t.Errorf("list meeting badge %q", got)
		}
		en = b.get("/admin/studio-a/bookings/" + bk.Booking.ID + "?lang=en")
		en.checkWellFormed("en")
		en.wantText("#meeting-status", "Meeting ready")
		en.wantText("#meet-h", "Online meeting")
		b.get("/?lang=zh-TW")

		// Members of another studio see nothing of it.
		other := e.browser(t)
		other.login("owner@b.example")
		op := other.get("/admin/studio-a/bookings/" + bk.Booking.ID)
		op.wantStatus(http.StatusNotFound)
		r = e.api.do("GET", "/api/v1/workspaces/studio-a/bookings/"+bk.Booking.ID, e.api.tokB, nil)
		if r.status != http.StatusNotFound {
			t.Errorf("B's owner: %d", r.status)
		}
		leaks := func(where, body string) {
			t.Helper()
			for _, s := range private {
				if strings.Contains(body, s) {
					t.Errorf("%s shows a private meeting detail (%q)", where, s)
				}
			}
		}
		leaks("another studio's page", op.HTML)
		leaks("another studio's API", string(r.body))
		if r := e.api.do("GET", "/api/v1/workspaces/studio-a/bookings/"+bk.Booking.ID, "", nil); r.status != http.StatusUnauthorized {
			t.Errorf("anonymous API: %d", r.status)
		} else {
			leaks("anonymous API", string(r.body))
		}

		// Never in the public API, the public pages, the manage page or the audit log.
		for _, p := range []string{"/api/v1/public/bookings/" + bk.ManageToken, "/api/v1/public/workspaces/studio-a",
			"/api/v1/public/workspaces/studio-a/slots?service_id=" + A.Online.ID + "&from=2030-01-08&to=2030-01-08"} {
			leaks(p, string(e.api.must(200, "GET", p, "", nil).body))
		}
		leaks("audit", string(e.api.must(200, "GET", "/api/v1/workspaces/studio-a/audit?limit=200", e.api.tokA, nil).body))
		client := e.browser(t)
		for _, p := range []string{"/w/studio-a", "/w/studio-a?service=" + A.Online.ID, "/b/" + bk.ManageToken, "/b/" + bk.ManageToken + "?reschedule=1"} {
			leaks(p, client.get(p).wantStatus(http.StatusOK).HTML)
		}
		// Even a member signed in on the same browser sees none of it there.
		leaks("manage page for a member", b.get("/b/"+bk.ManageToken).HTML)

		// 解除連結: tokens revoked at Zoom and deleted; the booking keeps its details.
		settings = b.get(settingsPath)
		dis := b.submit(settings, `form[action$="/zoom/disconnect"]`, nil)
		dis.wantText(".flash-ok", msg("zh-TW", "flash.zoom_disconnected"))
		if got := dis.attr("#zoom-status", "data-status"); got != "not_connected" {
			t.Errorf("after disconnect: %q", got)
		}
		dis.wantCount("#zoom-connect", 1)
		if c := e.connection("studio-a", A.Lin.ID); c != nil {
			t.Errorf("connection kept after disconnect: %+v", c.ID)
		}
		if n := e.sim.LiveRefreshTokens(e.zLin.ID) + e.sim.LiveAccessTokens(e.zLin.ID); n != 0 {
			t.Errorf("%d tokens still live at Zoom", n)
		}
		if z := e.apiZoomOf("studio-a", A.Lin.ID, e.api.tokA); z.Status != "not_connected" || z.AccountLabel != "" || z.IsDefault {
			t.Errorf("API after disconnect: %+v", z)
		}
		b.get("/admin/studio-a/bookings/"+bk.Booking.ID).wantText("#meeting-join-url", zm.JoinURL)
	})
}

// The API's connect: any HTTP client follows authorize_url, and Zoom's
// redirect completes it (here in a browser without a session).
func TestZoomConnectThroughAPI(t *testing.T) {
	eachZoomStore(t, func(t *testing.T, e *zoomEnv) {
		A := e.A
		base := "/api/v1/workspaces/studio-a/practitioners/" + A.Chen.ID + "/zoom"
		var out struct {
			AuthorizeURL string `json:"authorize_url"`
		}
		e.api.must(200, "POST", base+"/connect", e.api.tokA, nil).decode(t, &out)
		if !strings.HasPrefix(out.AuthorizeURL, e.sim.URL()+"/oauth/authorize?") {
			t.Fatalf("authorize_url %q", out.AuthorizeURL)
		}
		// Before Zoom answers: set default and disconnect have nothing to act on.
		if r := e.api.do("POST", base+"/default", e.api.tokA, nil); r.status != http.StatusConflict || r.code() != "invalid_transition" {
			t.Errorf("default before connect: %d %s", r.status, r.body)
		}
		if r := e.api.do("DELETE", base, e.api.tokA, nil); r.status != http.StatusConflict {
			t.Errorf("disconnect before connect: %d %s", r.status, r.body)
		}
		if r := e.api.do("POST", base+"/connect", e.api.tokA, map[string]any{"x": 1}); r.status != http.StatusUnprocessableEntity {
			t.Errorf("connect with a body: %d", r.status)
		}
		if r := e.api.do("POST", base+"/connect", "", nil); r.status != http.StatusUnauthorized {
			t.Errorf("anonymous connect: %d", r.status)
		}
		if r := e.api.do("POST", "/api/v1/workspaces/studio-a/practitioners/nope/zoom/connect", e.api.tokA, nil); r.status != http.StatusNotFound {
			t.Errorf("unknown practitioner: %d", r.status)
		}

		anon := e.browser(t)
		back := anon.consent(out.AuthorizeURL, e.zChen.ID, true)
		resp := anon.do(mustGet(t, back.String()))
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/studio-a/availability?practitioner="+A.Chen.ID {
			t.Fatalf("callback answered %d → %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		z := e.apiZoomOf("studio-a", A.Chen.ID, e.api.tokA)
		if z.Status != "connected" || z.AccountLabel != "Wei Chen <wei.chen@example.com>" || z.IsDefault {
			t.Fatalf("after connect: %+v", z)
		}
		var p practitionerJSON
		e.api.must(200, "POST", base+"/default", e.api.tokA, nil).decode(t, &p)
		if p.ID != A.Chen.ID || !p.MeetingTools.Zoom.IsDefault {
			t.Errorf("set default answered %+v", p)
		}
		e.api.must(200, "DELETE", base, e.api.tokA, nil).decode(t, &p)
		if p.MeetingTools.Zoom != (zoomToolJSON{Status: "not_connected"}) {
			t.Errorf("disconnect answered %+v", p.MeetingTools.Zoom)
		}
		if n := e.sim.LiveRefreshTokens(e.zChen.ID); n != 0 {
			t.Errorf("%d refresh tokens live after disconnect", n)
		}
	})
}

// Everything that can go wrong on the way back from Zoom ends on a page
// that says what happened, never a 500, and connects nothing.
func TestZoomConnectRefused(t *testing.T) {
	eachZoomStore(t, func(t *testing.T, e *zoomEnv) {
		A := e.A
		b := e.browser(t)
		b.login("owner@a.example")
		avPath := func(pid string) string { return "/admin/studio-a/availability?practitioner=" + pid }
		start := func(br *browser, pid string) string {
			t.Helper()
			resp := br.pressConnect(br.get(avPath(pid)))
			resp.Body.Close()
			return resp.Header.Get("Location")
		}

		// Deny on Zoom's page.
		back := b.consent(start(b, A.Chen.ID), e.zChen.ID, false)
		if back.Query().Get("error") != "access_denied" {
			t.Fatalf("deny: %v", back.Query())
		}
		p := b.open(back).wantStatus(http.StatusOK)
		if p.URL != avPath(A.Chen.ID) {
			t.Errorf("deny landed on %s", p.URL)
		}
		p.wantText("#page-error", "您在 Zoom 選擇了拒絕,尚未連結。")
		if got := p.attr("#zoom-status", "data-status"); got != "not_connected" {
			t.Errorf("after deny: %q", got)
		}
		p.checkWellFormed("zh-TW")
		enB := e.browser(t)
		enB.lang = "en"
		enB.login("owner@a.example")
		p = enB.open(enB.consent(start(enB, A.Chen.ID), e.zChen.ID, false))
		p.wantText("#page-error", "You chose Deny in Zoom; Zoom is not connected.")
		p.checkWellFormed("en")

		// A replayed callback: the state is single use.
		back = b.consent(start(b, A.Chen.ID), e.zChen.ID, true)
		b.open(back).wantText(".flash-ok", "已連結 Zoom")
		again := b.open(back).wantStatus(http.StatusOK)
		again.wantText("#page-error", msg("zh-TW", "error.zoom_state"))
		if c := e.connection("studio-a", A.Chen.ID); c == nil || c.Status != daoyue.ConnConnected {
			t.Errorf("the replay broke Chen's connection: %+v", c)
		}

		// An expired state (after 10 minutes).
		back = b.consent(start(b, A.Lin.ID), e.zLin.ID, true)
		e.clock.Advance(daoyue.OAuthStateTTL + time.Minute)
		late := b.open(back).wantStatus(http.StatusOK)
		if late.URL != avPath(A.Lin.ID) {
			t.Errorf("expired state landed on %s", late.URL)
		}
		late.wantText("#page-error", msg("zh-TW", "error.zoom_state"))
		if got := late.attr("#zoom-status", "data-status"); got != "not_connected" {
			t.Errorf("expired state connected Lin: %q", got)
		}

		// A Zoom account already connected to another practitioner.
		back = b.consent(start(b, A.Lin.ID), e.zChen.ID, true)
		bound := b.open(back).wantStatus(http.StatusOK)
		if bound.URL != avPath(A.Lin.ID) {
			t.Errorf("bound landed on %s", bound.URL)
		}
		chenLabel := "Wei Chen <wei.chen@example.com>"
		bound.wantText("#page-error", msg("zh-TW", "error.zoom_user_bound", "account", chenLabel, "practitioner", A.Chen.Name))
		if got := bound.attr("#zoom-status", "data-status"); got != "not_connected" {
			t.Errorf("bound account connected to Lin: %q", got)
		}
		// The existing binding keeps working with the fresh tokens Zoom issued.
		if n := e.sim.LiveRefreshTokens(e.zChen.ID); n != 1 {
			t.Errorf("%d live refresh tokens for Chen's Zoom", n)
		}
		chen := b.get(avPath(A.Chen.ID))
		chen = b.submit(chen, `form[action$="/zoom/default"]`, nil)
		chen.wantText(".flash-ok", msg("zh-TW", "flash.zoom_default"))
		bk := e.book("studio-a", A.Online, A.Chen.ID, pgAt(1, 14, 0), "After Bound")
		e.wait("studio-a", bk.Booking.ID, "its meeting", func(b *daoyue.Booking) bool { return b.Meeting.Status == daoyue.MeetingCreated })

		// The callback of one member's connect, opened in another member's session.
		if _, err := e.app.EnsureMember(context.Background(), "studio-a", "staff@a.example", "Staff", pgPassword, daoyue.RoleStaff); err != nil {
			t.Fatal(err)
		}
		staff := e.browser(t)
		staff.login("staff@a.example")
		back = b.consent(start(b, A.Lin.ID), e.zLin.ID, true)
		wrong := staff.open(back).wantStatus(http.StatusOK)
		wrong.wantText("#page-error", msg("zh-TW", "error.zoom_state_other_member"))
		if c := e.connection("studio-a", A.Lin.ID); c != nil {
			t.Error("another member's session completed the connect")
		}

		// The callback without anything, and a stray error without a state.
		b.get("/oauth/zoom/callback").wantStatus(http.StatusUnprocessableEntity).wantText("main", msg("zh-TW", "error.zoom_callback"))
		b.get("/oauth/zoom/callback?error=access_denied").wantStatus(http.StatusUnprocessableEntity)
		// A forged code without a state lands on the install page and is
		// never sent to Zoom.
		calls := e.sim.Calls("POST", "/oauth/token")
		if p := b.get("/oauth/zoom/callback?code=forged").wantStatus(http.StatusOK); p.URL != "/oauth/zoom/install" || e.sim.Calls("POST", "/oauth/token") != calls {
			t.Errorf("a forged install code: %s, %d token calls", p.URL, e.sim.Calls("POST", "/oauth/token")-calls)
		}

		// A card action on another studio's practitioner is not found.
		r := b.raw(http.MethodPost, "/admin/studio-b/practitioners/"+e.B.Lin.ID+"/zoom/connect", url.Values{})
		r.Body.Close()
		if r.StatusCode != http.StatusNotFound {
			t.Errorf("connect B's practitioner: %d", r.StatusCode)
		}
		r = b.raw(http.MethodPost, "/admin/studio-a/practitioners/"+e.B.Lin.ID+"/zoom/connect", url.Values{})
		r.Body.Close()
		if r.StatusCode != http.StatusNotFound {
			t.Errorf("connect B's practitioner in A: %d", r.StatusCode)
		}
		// A return path elsewhere is ignored.
		r = b.raw(http.MethodPost, "/admin/studio-a/practitioners/"+A.Lin.ID+"/zoom/default", url.Values{"return": {"https://evil.example/"}})
		r.Body.Close()
		if got := r.Header.Get("Location"); got != avPath(A.Lin.ID) {
			t.Errorf("default with a foreign return went to %q", got)
		}
	})
}

func mustGet(t *testing.T, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// The logs name routes, never the code, the state or the install secret of
// an authorization.
func TestZoomCallbackNotLogged(t *testing.T) {
	onZoomSQLite(t, func(t *testing.T, e *zoomEnv) {
		var buf syncBuffer
		log := slog.New(slog.NewTextHandler(&buf, nil))
		e.app.Log = log
		e.ts.Config.Handler = New(Config{App: e.app, Store: e.db, Log: log, BaseURL: e.ts.URL, ZoomWebhookSecret: zoomWebhookSecret})
		b := e.browser(t)
		b.login("owner@a.example")
		resp := b.pressConnect(b.get("/admin/studio-a/availability?practitioner=" + e.A.Lin.ID))
		resp.Body.Close()
		back := b.consent(resp.Header.Get("Location"), e.zLin.ID, true)
		b.open(back).wantText(".flash-ok", "已連結 Zoom")
		b.open(back).wantText("#page-error", msg("zh-TW", "error.zoom_state")) // replay: logged too
		b.get("/oauth/zoom/callback?code=forged-code-123&state=forged-state-456")
		inst := b.consent(e.sim.URL()+"/oauth/authorize?"+url.Values{"response_type": {"code"}, "client_id": {e.sim.ClientID()},
			"redirect_uri": {e.ts.URL + "/oauth/zoom/callback"}}.Encode(), e.zChen.ID, true)
		b.open(inst).wantStatus(http.StatusOK)
		logs := buf.String()
		if !strings.Contains(logs, `route="GET /oauth/zoom/callback"`) || !strings.Contains(logs, `route="POST /admin/{slug}/practitioners/{pid}/zoom/connect"`) {
			t.Errorf("routes not logged:\n%s", logs)
		}
		for _, secret := range []string{back.Query().Get("code"), back.Query().Get("state"), inst.Query().Get("code"), "forged-code-123", "forged-state-456"} {
			if strings.Contains(logs, secret) {
				t.Errorf("the logs hold %q", secret)
			}
		}
	})
}

// onZoomSQLite runs fn with a Zoom environment on SQLite only.
func onZoomSQLite(t *testing.T, fn func(t *testing.T, e *zoomEnv)) {
	fn(t, newZoomEnv(t, storetest.NewSQLite(t)))
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
