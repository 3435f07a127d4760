package zoomsim_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue/zoom/zoomsim"
	"github.com/daoyue/daoyue/zoom/zoomsim/zoomsimtest"
)

const redirect = "https://daoyue.test/oauth/zoom/callback"

var t0 = time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC)

type env struct {
	t     *testing.T
	s     *zoomsim.Sim
	clock *zoomsim.Clock
	hc    *http.Client
}

func newEnv(t *testing.T, o zoomsim.Options) *env {
	t.Helper()
	clock := zoomsim.NewClock(t0)
	if o.Now == nil {
		o.Now = clock.Now
	}
	if o.RedirectURLs == nil {
		o.RedirectURLs = []string{redirect}
	}
	s := zoomsimtest.NewServer(t, o)
	hc := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &env{t: t, s: s, clock: clock, hc: hc}
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(a.body, &m); err != nil {
		t.Fatalf("body is not JSON (%d): %q", a.status, a.body)
	}
	return m
}

func (e *env) do(req *http.Request) answer {
	e.t.Helper()
	resp, err := e.hc.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, b}
}

func (e *env) get(u string) answer {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return e.do(req)
}

func (e *env) postForm(u string, form url.Values) answer {
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(req)
}

// tokenCall posts to /oauth/token with the app's Basic credentials.
func (e *env) tokenCall(form url.Values) answer {
	return e.tokenCallAs(e.s.ClientID(), e.s.ClientSecret(), form)
}

func (e *env) tokenCallAs(id, secret string, form url.Values) answer {
	req, _ := http.NewRequest(http.MethodPost, e.s.URL()+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	return e.do(req)
}

func (e *env) api(method, path, token string, body any) answer {
	e.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		r = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, e.s.URL()+"/v2"+path, r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return e.do(req)
}

func authorizeURL(base string, q url.Values) string {
	return base + "/oauth/authorize?" + q.Encode()
}

func pkce() (verifier, challenge string) {
	verifier = strings.Repeat("v", 20) + "-._~abcdefghijklmnopqrstuvwxyz0123456789"
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

var requestID = regexp.MustCompile(`name="request_id" value="([^"]+)"`)

// consent drives the page with plain HTTP: GET the page, POST the form.
func (e *env) consent(q url.Values, userID, action string) *url.URL {
	e.t.Helper()
	page := e.get(authorizeURL(e.s.URL(), q))
	if page.status != http.StatusOK {
		e.t.Fatalf("consent page: %d %s", page.status, page.body)
	}
	m := requestID.FindSubmatch(page.body)
	if m == nil {
		e.t.Fatalf("no request_id on the consent page")
	}
	a := e.postForm(e.s.URL()+"/oauth/authorize", url.Values{"request_id": {string(m[1])}, "user": {userID}, "action": {action}})
	if a.status != http.StatusFound {
		e.t.Fatalf("consent submit: %d %s", a.status, a.body)
	}
	loc, err := url.Parse(a.header.Get("Location"))
	if err != nil {
		e.t.Fatal(err)
	}
	return loc
}

// code runs the consent flow with PKCE S256 and returns the code and verifier.
func (e *env) code(userID string) (code, verifier string) {
	e.t.Helper()
	verifier, challenge := pkce()
	loc := e.consent(url.Values{"response_type": {"code"}, "client_id": {e.s.ClientID()}, "redirect_uri": {redirect},
		"state": {"st"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}, userID, "allow")
	return loc.Query().Get("code"), verifier
}

type tokens struct{ access, refresh string }

// connect runs the whole authorization for userID.
func (e *env) connect(userID string) tokens {
	e.t.Helper()
	code, verifier := e.code(userID)
	a := e.tokenCall(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}, "code_verifier": {verifier}})
	if a.status != http.StatusOK {
		e.t.Fatalf("exchange: %d %s", a.status, a.body)
	}
	m := a.json(e.t)
	return tokens{m["access_token"].(string), m["refresh_token"].(string)}
}

func (e *env) user(i int) string { return e.s.Users()[i].ID }

func wantAPIError(t *testing.T, a answer, status int, code float64, msg string) {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d (%s)", a.status, status, a.body)
	}
	m := a.json(t)
	if m["code"] != code || (msg != "" && m["message"] != msg) {
		t.Fatalf("body %s, want code %v message %q", a.body, code, msg)
	}
}

func wantOAuthError(t *testing.T, a answer, errCode, reason string) {
	t.Helper()
	if a.status != http.StatusBadRequest {
		t.Fatalf("status %d, want 400 (%s)", a.status, a.body)
	}
	m := a.json(t)
	if m["error"] != errCode || (reason != "" && m["reason"] != reason) {
		t.Fatalf("body %s, want error %q reason %q", a.body, errCode, reason)
	}
}
