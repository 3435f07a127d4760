package zoom_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/daoyue/daoyue/zoom"
	"github.com/daoyue/daoyue/zoom/zoomsim"
	"github.com/daoyue/daoyue/zoom/zoomsim/zoomsimtest"
)

const redirect = "https://daoyue.test/oauth/zoom/callback"

var t0 = time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC)

// world is one simulator and a client configured for it.
type world struct {
	t     *testing.T
	s     *zoomsim.Sim
	c     *zoom.Client
	clock *zoomsim.Clock
	// secrets collects every secret the test handled; checkErr makes sure
	// no error text contains one.
	mu      sync.Mutex
	secrets []string
}

func newWorld(t *testing.T, o zoomsim.Options, cfg zoom.Config) *world {
	t.Helper()
	clock := zoomsim.NewClock(t0)
	o.Now = clock.Now
	if o.RedirectURLs == nil {
		o.RedirectURLs = []string{redirect}
	}
	s := zoomsimtest.NewServer(t, o)
	cfg.ClientID, cfg.ClientSecret = s.ClientID(), s.ClientSecret()
	if cfg.OAuthURL == "" {
		cfg.OAuthURL = s.URL()
	}
	if cfg.APIURL == "" {
		cfg.APIURL = s.APIURL()
	}
	cfg.RedirectURL = redirect
	cfg.Now = clock.Now
	w := &world{t: t, s: s, c: zoom.New(cfg), clock: clock}
	w.keep(s.ClientSecret())
	return w
}

func (w *world) keep(secrets ...string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.secrets = append(w.secrets, secrets...)
}

func (w *world) keepToken(tk *zoom.Token) { w.keep(tk.AccessToken, tk.RefreshToken) }

func (w *world) keepMeeting(m *zoom.Meeting) {
	w.keep(m.JoinURL, m.Password, fmt.Sprint(m.ID))
}

// checkErr fails when err's text contains any secret seen so far.
func (w *world) checkErr(err error) {
	w.t.Helper()
	if err == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, s := range w.secrets {
		if s != "" && strings.Contains(err.Error(), s) {
			w.t.Errorf("error %q contains a secret", err)
		}
	}
}

// connect authorizes userID with PKCE through the consent page.
func (w *world) connect(userID string) *zoom.Token {
	w.t.Helper()
	verifier, challenge := zoom.NewPKCE()
	loc, err := w.s.Consent(context.Background(), w.c.AuthorizeURL("st", challenge), userID, true)
	if err != nil {
		w.t.Fatalf("consent: %v", err)
	}
	code := loc.Query().Get("code")
	w.keep(code, verifier)
	tk, err := w.c.Exchange(context.Background(), code, verifier)
	if err != nil {
		w.t.Fatalf("exchange: %v", err)
	}
	w.keepToken(tk)
	return tk
}

func (w *world) user(i int) string { return w.s.Users()[i].ID }

var ctx = context.Background()

func booking() zoom.MeetingRequest {
	taipei, _ := time.LoadLocation("Asia/Taipei")
	return zoom.MeetingRequest{Topic: "線上一對一瑜珈", Start: time.Date(2026, 3, 10, 14, 0, 0, 0, taipei),
		Duration: 60 * time.Minute, TimeZone: "Asia/Taipei", Agenda: "Bring a mat."}
}

func TestAuthorizeURL(t *testing.T) {
	t.Parallel()
	c := zoom.New(zoom.Config{ClientID: "cid", OAuthURL: "https://zoom.us/", RedirectURL: redirect})
	verifier, challenge := zoom.NewPKCE()
	if len(verifier) != 43 || zoom.PKCEChallenge(verifier) != challenge {
		t.Fatalf("PKCE %q %q", verifier, challenge)
	}
	if v2, _ := zoom.NewPKCE(); v2 == verifier {
		t.Fatal("PKCE verifiers repeat")
	}
	u, err := url.Parse(c.AuthorizeURL("s1", challenge))
	if err != nil || u.Scheme+"://"+u.Host+u.Path != "https://zoom.us/oauth/authorize" {
		t.Fatalf("authorize URL %v %v", u, err)
	}
	want := url.Values{"response_type": {"code"}, "client_id": {"cid"}, "redirect_uri": {redirect}, "state": {"s1"},
		"code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	if u.Query().Encode() != want.Encode() {
		t.Fatalf("query %s, want %s", u.Query().Encode(), want.Encode())
	}
}

