package zoomsim

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// scopeWords are the consent page's plain-English scope descriptions.
var scopeWords = map[string]string{
	"meeting:write:meeting":  "Schedule meetings for you",
	"meeting:update:meeting": "Change the time and length of your meetings",
	"meeting:delete:meeting": "Delete your meetings",
	"user:read:user":         "View your name, email address and time zone",
	"meeting:read:meeting":   "View your meetings",
}

// allowedRedirect applies the app's OAuth allow list (§1.1).
func (s *Sim) allowedRedirect(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" {
		return false
	}
	if len(s.opts.RedirectURLs) > 0 {
		return slices.Contains(s.opts.RedirectURLs, raw)
	}
	return strings.HasPrefix(raw, s.opts.AllowRedirectPrefix)
}

// redirectWith appends params to the redirect URI (keeping its own query).
func redirectWith(w http.ResponseWriter, r *http.Request, redirectURI string, params url.Values) {
	u, _ := url.Parse(redirectURI) // validated by allowedRedirect
	q := u.Query()
	for k, vs := range params {
		for _, v := range vs {
			if v != "" {
				q.Set(k, v)
			}
		}
	}
	u.RawQuery = q.Encode()
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// consentPage is GET /oauth/authorize (§1.2): it validates the app and the
// redirect URI (an error page, never a redirect, when either is wrong) and
// shows the consent page.
func (s *Sim) consentPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != s.opts.ClientID {
		s.errorPage(w, http.StatusBadRequest, "Invalid client_id", "The app you are trying to authorize does not exist or is not available. (4700)")
		return
	}
	redirectURI := q.Get("redirect_uri")
	if !s.allowedRedirect(redirectURI) {
		s.errorPage(w, http.StatusBadRequest, "Invalid redirect", "The redirect URL is not on this app's allow list. (4709)")
		return
	}
	state := q.Get("state")
	if q.Get("response_type") != "code" {
		redirectWith(w, r, redirectURI, url.Values{"error": {"unsupported_response_type"}, "state": {state}})
		return
	}
	if sc := q.Get("scope"); sc != "" {
		// Zoom takes scopes from the app; in 2021 it rejected scope= it did not
		// know ("Invalid scopes", §1.2). Scopes the app has are ignored.
		for _, f := range strings.Fields(sc) {
			if !slices.Contains(s.opts.Scopes, f) {
				s.errorPage(w, http.StatusBadRequest, "Invalid scopes", "The app asked for scopes it is not configured with.")
				return
			}
		}
	}
	challenge, method := q.Get("code_challenge"), q.Get("code_challenge_method")
	if challenge != "" && method == "" {
		method = "plain" // the documented default (§1.2)
	}
	if challenge != "" && method != "plain" && method != "S256" || challenge == "" && method != "" {
		redirectWith(w, r, redirectURI, url.Values{"error": {"invalid_request"}, "state": {state}})
		return
	}
	id := randomID(18)
	s.mu.Lock()
	now := s.now()
	for k, c := range s.consents {
		if !now.Before(c.expires) {
			delete(s.consents, k)
		}
	}
	s.consents[id] = &consent{redirectURI: redirectURI, state: state, challenge: challenge, method: method, expires: now.Add(consentTTL)}
	s.mu.Unlock()

	type scopeLine struct{ Words, Scope string }
	var scopes []scopeLine
	for _, sc := range s.opts.Scopes {
		words := scopeWords[sc]
		if words == "" {
			words = sc
		}
		scopes = append(scopes, scopeLine{words, sc})
	}
	type userLine struct {
		ID, Name, Email string
		Checked         bool
	}
	var users []userLine
	for i, u := range s.users {
		users = append(users, userLine{u.ID, u.DisplayName(), u.Email, i == 0})
	}
	ru, _ := url.Parse(redirectURI)
	pageHeaders(w)
	w.WriteHeader(http.StatusOK)
	consentTmpl.Execute(w, map[string]any{
		"App": s.opts.AppName, "Scopes": scopes, "Users": users, "RequestID": id, "Host": ru.Host,
	})
}

