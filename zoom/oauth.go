package zoom

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// NewPKCE returns a fresh PKCE verifier (43 characters from 32 random bytes)
// and its S256 challenge, base64url(SHA-256(verifier)) without padding.
func NewPKCE() (verifier, challenge string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	verifier = base64.RawURLEncoding.EncodeToString(b)
	return verifier, PKCEChallenge(verifier)
}

// PKCEChallenge is the S256 challenge of verifier.
func PKCEChallenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// AuthorizeURL is where the user consents (§1.2). Scopes are not sent: Zoom
// takes them from the app's configuration.
func (c *Client) AuthorizeURL(state, challenge string) string {
	q := url.Values{}
	q.Set("response_type", "code")
	q.Set("client_id", c.cfg.ClientID)
	q.Set("redirect_uri", c.cfg.RedirectURL)
	if state != "" {
		q.Set("state", state)
	}
	if challenge != "" {
		q.Set("code_challenge", challenge)
		q.Set("code_challenge_method", "S256")
	}
	return c.cfg.OAuthURL + "/oauth/authorize?" + q.Encode()
}

// Exchange trades an authorization code and its PKCE verifier for tokens
// (§1.3). A bad, expired or reused code or a wrong verifier gives an error
// for which IsInvalidGrant is true. Zoom revokes the user's earlier tokens
// for this app when this succeeds (§1.4, 4741).
func (c *Client) Exchange(ctx context.Context, code, verifier string) (*Token, error) {
	const op = "exchange code"
	if code == "" {
		return nil, fmt.Errorf("zoom: %s: %w: empty code", op, ErrInvalidRequest)
	}
	form := url.Values{}
	form.Set("grant_type", "authorization_code")
	form.Set("code", code)
	form.Set("redirect_uri", c.cfg.RedirectURL)
	if verifier != "" {
		form.Set("code_verifier", verifier)
	}
	return c.token(ctx, op, form, "", []string{code, verifier})
}

// Refresh trades a refresh token for a new access token AND a new refresh
// token (§1.4). The old refresh token is dead from now on: store the
// returned Token before using it. A used, revoked or expired refresh token
// gives an error for which IsInvalidGrant is true; 5xx, 429 and transport
// errors are not a dead grant.
func (c *Client) Refresh(ctx context.Context, refreshToken string) (*Token, error) {
	const op = "refresh token"
	if refreshToken == "" {
		return nil, fmt.Errorf("zoom: %s: %w: empty refresh token", op, ErrInvalidRequest)
	}
	form := url.Values{}
	form.Set("grant_type", "refresh_token")
	form.Set("refresh_token", refreshToken)
	return c.token(ctx, op, form, refreshToken, []string{refreshToken})
}

// Revoke revokes a token at Zoom (§1.6); Zoom revokes the access and the
// refresh token of that authorization together.
func (c *Client) Revoke(ctx context.Context, token string) error {
	const op = "revoke token"
	if token == "" {
		return fmt.Errorf("zoom: %s: %w: empty token", op, ErrInvalidRequest)
	}
	form := url.Values{}
	form.Set("token", token)
	secrets := []string{token, c.cfg.ClientSecret}
	status, h, body, err := c.postForm(ctx, op, "/oauth/revoke", form, secrets)
	if err != nil {
		return err
	}
	if status != http.StatusOK && status != http.StatusNoContent {
		return oauthError(op, status, h, body, c.now(), secrets)
	}
	return nil
}

func (c *Client) postForm(ctx context.Context, op, path string, form url.Values, secrets []string) (int, http.Header, []byte, error) {
	req, err := newRequest(ctx, op, http.MethodPost, c.cfg.OAuthURL+path, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, nil, nil, err
	}
	req.SetBasicAuth(c.cfg.ClientID, c.cfg.ClientSecret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.send(req, op, secrets)
}

// tokenResponse is the token endpoint's 200 body (§1.3).
type tokenResponse struct {
	AccessToken  string      `json:"access_token"`
	TokenType    string      `json:"token_type"`
	RefreshToken string      `json:"refresh_token"`
	ExpiresIn    json.Number `json:"expires_in"`
	Scope        string      `json:"scope"`
	APIURL       string      `json:"api_url"`
}

func (c *Client) token(ctx context.Context, op string, form url.Values, oldRefresh string, secrets []string) (*Token, error) {
	secrets = append(secrets, c.cfg.ClientSecret)
	start := c.now()
	status, h, body, err := c.postForm(ctx, op, "/oauth/token", form, secrets)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, oauthError(op, status, h, body, c.now(), secrets)
	}
	var tr tokenResponse
	if err := decode(op, status, body, &tr); err != nil {
		return nil, err
	}
	if tr.AccessToken == "" {
		return nil, &Error{Op: op, Status: status, Message: "token response without an access token", oauth: true}
	}
	if tr.TokenType != "" && !strings.EqualFold(tr.TokenType, "bearer") {
		return nil, &Error{Op: op, Status: status, Message: "unexpected token type", oauth: true}
	}
	secs, err := tr.ExpiresIn.Int64()
	if err != nil || secs <= 0 {
		secs = 3600 // Zoom's documented lifetime (§1.3)
	}
	t := &Token{
		AccessToken:  tr.AccessToken,
		RefreshToken: tr.RefreshToken,
		// Count from when the request was sent, so the token is never
		// believed to live longer than it does.
		ExpiresAt: start.Add(time.Duration(secs) * time.Second),
		Scope:     tr.Scope,
		APIURL:    tr.APIURL,
	}
	if t.RefreshToken == "" {
		t.RefreshToken = oldRefresh
	}
	return t, nil
}