// TestFullFlow drives the consent page with plain HTTP requests (GET the
// page, POST the Allow form), then exchanges the code and runs the meeting
// calls.
func TestFullFlow(t *testing.T) {
	t.Parallel()
	w := newWorld(t, zoomsim.Options{}, zoom.Config{})
	verifier, challenge := zoom.NewPKCE()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(w.c.AuthorizeURL("state-123", challenge))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(page, []byte(`id="allow"`)) || !bytes.Contains(page, []byte(`id="deny"`)) || !bytes.Contains(page, []byte("DaoYue")) {
		t.Fatalf("consent page %d:\n%s", resp.StatusCode, page)
	}
	rid := regexp.MustCompile(`name="request_id" value="([^"]+)"`).FindSubmatch(page)[1]
	u := w.s.Users()[0]
	resp, err = hc.PostForm(w.s.URL()+"/oauth/authorize", url.Values{"request_id": {string(rid)}, "user": {u.ID}, "action": {"allow"}})
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("allow: %v %v", resp, err)
	}
	resp.Body.Close()
	loc, _ := resp.Location()
	if loc.Query().Get("state") != "state-123" {
		t.Fatalf("state %q", loc.Query().Get("state"))
	}
	code := loc.Query().Get("code")
	w.keep(code, verifier)

	tk, err := w.c.Exchange(ctx, code, verifier)
	if err != nil {
		t.Fatal(err)
	}
	w.keepToken(tk)
	if !tk.HasScopes(zoom.Scopes...) || tk.APIURL != w.s.URL() || !tk.ExpiresAt.Equal(t0.Add(3599*time.Second)) || tk.RefreshToken == "" {
		t.Fatalf("token %v", tk)
	}
	for _, leak := range []string{fmt.Sprint(tk), fmt.Sprintf("%+v", *tk), fmt.Sprintf("%#v", *tk), fmt.Sprint(tk.Auth())} {
		if strings.Contains(leak, tk.AccessToken) || strings.Contains(leak, tk.RefreshToken) {
			t.Fatalf("printing a token leaks it: %s", leak)
		}
	}

	me, err := w.c.Me(ctx, tk.Auth())
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != u.ID || me.AccountID != u.AccountID || me.Email != u.Email || me.DisplayName != "Mei-Ling Lin" || me.Timezone != "Asia/Taipei" ||
		me.Label() != "Mei-Ling Lin <meiling.lin@example.com>" {
		t.Fatalf("me %+v", me)
	}

	req := booking()
	m, err := w.c.CreateMeeting(ctx, tk.Auth(), req)
	if err != nil {
		t.Fatal(err)
	}
	w.keepMeeting(m)
	sm, ok := w.s.Meeting(m.ID)
	if !ok {
		t.Fatal("meeting not in the simulator")
	}
	if !m.Start.Equal(req.Start) || m.Start.Location() != time.UTC || m.Duration != 60 || m.TimeZone != "Asia/Taipei" ||
		m.JoinURL != sm.JoinURL || m.Password != sm.Passcode {
		t.Fatalf("meeting %+v vs simulator %+v", m, sm)
	}
	if !sm.Start.Equal(time.Date(2026, 3, 10, 6, 0, 0, 0, time.UTC)) || sm.TimeZone != "Asia/Taipei" || sm.Topic != req.Topic ||
		sm.Agenda != req.Agenda || !sm.WaitingRoom || sm.JoinBeforeHost || sm.Type != 2 {
		t.Fatalf("simulator meeting %+v", sm)
	}
	if !regexp.MustCompile(`^[A-Za-z0-9@_*\-]{1,10}$`).MatchString(sm.Passcode) {
		t.Fatalf("passcode %q", sm.Passcode)
	}
	if s := fmt.Sprint(*m) + fmt.Sprintf("%#v", *m); strings.Contains(s, m.JoinURL) || strings.Contains(s, m.Password) {
		t.Fatalf("printing a meeting leaks it: %s", s)
	}

	req.Start = req.Start.Add(24 * time.Hour)
	req.Duration = 90 * time.Minute
	if err := w.c.UpdateMeeting(ctx, tk.Auth(), m.ID, req); err != nil {
		t.Fatal(err)
	}
	sm, _ = w.s.Meeting(m.ID)
	if !sm.Start.Equal(time.Date(2026, 3, 11, 6, 0, 0, 0, time.UTC)) || sm.Duration != 90 || sm.JoinURL != m.JoinURL || sm.Topic != "線上一對一瑜珈" {
		t.Fatalf("after update %+v", sm)
	}

	if err := w.c.DeleteMeeting(ctx, tk.Auth(), m.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := w.s.Meeting(m.ID); ok {
		t.Fatal("meeting survived the delete")
	}
	err = w.c.DeleteMeeting(ctx, tk.Auth(), m.ID)
	if !zoom.IsNotFound(err) || zoom.IsTemporary(err) {
		t.Fatalf("second delete: %v", err)
	}
	w.checkErr(err)
	err = w.c.UpdateMeeting(ctx, tk.Auth(), m.ID, req)
	if !zoom.IsNotFound(err) {
		t.Fatalf("update of a deleted meeting: %v", err)
	}
	w.checkErr(err)
	if n := w.s.Calls("GET", "/v2/meetings/{id}"); n != 0 {
		t.Fatalf("the client read a meeting (%d): DaoYue has no read scope", n)
	}
}