// consentSubmit is the consent form's POST: Allow issues a code (5 minutes,
// single use) and redirects with code and state; Deny redirects with
// error=access_denied.
func (s *Sim) consentSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, http.StatusBadRequest, "Bad request", "The form could not be read.")
		return
	}
	s.mu.Lock()
	c, ok := s.consents[r.PostForm.Get("request_id")]
	if ok {
		delete(s.consents, r.PostForm.Get("request_id"))
	}
	now := s.now()
	s.mu.Unlock()
	if !ok || !now.Before(c.expires) {
		s.errorPage(w, http.StatusBadRequest, "Request expired", "This authorization request has expired or was already answered. Go back to the app and start again.")
		return
	}
	switch r.PostForm.Get("action") {
	case "deny":
		redirectWith(w, r, c.redirectURI, url.Values{"error": {"access_denied"}, "state": {c.state}})
	case "allow":
		userID := r.PostForm.Get("user")
		if _, ok := s.User(userID); !ok {
			s.errorPage(w, http.StatusBadRequest, "Unknown user", "Choose one of the test Zoom accounts.")
			return
		}
		code := randomID(24)
		s.mu.Lock()
		s.codes[code] = &authCode{userID: userID, redirectURI: c.redirectURI, challenge: c.challenge, method: c.method, expires: now.Add(CodeTTL)}
		s.mu.Unlock()
		redirectWith(w, r, c.redirectURI, url.Values{"code": {code}, "state": {c.state}})
	default:
		s.errorPage(w, http.StatusBadRequest, "Bad request", "Choose Allow or Deny.")
	}
}

// clientOK checks HTTP Basic client credentials in constant time.
func (s *Sim) clientOK(r *http.Request) bool {
	id, secret, ok := r.BasicAuth()
	return ok && subtle.ConstantTimeCompare([]byte(id), []byte(s.opts.ClientID)) == 1 &&
		subtle.ConstantTimeCompare([]byte(secret), []byte(s.opts.ClientSecret)) == 1
}

// token is POST /oauth/token (§1.3, §1.4).
func (s *Sim) token(w http.ResponseWriter, r *http.Request) {
	if !s.clientOK(r) {
		writeOAuthError(w, http.StatusBadRequest, "invalid_client", "Invalid client_id or client_secret")
		return
	}
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Invalid request body")
		return
	}
	query := r.URL.Query()
	// Parameters may come in the form body or, for the code grant, the query
	// (§1.3); refresh tokens are refused in query strings since Feb 2023 (§1.5).
	get := func(k string) string {
		if v := r.PostForm.Get(k); v != "" {
			return v
		}
		return query.Get(k)
	}
	switch get("grant_type") {
	case "":
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Missing grant_type")
	case "authorization_code":
		s.exchange(w, r, get)
	case "refresh_token":
		if query.Get("refresh_token") != "" {
			writeOAuthError(w, http.StatusBadRequest, "invalid_request", "The refresh token is not supported as query parameter string.")
			return
		}
		s.refreshGrant(w, r.PostForm.Get("refresh_token"))
	default:
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type")
	}
}

func (s *Sim) exchange(w http.ResponseWriter, r *http.Request, get func(string) string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	c, ok := s.codes[get("code")]
	if !ok || c.used {
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Invalid authorization code") // 4734
		return
	}
	c.used = true // single use: any attempt burns it
	if !now.Before(c.expires) {
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Code is expired") // 4733
		return
	}
	if get("redirect_uri") != c.redirectURI {
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Redirect URI mismatch") // 4709
		return
	}
	if c.challenge != "" && !pkceOK(c.challenge, c.method, get("code_verifier")) {
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Invalid code_verifier")
		return
	}
	// A new authorization of the same user revokes the earlier ones (4741).
	s.revokeUserLocked(c.userID)
	g := &grant{userID: c.userID, scopes: slices.Clone(s.opts.Scopes)}
	s.grants = append(s.grants, g)
	s.issue(w, r, g)
}

