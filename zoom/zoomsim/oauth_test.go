package zoomsim_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daoyue/daoyue/zoom/zoomsim"
)

func authParams(s *zoomsim.Sim) url.Values {
	return url.Values{"response_type": {"code"}, "client_id": {s.ClientID()}, "redirect_uri": {redirect}, "state": {"xyz"}}
}

func TestConsentPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	page := e.get(authorizeURL(e.s.URL(), authParams(e.s)))
	if page.status != http.StatusOK || !strings.HasPrefix(page.header.Get("Content-Type"), "text/html") {
		t.Fatalf("consent page: %d %s", page.status, page.header.Get("Content-Type"))
	}
	html := string(page.body)
	for _, want := range []string{
		`lang="en"`, "DaoYue would like to access your Zoom account",
		`id="allow"`, `id="deny"`, ">Allow<", ">Deny<",
		"Schedule meetings for you", "Change the time and length of your meetings", "Delete your meetings",
		"View your name, email address and time zone",
		"meeting:write:meeting", "meeting:update:meeting", "meeting:delete:meeting", "user:read:user",
		"Mei-Ling Lin", "meiling.lin@example.com", "Wei Chen", `type="radio" name="user"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("consent page lacks %q", want)
		}
	}
	if page.header.Get("X-Frame-Options") != "DENY" {
		t.Error("consent page can be framed")
	}
}

func TestConsentAllowDeny(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	loc := e.consent(authParams(e.s), e.user(1), "allow")
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != redirect {
		t.Fatalf("redirected to %s", got)
	}
	if loc.Query().Get("code") == "" || loc.Query().Get("state") != "xyz" {
		t.Fatalf("allow redirect %s lacks code or state", loc)
	}
	loc = e.consent(authParams(e.s), e.user(0), "deny")
	if loc.Query().Get("error") != "access_denied" || loc.Query().Get("state") != "xyz" || loc.Query().Has("code") {
		t.Fatalf("deny redirect %s", loc)
	}
}

func TestConsentRefusesUnknownAppAndRedirect(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	for name, q := range map[string]url.Values{
		"unknown client":      {"response_type": {"code"}, "client_id": {"nope"}, "redirect_uri": {redirect}},
		"redirect not listed": {"response_type": {"code"}, "client_id": {e.s.ClientID()}, "redirect_uri": {"https://evil.test/cb"}},
		"redirect prefix":     {"response_type": {"code"}, "client_id": {e.s.ClientID()}, "redirect_uri": {redirect + "/../x"}},
		"no redirect":         {"response_type": {"code"}, "client_id": {e.s.ClientID()}},
	} {
		a := e.get(authorizeURL(e.s.URL(), q))
		if a.status != http.StatusBadRequest || a.header.Get("Location") != "" || strings.Contains(string(a.body), `id="allow"`) {
			t.Errorf("%s: %d, Location %q", name, a.status, a.header.Get("Location"))
		}
	}
	// A bad response_type with a good redirect goes back with an error.
	q := authParams(e.s)
	q.Set("response_type", "token")
	a := e.get(authorizeURL(e.s.URL(), q))
	if a.status != http.StatusFound || !strings.Contains(a.header.Get("Location"), "error=unsupported_response_type") {
		t.Errorf("response_type=token: %d %s", a.status, a.header.Get("Location"))
	}
}

func TestConsentRequestIsSingleUseAndExpires(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	page := e.get(authorizeURL(e.s.URL(), authParams(e.s)))
	id := string(requestID.FindSubmatch(page.body)[1])
	form := url.Values{"request_id": {id}, "user": {e.user(0)}, "action": {"allow"}}
	if a := e.postForm(e.s.URL()+"/oauth/authorize", form); a.status != http.StatusFound {
		t.Fatalf("first submit %d", a.status)
	}
	if a := e.postForm(e.s.URL()+"/oauth/authorize", form); a.status != http.StatusBadRequest {
		t.Fatalf("second submit %d, want 400", a.status)
	}
	page = e.get(authorizeURL(e.s.URL(), authParams(e.s)))
	form.Set("request_id", string(requestID.FindSubmatch(page.body)[1]))
	e.clock.Advance(11 * time.Minute)
	if a := e.postForm(e.s.URL()+"/oauth/authorize", form); a.status != http.StatusBadRequest {
		t.Fatalf("late submit %d, want 400", a.status)
	}
}

func TestAllowPrefixWhenNoAllowList(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{RedirectURLs: []string{}, AllowRedirectPrefix: "http://127.0.0.1:"})
	// newEnv only fills RedirectURLs when nil; an empty list means "prefix".
	q := authParams(e.s)
	q.Set("redirect_uri", "http://127.0.0.1:8080/oauth/zoom/callback")
	if a := e.get(authorizeURL(e.s.URL(), q)); a.status != http.StatusOK {
		t.Fatalf("prefix redirect refused: %d", a.status)
	}
	q.Set("redirect_uri", "https://daoyue.app/oauth/zoom/callback")
	if a := e.get(authorizeURL(e.s.URL(), q)); a.status != http.StatusBadRequest {
		t.Fatalf("outside prefix accepted: %d", a.status)
	}
}

func TestExchange(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	code, verifier := e.code(e.user(0))
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}, "code_verifier": {verifier}}
	a := e.tokenCall(form)
	if a.status != http.StatusOK {
		t.Fatalf("exchange: %d %s", a.status, a.body)
	}
	m := a.json(t)
	if m["token_type"] != "bearer" || m["expires_in"] != float64(3599) ||
		m["scope"] != "meeting:write:meeting meeting:update:meeting meeting:delete:meeting user:read:user" ||
		m["api_url"] != e.s.URL() {
		t.Fatalf("token response %s", a.body)
	}
	if at := m["access_token"].(string); len(at) < 300 || strings.Count(at, ".") != 2 {
		t.Errorf("access token should be a long JWT-shaped string, got %d chars", len(at))
	}
	if a.header.Get("Cache-Control") != "no-store" {
		t.Error("token response is cacheable")
	}
	// Single use.
	wantOAuthError(t, e.tokenCall(form), "invalid_grant", "")
}

func TestExchangeFailures(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	form := func(code, verifier string) url.Values {
		return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}, "code_verifier": {verifier}}
	}
	t.Run("pkce mismatch", func(t *testing.T) {
		code, _ := e.code(e.user(0))
		wantOAuthError(t, e.tokenCall(form(code, strings.Repeat("x", 43))), "invalid_grant", "")
	})
	t.Run("pkce missing", func(t *testing.T) {
		code, _ := e.code(e.user(0))
		wantOAuthError(t, e.tokenCall(form(code, "")), "invalid_grant", "")
	})
	t.Run("expired after 5 minutes", func(t *testing.T) {
		code, verifier := e.code(e.user(0))
		e.clock.Advance(5*time.Minute + time.Second)
		wantOAuthError(t, e.tokenCall(form(code, verifier)), "invalid_grant", "")
	})
	t.Run("redirect mismatch", func(t *testing.T) {
		code, verifier := e.code(e.user(0))
		f := form(code, verifier)
		f.Set("redirect_uri", redirect+"2")
		wantOAuthError(t, e.tokenCall(f), "invalid_grant", "")
	})
	t.Run("unknown code", func(t *testing.T) {
		wantOAuthError(t, e.tokenCall(form("made-up", "")), "invalid_grant", "")
	})
	t.Run("bad client", func(t *testing.T) {
		code, verifier := e.code(e.user(0))
		wantOAuthError(t, e.tokenCallAs(e.s.ClientID(), "wrong", form(code, verifier)), "invalid_client", "Invalid client_id or client_secret")
		// The refused call did not burn the code.
		if a := e.tokenCall(form(code, verifier)); a.status != http.StatusOK {
			t.Fatalf("code after invalid_client: %d", a.status)
		}
	})
	t.Run("missing grant type", func(t *testing.T) {
		wantOAuthError(t, e.tokenCall(url.Values{}), "invalid_request", "")
	})
	t.Run("plain pkce is the default method", func(t *testing.T) {
		verifier := strings.Repeat("p", 50)
		q := authParams(e.s)
		q.Set("code_challenge", verifier) // no method: plain
		loc := e.consent(q, e.user(0), "allow")
		if a := e.tokenCall(form(loc.Query().Get("code"), verifier)); a.status != http.StatusOK {
			t.Fatalf("plain PKCE: %d %s", a.status, a.body)
		}
	})
	t.Run("code in the query string", func(t *testing.T) {
		code, verifier := e.code(e.user(0))
		req, _ := http.NewRequest(http.MethodPost, e.s.URL()+"/oauth/token?"+form(code, verifier).Encode(), nil)
		req.SetBasicAuth(e.s.ClientID(), e.s.ClientSecret())
		if a := e.do(req); a.status != http.StatusOK {
			t.Fatalf("query-string exchange (cal.com style): %d %s", a.status, a.body)
		}
	})
}

func TestRefreshRotation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	u := e.user(0)
	first := e.connect(u)
	if n := e.s.LiveRefreshTokens(u); n != 1 {
		t.Fatalf("live refresh tokens %d", n)
	}
	a := e.tokenCall(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first.refresh}})
	if a.status != http.StatusOK {
		t.Fatalf("refresh: %d %s", a.status, a.body)
	}
	m := a.json(t)
	second := tokens{m["access_token"].(string), m["refresh_token"].(string)}
	if second.refresh == first.refresh || second.access == first.access {
		t.Fatal("refresh did not rotate the tokens")
	}
	if n := e.s.LiveRefreshTokens(u); n != 1 {
		t.Fatalf("live refresh tokens after rotation %d", n)
	}
	// The old refresh token is dead at once, with Zoom's exact body.
	old := e.tokenCall(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first.refresh}})
	if old.status != http.StatusBadRequest || string(old.body) != `{"reason":"Invalid Token!","error":"invalid_grant"}` {
		t.Fatalf("old refresh token: %d %s", old.status, old.body)
	}
	// The new one works and the new access token too.
	if a := e.api("GET", "/users/me", second.access, nil); a.status != http.StatusOK {
		t.Fatalf("new access token: %d", a.status)
	}
	if a := e.tokenCall(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {second.refresh}}); a.status != http.StatusOK {
		t.Fatalf("second refresh: %d", a.status)
	}
	// Refresh tokens are refused in the query string (§1.5).
	req, _ := http.NewRequest(http.MethodPost, e.s.URL()+"/oauth/token?grant_type=refresh_token&refresh_token=x", nil)
	req.SetBasicAuth(e.s.ClientID(), e.s.ClientSecret())
	wantOAuthError(t, e.do(req), "invalid_request", "")
}

// Two refreshes racing with the same refresh token: exactly one wins (the
// reason DaoYue serialises refreshes per connection).
func TestConcurrentRefreshBurnsTheLoser(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	tk := e.connect(e.user(0))
	const n = 8
	results := make(chan int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, e.s.URL()+"/oauth/token",
				strings.NewReader(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tk.refresh}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth(e.s.ClientID(), e.s.ClientSecret())
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				results <- 0
				return
			}
			resp.Body.Close()
			results <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(results)
	ok := 0
	for st := range results {
		switch st {
		case 200:
			ok++
		case 400:
		default:
			t.Errorf("status %d", st)
		}
	}
	if ok != 1 || e.s.LiveRefreshTokens(e.user(0)) != 1 {
		t.Fatalf("%d refreshes succeeded, %d live refresh tokens", ok, e.s.LiveRefreshTokens(e.user(0)))
	}
}

func TestRefreshTokenExpiry(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{RefreshTokenTTL: 48 * time.Hour})
	tk := e.connect(e.user(0))
	e.clock.Advance(48 * time.Hour)
	wantOAuthError(t, e.tokenCall(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tk.refresh}}), "invalid_grant", "Invalid Token!")

	tk = e.connect(e.user(0))
	e.s.ExpireRefreshTokens()
	wantOAuthError(t, e.tokenCall(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tk.refresh}}), "invalid_grant", "Invalid Token!")
}

func TestAccessTokenLivesOneHour(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	tk := e.connect(e.user(0))
	e.clock.Advance(59*time.Minute + 59*time.Second)
	if a := e.api("GET", "/users/me", tk.access, nil); a.status != http.StatusOK {
		t.Fatalf("before an hour: %d", a.status)
	}
	e.clock.Advance(time.Second)
	wantAPIError(t, e.api("GET", "/users/me", tk.access, nil), 401, 124, "Access token is expired.")
	// Refreshing after expiry still works.
	if a := e.tokenCall(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tk.refresh}}); a.status != http.StatusOK {
		t.Fatalf("refresh after expiry: %d", a.status)
	}
}

func TestBadAccessTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	tk := e.connect(e.user(0))
	wantAPIError(t, e.api("GET", "/users/me", "", nil), 401, 124, "Invalid access token.")
	wantAPIError(t, e.api("GET", "/users/me", "garbage", nil), 401, 124, "Invalid access token.")
	req, _ := http.NewRequest("GET", e.s.URL()+"/v2/users/me?access_token="+url.QueryEscape(tk.access), nil)
	wantAPIError(t, e.do(req), 401, 124, "Invalid access token, this access token is not supported as query parameter string.")
	e.s.ExpireAccessTokens()
	wantAPIError(t, e.api("GET", "/users/me", tk.access, nil), 401, 124, "Access token is expired.")
}

func TestReauthorizationRevokesPreviousTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	u, other := e.user(0), e.user(1)
	first := e.connect(u)
	bystander := e.connect(other)
	second := e.connect(u)
	wantAPIError(t, e.api("GET", "/users/me", first.access, nil), 401, 124, "Invalid access token.")
	wantOAuthError(t, e.tokenCall(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first.refresh}}), "invalid_grant", "Invalid Token!")
	if a := e.api("GET", "/users/me", second.access, nil); a.status != http.StatusOK {
		t.Fatalf("new authorization: %d", a.status)
	}
	if a := e.api("GET", "/users/me", bystander.access, nil); a.status != http.StatusOK {
		t.Fatalf("another user's tokens were revoked: %d", a.status)
	}
	if e.s.LiveRefreshTokens(u) != 1 || e.s.LiveRefreshTokens(other) != 1 {
		t.Fatalf("live refresh tokens %d/%d", e.s.LiveRefreshTokens(u), e.s.LiveRefreshTokens(other))
	}
}

func TestRevoke(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	tk := e.connect(e.user(0))
	req, _ := http.NewRequest(http.MethodPost, e.s.URL()+"/oauth/revoke", strings.NewReader(url.Values{"token": {tk.access}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(e.s.ClientID(), e.s.ClientSecret())
	a := e.do(req)
	if a.status != http.StatusOK || a.json(t)["status"] != "success" {
		t.Fatalf("revoke: %d %s", a.status, a.body)
	}
	wantAPIError(t, e.api("GET", "/users/me", tk.access, nil), 401, 124, "")
	wantOAuthError(t, e.tokenCall(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tk.refresh}}), "invalid_grant", "")
	if e.s.LiveRefreshTokens(e.user(0)) != 0 {
		t.Fatal("refresh token survived the revoke")
	}
	// Token in the query string is refused; bad client is refused.
	req, _ = http.NewRequest(http.MethodPost, e.s.URL()+"/oauth/revoke?token=abc", nil)
	req.SetBasicAuth(e.s.ClientID(), e.s.ClientSecret())
	wantOAuthError(t, e.do(req), "invalid_request", "")
	req, _ = http.NewRequest(http.MethodPost, e.s.URL()+"/oauth/revoke", strings.NewReader("token=abc"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(e.s.ClientID(), "nope")
	wantOAuthError(t, e.do(req), "invalid_client", "")
}

func TestRevokeUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	tk := e.connect(e.user(0))
	e.s.RevokeUser(e.user(0))
	wantAPIError(t, e.api("GET", "/users/me", tk.access, nil), 401, 124, "Invalid access token.")
	wantOAuthError(t, e.tokenCall(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tk.refresh}}), "invalid_grant", "Invalid Token!")
}

func TestConsentHelper(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	loc, err := e.s.Consent(context.Background(), authorizeURL(e.s.URL(), authParams(e.s)), e.user(1), true)
	if err != nil || loc.Query().Get("code") == "" || loc.Query().Get("state") != "xyz" {
		t.Fatalf("Consent allow: %v %v", loc, err)
	}
	loc, err = e.s.Consent(context.Background(), authorizeURL(e.s.URL(), authParams(e.s)), "", false)
	if err != nil || loc.Query().Get("error") != "access_denied" {
		t.Fatalf("Consent deny: %v %v", loc, err)
	}
	q := authParams(e.s)
	q.Set("client_id", "other")
	if _, err := e.s.Consent(context.Background(), authorizeURL(e.s.URL(), q), "", true); err == nil {
		t.Fatal("Consent with an unknown client succeeded")
	}
}