func TestDenyCarriesNoCode(t *testing.T) {
	t.Parallel()
	w := newWorld(t, zoomsim.Options{}, zoom.Config{})
	_, challenge := zoom.NewPKCE()
	loc, err := w.s.Consent(ctx, w.c.AuthorizeURL("st", challenge), "", false)
	if err != nil || loc.Query().Get("error") != "access_denied" || loc.Query().Has("code") {
		t.Fatalf("deny: %v %v", loc, err)
	}
}

func TestExchangeErrors(t *testing.T) {
	t.Parallel()
	w := newWorld(t, zoomsim.Options{}, zoom.Config{})
	verifier, challenge := zoom.NewPKCE()
	loc, _ := w.s.Consent(ctx, w.c.AuthorizeURL("st", challenge), "", true)
	code := loc.Query().Get("code")
	w.keep(code, verifier)

	other, _ := zoom.NewPKCE()
	w.keep(other)
	_, err := w.c.Exchange(ctx, code, other)
	if !zoom.IsInvalidGrant(err) || zoom.IsTemporary(err) || zoom.IsUnauthorized(err) {
		t.Fatalf("wrong verifier: %v", err)
	}
	w.checkErr(err)
	// The code was burned by the failed attempt: single use.
	_, err = w.c.Exchange(ctx, code, verifier)
	if !zoom.IsInvalidGrant(err) {
		t.Fatalf("reused code: %v", err)
	}
	w.checkErr(err)

	loc, _ = w.s.Consent(ctx, w.c.AuthorizeURL("st", challenge), "", true)
	code = loc.Query().Get("code")
	w.keep(code)
	w.clock.Advance(5*time.Minute + time.Second)
	_, err = w.c.Exchange(ctx, code, verifier)
	if !zoom.IsInvalidGrant(err) {
		t.Fatalf("expired code: %v", err)
	}
	w.checkErr(err)

	bad := zoom.New(zoom.Config{ClientID: w.s.ClientID(), ClientSecret: "not-the-secret", OAuthURL: w.s.URL(), RedirectURL: redirect})
	w.keep("not-the-secret")
	_, err = bad.Exchange(ctx, "whatever-code", verifier)
	if !zoom.IsInvalidClient(err) || zoom.IsInvalidGrant(err) {
		t.Fatalf("bad client: %v", err)
	}
	w.checkErr(err)
	if _, err := w.c.Exchange(ctx, "", ""); !errors.Is(err, zoom.ErrInvalidRequest) {
		t.Fatalf("empty code: %v", err)
	}
}

