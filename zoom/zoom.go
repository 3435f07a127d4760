// Package zoom is DaoYue's client for Zoom: OAuth 2.0 with PKCE (authorize,
// exchange, refresh with rotation, revoke), GET /users/me, and the three
// meeting calls a booking needs (create, reschedule, cancel), plus webhook
// verification and parsing.
//
// The client is stateless. It never stores a token: the caller persists every
// Token it gets back (a refresh rotates the refresh token, so the new one must
// be stored before the new access token is used) and serialises refreshes of
// one connection. Every URL comes from Config, so tests point the client at
// zoomsim.
//
// The behaviour follows /work/shared/zoom-api.md (section numbers in comments
// refer to it). Tokens travel only in headers and form bodies, never in URLs,
// and no error message carries a token, an authorization code, a passcode, a
// join URL, a meeting ID or the client secret.
package zoom

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/daoyue/daoyue/internal/outbound"
)

// Scopes are the granular scopes DaoYue's Zoom app is configured with, and the
// only ones it uses (PRODUCT.md "Zoom connection rules"). Zoom takes scopes
// from the app's configuration, not from the authorize URL (§1.2), so they are
// not sent; they are listed for the consent page, the docs and scope checks.
var Scopes = []string{"meeting:write:meeting", "meeting:update:meeting", "meeting:delete:meeting", "user:read:user"}

// Config holds the app's credentials and Zoom's endpoints.
type Config struct {
	ClientID     string
	ClientSecret string
	// OAuthURL is the OAuth server's base without a trailing slash, e.g.
	// https://zoom.us; the authorize, token and revoke URLs derive from it.
	OAuthURL string
	// APIURL is the default REST base, e.g. https://api.zoom.us/v2. A token's
	// own api_url (Auth.APIURL) takes precedence.
	APIURL string
	// RedirectURL is {BASE_URL}/oauth/zoom/callback; it must be on the app's
	// allow list.
	RedirectURL string
	// HTTPClient defaults to a client with a 15 s timeout.
	HTTPClient *http.Client
	// Now is the clock used for token expiry and Retry-After dates;
	// default time.Now.
	Now func() time.Time
}

// Client talks to Zoom. It is safe for concurrent use.
type Client struct {
	cfg  Config
	http *http.Client
	now  func() time.Time
}