// pkceOK checks a verifier against the challenge (RFC 7636 §4.6).
func pkceOK(challenge, method, verifier string) bool {
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	for _, ch := range verifier {
		if !(ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || strings.ContainsRune("-._~", ch)) {
			return false
		}
	}
	want := verifier
	if method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}

func (s *Sim) refreshGrant(w http.ResponseWriter, rt string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.refresh[rt]
	if rt == "" || !ok || t.used || t.g.revoked || !s.now().Before(t.expires) {
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Invalid Token!")
		return
	}
	t.used = true // rotation: the old refresh token dies now (grace 0)
	s.issue(w, nil, t.g)
}

// issue writes a token response for g; s.mu is held.
func (s *Sim) issue(w http.ResponseWriter, r *http.Request, g *grant) {
	now := s.now()
	at, rt := jwtLike("access_token", g.userID, now.Add(AccessTokenTTL).Unix()), jwtLike("refresh_token", g.userID, now.Add(s.opts.RefreshTokenTTL).Unix())
	s.access[at] = &accessToken{g: g, expires: now.Add(AccessTokenTTL)}
	s.refresh[rt] = &refreshToken{g: g, expires: now.Add(s.opts.RefreshTokenTTL)}
	base := s.base
	if base == "" && r != nil {
		base = "http://" + r.Host
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, struct {
		AccessToken  string `json:"access_token"`
		TokenType    string `json:"token_type"`
		RefreshToken string `json:"refresh_token"`
		ExpiresIn    int    `json:"expires_in"`
		Scope        string `json:"scope"`
		APIURL       string `json:"api_url"`
	}{at, "bearer", rt, 3599, strings.Join(g.scopes, " "), base})
}

// jwtLike makes an opaque token shaped like Zoom's (a JWT of several hundred
// characters, §1.3), so storage sized for short strings fails in tests.
func jwtLike(kind, userID string, exp int64) string {
	head, _ := json.Marshal(map[string]string{"alg": "HS512", "v": "2.0", "kid": randomID(18)})
	body, _ := json.Marshal(map[string]any{
		"ver": 9, "auid": randomID(32), "userId": userID, "nbf": exp - 3600, "iss": "zm:cid:zoomsim",
		"aud": "https://oauth.zoom.us", "uid": userID, "tokenType": kind, "exp": exp, "jti": randomID(24),
		"tid": 0, "toleranceId": 0, "cid": randomID(12),
	})
	sig := make([]byte, 64)
	_, _ = rand.Read(sig)
	e := base64.RawURLEncoding.EncodeToString
	return e(head) + "." + e(body) + "." + e(sig)
}

// revoke is POST /oauth/revoke (§1.6): the whole authorization (access and
// refresh token) is revoked. An unknown token still answers success
// (RFC 7009 §2.2; Zoom's answer for it is not documented).
func (s *Sim) revoke(w http.ResponseWriter, r *http.Request) {
	if !s.clientOK(r) {
		writeOAuthError(w, http.StatusBadRequest, "invalid_client", "Invalid client_id or client_secret")
		return
	}
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Invalid request body")
		return
	}
	if r.URL.Query().Get("token") != "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "The token is not supported as query parameter string.")
		return
	}
	tok := r.PostForm.Get("token")
	if tok == "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Missing token")
		return
	}
	s.mu.Lock()
	if t, ok := s.access[tok]; ok {
		t.g.revoked = true
	}
	if t, ok := s.refresh[tok]; ok {
		t.g.revoked = true
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"status": "success"})
}

func pageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action *; frame-ancestors 'none'")
}

func (s *Sim) errorPage(w http.ResponseWriter, status int, title, msg string) {
	pageHeaders(w)
	w.WriteHeader(status)
	errorTmpl.Execute(w, map[string]string{"Title": title, "Message": msg})
}