func TestRefreshRotates(t *testing.T) {
	t.Parallel()
	w := newWorld(t, zoomsim.Options{}, zoom.Config{})
	u := w.user(0)
	first := w.connect(u)
	w.clock.Advance(30 * time.Minute)
	second, err := w.c.Refresh(ctx, first.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	w.keepToken(second)
	if second.RefreshToken == first.RefreshToken || second.AccessToken == first.AccessToken ||
		!second.ExpiresAt.Equal(t0.Add(30*time.Minute+3599*time.Second)) || second.APIURL != w.s.URL() {
		t.Fatalf("refreshed token %v", second)
	}
	_, err = w.c.Refresh(ctx, first.RefreshToken)
	if !zoom.IsInvalidGrant(err) {
		t.Fatalf("old refresh token: %v", err)
	}
	w.checkErr(err)
	var ze *zoom.Error
	if !errors.As(err, &ze) || ze.Status != 400 || ze.Reason != "invalid_grant" || ze.Message != "Invalid Token!" {
		t.Fatalf("error fields %+v", ze)
	}
	if w.s.LiveRefreshTokens(u) != 1 {
		t.Fatalf("live refresh tokens %d", w.s.LiveRefreshTokens(u))
	}
	third, err := w.c.Refresh(ctx, second.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	w.keepToken(third)
	if _, err := w.c.Me(ctx, third.Auth()); err != nil {
		t.Fatal(err)
	}
}

func TestAccessTokenExpiresAfterAnHour(t *testing.T) {
	t.Parallel()
	w := newWorld(t, zoomsim.Options{}, zoom.Config{})
	tk := w.connect(w.user(0))
	w.clock.Advance(time.Hour)
	_, err := w.c.Me(ctx, tk.Auth())
	var ze *zoom.Error
	if !zoom.IsUnauthorized(err) || !errors.As(err, &ze) || ze.Code != 124 || ze.Message != "Access token is expired." {
		t.Fatalf("expired: %v", err)
	}
	w.checkErr(err)
	fresh, err := w.c.Refresh(ctx, tk.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	w.keepToken(fresh)
	if _, err := w.c.Me(ctx, fresh.Auth()); err != nil {
		t.Fatal(err)
	}
}

func TestReauthorizationRevokesEarlierTokens(t *testing.T) {
	t.Parallel()
	w := newWorld(t, zoomsim.Options{}, zoom.Config{})
	first := w.connect(w.user(0))
	second := w.connect(w.user(0))
	if _, err := w.c.Me(ctx, first.Auth()); !zoom.IsUnauthorized(err) {
		t.Fatalf("first access token after re-authorization: %v", err)
	}
	if _, err := w.c.Refresh(ctx, first.RefreshToken); !zoom.IsInvalidGrant(err) {
		t.Fatalf("first refresh token after re-authorization: %v", err)
	}
	if _, err := w.c.Me(ctx, second.Auth()); err != nil {
		t.Fatal(err)
	}
}

func TestRevoke(t *testing.T) {
	t.Parallel()
	w := newWorld(t, zoomsim.Options{}, zoom.Config{})
	tk := w.connect(w.user(0))
	if err := w.c.Revoke(ctx, tk.AccessToken); err != nil {
		t.Fatal(err)
	}
	_, err := w.c.Me(ctx, tk.Auth())
	if !zoom.IsUnauthorized(err) {
		t.Fatalf("after revoke: %v", err)
	}
	w.checkErr(err)
	_, err = w.c.Refresh(ctx, tk.RefreshToken)
	if !zoom.IsInvalidGrant(err) {
		t.Fatalf("refresh after revoke: %v", err)
	}
	w.checkErr(err)
}

func TestErrorPredicates(t *testing.T) {
	t.Parallel()
	w := newWorld(t, zoomsim.Options{}, zoom.Config{})
	tk := w.connect(w.user(0))
	a := tk.Auth()
	me := func() error {
		_, err := w.c.Me(ctx, a)
		w.checkErr(err)
		return err
	}

	w.s.FailNext(1, 503)
	err := me()
	var ze *zoom.Error
	if !zoom.IsTemporary(err) || zoom.IsUnauthorized(err) || !errors.As(err, &ze) || ze.Status != 503 || strings.Contains(err.Error(), "<") {
		t.Errorf("503 HTML: %v", err)
	}
	w.s.FailNext(1, 500)
	if err := me(); !zoom.IsTemporary(err) || !errors.As(err, &ze) || ze.Code != 500 {
		t.Errorf("500 JSON: %v", err)
	}
	w.s.FailNext(1, 404)
	if err := me(); !zoom.IsNotFound(err) || zoom.IsTemporary(err) {
		t.Errorf("404: %v", err)
	}

	w.s.RateLimitNext(1, 7*time.Second)
	err = me()
	if !zoom.IsRateLimited(err) || zoom.IsTemporary(err) || zoom.RetryAfter(err) != 7*time.Second {
		t.Errorf("429: %v (retry after %v)", err, zoom.RetryAfter(err))
	}

	w.s.ExpireAccessTokens()
	if err := me(); !zoom.IsUnauthorized(err) || zoom.IsInvalidGrant(err) {
		t.Errorf("expired: %v", err)
	}
	tk2, err := w.c.Refresh(ctx, tk.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	w.keepToken(tk2)
	a = tk2.Auth()

	w.s.SetDown(true)
	err = me()
	if !zoom.IsTemporary(err) || !errors.As(err, &ze) || ze.Status != 0 {
		t.Errorf("down: %v", err)
	}
	_, err = w.c.Refresh(ctx, tk2.RefreshToken)
	if !zoom.IsTemporary(err) || zoom.IsInvalidGrant(err) {
		t.Errorf("refresh while down: %v", err)
	}
	w.checkErr(err)
	w.s.SetDown(false)

	w.s.FailNextOAuth(1, 502)
	_, err = w.c.Refresh(ctx, tk2.RefreshToken)
	if !zoom.IsTemporary(err) || zoom.IsInvalidGrant(err) {
		t.Errorf("refresh 502: %v", err)
	}
	w.checkErr(err)
	// The 502 did not burn the refresh token.
	tk3, err := w.c.Refresh(ctx, tk2.RefreshToken)
	if err != nil {
		t.Fatalf("refresh after a 502: %v", err)
	}
	w.keepToken(tk3)
	a = tk3.Auth()

	w.s.SetLatency(200 * time.Millisecond)
	slow := zoom.New(zoom.Config{APIURL: w.s.APIURL(), HTTPClient: &http.Client{Timeout: 20 * time.Millisecond}})
	_, err = slow.Me(ctx, a)
	if !zoom.IsTemporary(err) || !strings.Contains(err.Error(), "timed out") {
		t.Errorf("timeout: %v", err)
	}
	w.checkErr(err)
	w.s.SetLatency(0)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = w.c.Me(cancelled, a)
	if zoom.IsTemporary(err) || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}

	m, err := w.c.CreateMeeting(ctx, a, booking())
	if err != nil {
		t.Fatal(err)
	}
	w.keepMeeting(m)
	w.s.DeleteMeetingAsHost(m.ID)
	err = w.c.UpdateMeeting(ctx, a, m.ID, booking())
	if !zoom.IsNotFound(err) || !errors.As(err, &ze) || ze.Code != 3001 {
		t.Errorf("deleted in Zoom: %v", err)
	}
	w.checkErr(err)

	m, _ = w.c.CreateMeeting(ctx, a, booking())
	w.keepMeeting(m)
	w.s.StartMeeting(m.ID)
	err = w.c.DeleteMeeting(ctx, a, m.ID)
	if !errors.As(err, &ze) || ze.Code != 3002 || zoom.IsNotFound(err) || zoom.IsTemporary(err) {
		t.Errorf("in progress: %v", err)
	}
	w.checkErr(err)

	if _, err := w.c.CreateMeeting(ctx, a, zoom.MeetingRequest{Start: t0}); !errors.Is(err, zoom.ErrInvalidRequest) {
		t.Errorf("zero duration: %v", err)
	}
	if err := w.c.DeleteMeeting(ctx, zoom.Auth{}, 1); !errors.Is(err, zoom.ErrInvalidRequest) {
		t.Errorf("no token: %v", err)
	}
}

func TestMissingScope(t *testing.T) {
	t.Parallel()
	w := newWorld(t, zoomsim.Options{Scopes: []string{"meeting:write:meeting", "user:read:user"}}, zoom.Config{})
	tk := w.connect(w.user(0))
	if tk.HasScopes(zoom.Scopes...) {
		t.Fatal("HasScopes true with two scopes missing")
	}
	m, err := w.c.CreateMeeting(ctx, tk.Auth(), booking())
	if err != nil {
		t.Fatal(err)
	}
	w.keepMeeting(m)
	err = w.c.DeleteMeeting(ctx, tk.Auth(), m.ID)
	if !zoom.IsMissingScope(err) || zoom.IsUnauthorized(err) || zoom.IsTemporary(err) {
		t.Fatalf("missing scope: %v", err)
	}
	w.checkErr(err)
}

func TestDailyCapRetryAfter(t *testing.T) {
	t.Parallel()
	w := newWorld(t, zoomsim.Options{DailyLimit: 2}, zoom.Config{})
	tk := w.connect(w.user(0))
	for i := 0; i < 2; i++ {
		m, err := w.c.CreateMeeting(ctx, tk.Auth(), booking())
		if err != nil {
			t.Fatal(err)
		}
		w.keepMeeting(m)
	}
	_, err := w.c.CreateMeeting(ctx, tk.Auth(), booking())
	// t0 is 01:30 UTC: the cap lifts at 00:00 UTC, 22.5 hours later.
	if !zoom.IsRateLimited(err) || zoom.RetryAfter(err) != 22*time.Hour+30*time.Minute {
		t.Fatalf("daily cap: %v, retry after %v", err, zoom.RetryAfter(err))
	}
	w.checkErr(err)
}

// TestAPIURLHonoured mounts the simulator under a prefix and gives the
// client a dead default API URL on the same host: calls only work through
// the token's api_url.
func TestAPIURLHonoured(t *testing.T) {
	t.Parallel()
	clock := zoomsim.NewClock(t0)
	s := zoomsim.New(zoomsim.Options{RedirectURLs: []string{redirect}, Now: clock.Now})
	mux := http.NewServeMux()
	mux.Handle("/zoomsim/", http.StripPrefix("/zoomsim", s.Handler()))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	s.SetBaseURL(srv.URL + "/zoomsim")

	c := zoom.New(zoom.Config{ClientID: s.ClientID(), ClientSecret: s.ClientSecret(), OAuthURL: s.URL(),
		APIURL: srv.URL + "/dead/v2", RedirectURL: redirect, Now: clock.Now})
	verifier, challenge := zoom.NewPKCE()
	loc, err := s.Consent(ctx, c.AuthorizeURL("st", challenge), "", true)
	if err != nil {
		t.Fatal(err)
	}
	tk, err := c.Exchange(ctx, loc.Query().Get("code"), verifier)
	if err != nil {
		t.Fatal(err)
	}
	if tk.APIURL != srv.URL+"/zoomsim" {
		t.Fatalf("api_url %q", tk.APIURL)
	}
	if _, err := c.Me(ctx, tk.Auth()); err != nil {
		t.Fatalf("with api_url: %v", err)
	}
	if _, err := c.Me(ctx, zoom.Auth{AccessToken: tk.AccessToken}); err == nil {
		t.Fatalf("without api_url the dead default should be used")
	}
	if m, err := c.CreateMeeting(ctx, tk.Auth(), booking()); err != nil || !strings.HasPrefix(m.JoinURL, srv.URL+"/zoomsim/j/") {
		t.Fatalf("create through api_url: %v", err)
	}
}

// recorder wraps the simulator and keeps every request it gets.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
	next http.Handler
}

type recorded struct {
	method, path, rawQuery string
	header                 http.Header
	body                   string
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.reqs = append(rc.reqs, recorded{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), string(b)})
	rc.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(b))
	rc.next.ServeHTTP(w, r)
}