// New returns a client for cfg.
func New(cfg Config) *Client {
	cfg.OAuthURL = strings.TrimRight(cfg.OAuthURL, "/")
	cfg.APIURL = strings.TrimRight(cfg.APIURL, "/")
	c := &Client{cfg: cfg, http: cfg.HTTPClient, now: cfg.Now}
	if c.http == nil {
		c.http = outbound.Client(15 * time.Second)
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c
}

// Token is what the token endpoint returned (§1.3). The caller stores all of
// it, encrypted. A zero ExpiresAt never happens: a missing expires_in counts
// as one hour.
type Token struct {
	AccessToken  string
	RefreshToken string
	ExpiresAt    time.Time
	// Scope is the space-separated list of scopes Zoom granted.
	Scope string
	// APIURL is the token response's api_url (the user's regional API host,
	// usually without /v2); it may be empty.
	APIURL string
}

// Auth returns what API calls need from t.
func (t *Token) Auth() Auth { return Auth{AccessToken: t.AccessToken, APIURL: t.APIURL} }

// HasScopes reports whether every scope in want was granted.
func (t *Token) HasScopes(want ...string) bool {
	granted := strings.Fields(t.Scope)
	for _, w := range want {
		found := false
		for _, g := range granted {
			if g == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// String hides the secrets so that a Token printed by mistake leaks nothing.
func (t Token) String() string {
	return fmt.Sprintf("zoom.Token{AccessToken:[redacted] RefreshToken:[redacted] ExpiresAt:%s Scope:%q APIURL:%q}",
		t.ExpiresAt.Format(time.RFC3339), t.Scope, t.APIURL)
}

// GoString hides the secrets from %#v.
func (t Token) GoString() string { return t.String() }

// LogValue hides the secrets from slog.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(slog.Time("expires_at", t.ExpiresAt), slog.String("scope", t.Scope), slog.String("api_url", t.APIURL))
}

// Auth is what an API call needs: the access token and, when the token
// response named one, the user's API base. An empty APIURL means
// Config.APIURL. An api_url without a /v2 path (Zoom sends
// "https://api-eu.zoom.us") gets /v2 appended (§1.3, §1.5).
type Auth struct {
	AccessToken string
	APIURL      string
}

// String hides the access token.
func (a Auth) String() string {
	return fmt.Sprintf("zoom.Auth{AccessToken:[redacted] APIURL:%q}", a.APIURL)
}

// GoString hides the access token from %#v.
func (a Auth) GoString() string { return a.String() }

// LogValue hides the access token from slog.
func (a Auth) LogValue() slog.Value { return slog.GroupValue(slog.String("api_url", a.APIURL)) }

// apiBase picks the REST base for a: the token's api_url when it is one
// DaoYue trusts with the bearer token (TrustedAPIURL), else Config.APIURL.
func (c *Client) apiBase(a Auth) string {
	if b, ok := NormalizeAPIURL(a.APIURL); ok && c.TrustedAPIURL(b) {
		return b
	}
	return c.cfg.APIURL
}

// TrustedAPIURL reports whether a REST base may receive access tokens: an
// https URL on Zoom's own hosts (zoom.us and its regional api-*.zoom.us),
// or one on the configured API's own scheme and host (the simulator). A
// token endpoint that named any other host would otherwise have the server
// send its bearer tokens there.
func (c *Client) TrustedAPIURL(base string) bool {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return false
	}
	if cfg, err := url.Parse(c.cfg.APIURL); err == nil && cfg.Host != "" && u.Scheme == cfg.Scheme && strings.EqualFold(u.Host, cfg.Host) {
		return true
	}
	host := strings.ToLower(u.Hostname())
	return u.Scheme == "https" && u.Port() == "" && (host == "zoom.us" || strings.HasSuffix(host, ".zoom.us"))
}

// NormalizeAPIURL turns a token response's api_url into a REST base:
// "https://api-eu.zoom.us" → "https://api-eu.zoom.us/v2"; a base whose path
// already ends in /v2 is kept; a base under a path prefix (a simulator
// mounted at /zoomsim) gets /v2 after the prefix. It reports false for an
// empty or unusable value (not absolute http(s), or with a query/fragment).
func NormalizeAPIURL(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", false
	}
	p := strings.TrimRight(u.Path, "/")
	if !strings.HasSuffix(p, "/v2") {
		p += "/v2"
	}
	u.Path, u.RawPath = p, ""
	return u.String(), true
}

// User is the connected Zoom user (§3).
type User struct {
	ID          string
	AccountID   string
	Email       string
	FirstName   string
	LastName    string
	DisplayName string
	Timezone    string
}

// Label is how DaoYue shows the connected account: "Name <email>", or
// whichever of the two is known.
func (u *User) Label() string {
	name := strings.TrimSpace(u.DisplayName)
	if name == "" {
		name = strings.TrimSpace(u.FirstName + " " + u.LastName)
	}
	switch {
	case name != "" && u.Email != "":
		return name + " <" + u.Email + ">"
	case name != "":
		return name
	default:
		return u.Email
	}
}

// maxBody caps how much of any response is read.
const maxBody = 1 << 20

// send runs one request and returns the status, headers and body, or an
// *Error for transport failures. secrets are scrubbed from any error text.
func (c *Client) send(req *http.Request, op string, secrets []string) (int, http.Header, []byte, error) {
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "DaoYue (+https://daoyue.app)")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, transportError(op, err, secrets)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return 0, nil, nil, transportError(op, err, secrets)
	}
	return resp.StatusCode, resp.Header, body, nil
}

// decode unmarshals a success body; a body that is not the expected JSON is
// reported as an *Error carrying the status (not temporary: the call did
// reach Zoom and may have had its effect).
func decode(op string, status int, body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return &Error{Op: op, Status: status, Message: "unreadable response from Zoom"}
	}
	return nil
}

// newRequest builds a request; a bad base URL is a configuration error.
func newRequest(ctx context.Context, op, method, u string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, fmt.Errorf("zoom: %s: bad endpoint URL in configuration", op)
	}
	return req, nil
}