const pageStyle = `<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f4f5f7;color:#222;margin:0}
main{max-width:30rem;margin:2rem auto;background:#fff;border-radius:12px;padding:1.5rem 1.75rem;box-shadow:0 1px 4px rgba(0,0,0,.12)}
.sim{font-size:.8rem;color:#6b4f00;background:#fff6d6;border-radius:6px;padding:.3rem .6rem;display:inline-block}
h1{font-size:1.3rem;margin:.8rem 0}
ul{padding-left:1.2rem}li{margin:.35rem 0}code{font-size:.75rem;color:#555}
fieldset{border:1px solid #ddd;border-radius:8px;margin:1rem 0}label{display:block;margin:.3rem 0}
.buttons{display:flex;gap:.75rem;justify-content:flex-end}
button{font-size:1rem;padding:.55rem 1.4rem;border-radius:8px;border:1px solid #0b5cff;cursor:pointer}
#allow{background:#0b5cff;color:#fff}#deny{background:#fff;color:#0b5cff}
button:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
small{color:#555}
</style>`

var consentTmpl = template.Must(template.New("consent").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Authorize {{.App}} · Zoom</title>` + pageStyle + `</head>
<body><main>
<span class="sim">Zoom simulator · test accounts only</span>
<h1>{{.App}} would like to access your Zoom account</h1>
<p>By selecting Allow, you let {{.App}}:</p>
<ul>{{range .Scopes}}
<li>{{.Words}} <code>{{.Scope}}</code></li>{{end}}
</ul>
<form method="post" action="authorize">
<input type="hidden" name="request_id" value="{{.RequestID}}">
<fieldset><legend>Signed in to Zoom as</legend>{{range .Users}}
<label><input type="radio" name="user" value="{{.ID}}"{{if .Checked}} checked{{end}}> {{.Name}} &lt;{{.Email}}&gt;</label>{{end}}
</fieldset>
<div class="buttons">
<button type="submit" id="deny" name="action" value="deny">Deny</button>
<button type="submit" id="allow" name="action" value="allow">Allow</button>
</div>
</form>
<p><small>You will return to {{.Host}}. You can remove {{.App}} at any time in the Zoom App Marketplace under Manage → Added Apps.</small></p>
</main></body></html>
`))

var errorTmpl = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · Zoom</title>` + pageStyle + `</head>
<body><main>
<span class="sim">Zoom simulator · test accounts only</span>
<h1>{{.Title}}</h1>
<p>{{.Message}}</p>
</main></body></html>
`))

var requestIDRE = regexp.MustCompile(`name="request_id" value="([^"]+)"`)

// Consent does what a person does in a browser: it opens authorizeURL (the
// consent page), chooses userID (empty: the first test user) and presses
// Allow or Deny, over real HTTP. It returns the redirect the simulator
// answers with (redirect_uri?code=…&state=… or ?error=access_denied&…)
// without following it. An error page (unknown client, redirect URI not
// allowed) is an error.
func (s *Sim) Consent(ctx context.Context, authorizeURL, userID string, allow bool) (*url.URL, error) {
	if userID == "" {
		userID = s.users[0].ID
	}
	return Consent(ctx, authorizeURL, userID, allow)
}

// Consent is Sim.Consent for a simulator in another process: userID is
// required.
func Consent(ctx context.Context, authorizeURL, userID string, allow bool) (*url.URL, error) {
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authorizeURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	page, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if resp.StatusCode == http.StatusFound {
		return resp.Location()
	}
	m := requestIDRE.FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		return nil, fmt.Errorf("zoomsim: consent page answered %d", resp.StatusCode)
	}
	action := "deny"
	if allow {
		action = "allow"
	}
	form := url.Values{"request_id": {string(m[1])}, "user": {userID}, "action": {action}}
	post, err := url.Parse(authorizeURL)
	if err != nil {
		return nil, err
	}
	post = post.ResolveReference(&url.URL{Path: "authorize"}) // the form's relative action
	req, err = http.NewRequestWithContext(ctx, http.MethodPost, post.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = c.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return nil, fmt.Errorf("zoomsim: consent form answered %d", resp.StatusCode)
	}
	return resp.Location()
}