func (rc *recorder) find(method, path string) recorded {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for i := len(rc.reqs) - 1; i >= 0; i-- {
		if rc.reqs[i].method == method && strings.HasPrefix(rc.reqs[i].path, path) {
			return rc.reqs[i]
		}
	}
	return recorded{}
}

// TestRequestsOnTheWire checks what the client sends: tokens only in
// headers and form bodies, Basic client auth, Zoom's body shapes.
func TestRequestsOnTheWire(t *testing.T) {
	t.Parallel()
	clock := zoomsim.NewClock(t0)
	s := zoomsim.New(zoomsim.Options{RedirectURLs: []string{redirect}, Now: clock.Now})
	rc := &recorder{next: s.Handler()}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	s.SetBaseURL(srv.URL)
	c := zoom.New(zoom.Config{ClientID: s.ClientID(), ClientSecret: s.ClientSecret(), OAuthURL: srv.URL,
		APIURL: srv.URL + "/v2", RedirectURL: redirect, Now: clock.Now})
	verifier, challenge := zoom.NewPKCE()
	loc, _ := s.Consent(ctx, c.AuthorizeURL("st", challenge), "", true)
	tk, err := c.Exchange(ctx, loc.Query().Get("code"), verifier)
	if err != nil {
		t.Fatal(err)
	}

	ex := rc.find("POST", "/oauth/token")
	form, _ := url.ParseQuery(ex.body)
	if ex.rawQuery != "" || form.Get("grant_type") != "authorization_code" || form.Get("code_verifier") != verifier ||
		form.Get("redirect_uri") != redirect || !strings.HasPrefix(ex.header.Get("Authorization"), "Basic ") ||
		ex.header.Get("Content-Type") != "application/x-www-form-urlencoded" || form.Has("client_secret") {
		t.Fatalf("exchange request %+v", ex)
	}

	tk2, err := c.Refresh(ctx, tk.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	rf := rc.find("POST", "/oauth/token")
	form, _ = url.ParseQuery(rf.body)
	if rf.rawQuery != "" || form.Get("grant_type") != "refresh_token" || form.Get("refresh_token") != tk.RefreshToken {
		t.Fatalf("refresh request %+v", rf)
	}

	m, err := c.CreateMeeting(ctx, tk2.Auth(), zoom.MeetingRequest{Topic: strings.Repeat("課", 250), Start: time.Date(2026, 3, 10, 6, 0, 30, 0, time.UTC),
		Duration: 45*time.Minute + 10*time.Second, TimeZone: "Asia/Taipei", Agenda: strings.Repeat("a", 3000)})
	if err != nil {
		t.Fatal(err)
	}
	cr := rc.find("POST", "/v2/users/me/meetings")
	if cr.rawQuery != "" || cr.header.Get("Authorization") != "Bearer "+tk2.AccessToken || cr.header.Get("Content-Type") != "application/json" {
		t.Fatalf("create headers %+v", cr)
	}
	for _, want := range []string{`"type":2`, `"start_time":"2026-03-10T06:00:30Z"`, `"duration":46`, `"timezone":"Asia/Taipei"`,
		`"waiting_room":true`, `"join_before_host":false`, `"password":"` + m.Password + `"`} {
		if !strings.Contains(cr.body, want) {
			t.Errorf("create body lacks %s: %s", want, cr.body)
		}
	}
	if sm, _ := s.Meeting(m.ID); len([]rune(sm.Topic)) != 200 || len(sm.Agenda) != 1900 {
		t.Errorf("topic/agenda not cut: %d %d", len([]rune(sm.Topic)), len(sm.Agenda))
	}

	if err := c.UpdateMeeting(ctx, tk2.Auth(), m.ID, zoom.MeetingRequest{Topic: "ignored", Start: time.Date(2026, 3, 11, 6, 0, 0, 0, time.UTC), Duration: time.Hour, TimeZone: "Asia/Taipei"}); err != nil {
		t.Fatal(err)
	}
	up := rc.find("PATCH", "/v2/meetings/")
	if up.body != `{"start_time":"2026-03-11T06:00:00Z","duration":60,"timezone":"Asia/Taipei"}` {
		t.Errorf("patch body %s", up.body)
	}
	if err := c.DeleteMeeting(ctx, tk2.Auth(), m.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.Revoke(ctx, tk2.AccessToken); err != nil {
		t.Fatal(err)
	}
	rv := rc.find("POST", "/oauth/revoke")
	if rv.rawQuery != "" || rv.body != "token="+url.QueryEscape(tk2.AccessToken) {
		t.Errorf("revoke request %+v", rv)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for _, r := range rc.reqs {
		for _, secret := range []string{tk.AccessToken, tk.RefreshToken, tk2.AccessToken, tk2.RefreshToken, s.ClientSecret()} {
			if strings.Contains(r.rawQuery, secret) || strings.Contains(r.path, secret) {
				t.Errorf("%s %s carries a secret in its URL", r.method, r.path)
			}
		}
	}
}

// TestErrorsAreScrubbed talks to a hostile server that echoes everything
// it was sent (headers and body) and secret-shaped strings in its error
// bodies.
func TestErrorsAreScrubbed(t *testing.T) {
	t.Parallel()
	const (
		access  = "eyJhbGciOiJIUzUxMiJ9.eyJzZWNyZXQiOnRydWV9.c2lnbmF0dXJl"
		refresh = "refresh-SECRET-0001"
		secret  = "client-SECRET-0002"
	)
	var mu sync.Mutex
	var passcodes []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if m := regexp.MustCompile(`"password":"([^"]+)"`).FindSubmatch(b); m != nil {
			mu.Lock()
			passcodes = append(passcodes, string(m[1]))
			mu.Unlock()
		}
		w.Header().Set("Content-Type", "application/json")
		echo := strings.NewReplacer(`"`, `'`, "\\", "/").Replace(r.Header.Get("Authorization") + " " + string(b))
		if strings.HasPrefix(r.URL.Path, "/oauth/") {
			w.WriteHeader(400)
			fmt.Fprintf(w, `{"error":"invalid_grant","reason":"Invalid Token! %s"}`, echo)
			return
		}
		w.WriteHeader(404)
		fmt.Fprintf(w, `{"code":3001,"message":"Meeting does not exist: 98399082887. %s https://zoom.us/j/98399082887?pwd=abc"}`, echo)
	}))
	defer srv.Close()
	c := zoom.New(zoom.Config{ClientID: "id", ClientSecret: secret, OAuthURL: srv.URL, APIURL: srv.URL + "/v2", RedirectURL: redirect})
	a := zoom.Auth{AccessToken: access}
	var errs []error
	_, err := c.Refresh(ctx, refresh)
	if !zoom.IsInvalidGrant(err) {
		t.Fatalf("refresh: %v", err)
	}
	errs = append(errs, err)
	_, err = c.Exchange(ctx, "the-code-123", "the-verifier-456")
	errs = append(errs, err, c.Revoke(ctx, access))
	_, err = c.CreateMeeting(ctx, a, booking())
	errs = append(errs, err, c.UpdateMeeting(ctx, a, 98399082887, booking()), c.DeleteMeeting(ctx, a, 98399082887))
	_, err = c.Me(ctx, a)
	errs = append(errs, err)

	secrets := []string{access, refresh, secret, "98399082887", "https://zoom.us/j/", "pwd=abc", "c2lnbmF0dXJl",
		"the-code-123", "the-verifier-456", "aWQ6Y2xpZW50LVNFQ1JFVC0wMDAy" /* base64 id:secret */}
	secrets = append(secrets, passcodes...)
	for _, err := range errs {
		if err == nil {
			t.Fatal("expected an error")
		}
		for _, s := range secrets {
			if strings.Contains(err.Error(), s) {
				t.Errorf("%q leaks %q", err, s)
			}
		}
	}
	if len(passcodes) != 1 {
		t.Fatalf("passcodes seen %v", passcodes)
	}
	if !zoom.IsNotFound(errs[5]) {
		t.Errorf("scrubbing lost the code: %v", errs[5])
	}
}

func TestNonJSONSuccessIsNotTemporary(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(201)
		io.WriteString(w, "<xml>ok</xml>")
	}))
	defer srv.Close()
	c := zoom.New(zoom.Config{APIURL: srv.URL + "/v2"})
	_, err := c.CreateMeeting(ctx, zoom.Auth{AccessToken: "x"}, booking())
	if err == nil || zoom.IsTemporary(err) {
		t.Fatalf("XML 201: %v", err)
	}
}

// A token response's api_url is trusted with the bearer token only over
// https on Zoom's hosts or on the configured API's own host: a hostile
// token endpoint cannot make the server send its tokens anywhere else.
func TestAPIURLHostileIgnored(t *testing.T) {
	clock := zoomsim.NewClock(t0)
	s := zoomsim.New(zoomsim.Options{RedirectURLs: []string{redirect}, Now: clock.Now})
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	s.SetBaseURL(srv.URL)
	var stolen atomic.Int32
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			stolen.Add(1)
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"id":"evil","email":"evil@example.com"}`))
	}))
	defer evil.Close()
	c := zoom.New(zoom.Config{ClientID: s.ClientID(), ClientSecret: s.ClientSecret(), OAuthURL: s.URL(),
		APIURL: srv.URL + "/v2", RedirectURL: redirect, Now: clock.Now})
	verifier, challenge := zoom.NewPKCE()
	loc, err := s.Consent(ctx, c.AuthorizeURL("st", challenge), "", true)
	if err != nil {
		t.Fatal(err)
	}
	tk, err := c.Exchange(ctx, loc.Query().Get("code"), verifier)
	if err != nil {
		t.Fatal(err)
	}
	for _, hostile := range []string{evil.URL, "http://api.zoom.us", "https://api.zoom.us.evil.example", "https://zoom.us.evil.example",
		"https://evilzoom.us", "https://api.zoom.us:8443", "ftp://api.zoom.us", "javascript:alert(1)"} {
		u, err := c.Me(ctx, zoom.Auth{AccessToken: tk.AccessToken, APIURL: hostile})
		if err != nil || u.ID == "evil" {
			t.Errorf("api_url %q: %v %+v (the configured API should answer)", hostile, err, u)
		}
		if b, ok := zoom.NormalizeAPIURL(hostile); ok && c.TrustedAPIURL(b) {
			t.Errorf("api_url %q trusted", hostile)
		}
	}
	if n := stolen.Load(); n != 0 {
		t.Fatalf("the bearer token went to the hostile host %d times", n)
	}
	for _, good := range []string{"https://api.zoom.us", "https://api-eu.zoom.us", "https://zoom.us/v2", srv.URL + "/v2"} {
		if b, ok := zoom.NormalizeAPIURL(good); !ok || !c.TrustedAPIURL(b) {
			t.Errorf("api_url %q refused", good)
		}
	}
}

// Concurrent calls keep their connections for the next ones: a burst of
// meeting syncs opened one connection (a TLS handshake with Zoom) a call
// when only two idle ones were kept per host.
func TestClientKeepsConnections(t *testing.T) {
	var opened atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond) // the burst's calls overlap
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id":"u1","account_id":"a1","email":"lin@example.com"}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			opened.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c := zoom.New(zoom.Config{APIURL: srv.URL, OAuthURL: srv.URL})
	const n = 16
	for burst := range 3 {
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				if _, err := c.Me(context.Background(), zoom.Auth{AccessToken: "at", APIURL: srv.URL}); err != nil {
					t.Errorf("burst %d: %v", burst, err)
				}
			})
		}
		wg.Wait()
	}
	if got := opened.Load(); got > n {
		t.Errorf("three bursts of %d calls opened %d connections; want at most %d (kept between bursts)", n, got, n)
	}
}
