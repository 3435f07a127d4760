// Package line is DaoYue's client for the LINE Messaging API, one Client per
// studio: every studio connects its own LINE Official Account, so the
// credentials (channel id, channel secret) are per tenant. It covers what
// the product needs: push (with X-Line-Retry-Key) and reply messages, the
// monthly quota, bot info for onboarding and the add-friend link, account
// linking (link tokens) and webhook verification and parsing.
//
// It is written from /work/shared/line-api.md (section numbers in comments
// refer to it) with the standard library only; DECISIONS.md says why not the
// official SDK, and which token kind is used. Its tests run it against
// package linesim, a simulator written independently from the same document.
//
// Nothing here logs, and no error text carries a token or a secret.
package line

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/daoyue/daoyue/internal/outbound"
)

// Default endpoints (§7.2).
const (
	DefaultAPIURL    = "https://api.line.me"
	DefaultAccessURL = "https://access.line.me"
)

// maxResponse bounds what is read from LINE: every answer we use is small.
const maxResponse = 1 << 20

// Config is one studio's channel. Either ChannelID+ChannelSecret (the
// recommended stateless tokens, §2.2) or AccessToken (a long-lived token the
// studio pasted) must be set.
type Config struct {
	ChannelID     string
	ChannelSecret string
	// AccessToken, when set, is used as is and never re-minted: a 401 is then
	// an auth error the studio must fix by pasting a new token.
	AccessToken string
	// APIURL replaces https://api.line.me (the simulator's base, with its
	// mount prefix). AccessURL replaces https://access.line.me, where the
	// account-link dialog lives.
	APIURL, AccessURL string
	// HTTPClient defaults to a client with a 20 s timeout.
	HTTPClient *http.Client
	// Now is the clock for token expiry; default time.Now.
	Now func() time.Time
}

// Client talks to LINE for one channel. It is safe for concurrent use; keep
// one per studio so its stateless token is reused for its 15 minutes.
type Client struct {
	cfg   Config
	api   string
	http  *http.Client
	now   func() time.Time
	mu    sync.Mutex
	token string
	until time.Time
	// shown holds the current token for scrub, readable while mu is held.
	shown atomic.Value
}

// New checks the configuration and returns a client; nothing is sent yet.
func New(cfg Config) (*Client, error) {
	if cfg.AccessToken == "" && (cfg.ChannelID == "" || cfg.ChannelSecret == "") {
		return nil, fmt.Errorf("line: %w: need a channel id and secret, or an access token", ErrInvalidRequest)
	}
	api := strings.TrimRight(cfg.APIURL, "/")
	if api == "" {
		api = DefaultAPIURL
	}
	if u, err := url.Parse(api); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("line: %w: API URL must be an absolute http(s) URL", ErrInvalidRequest)
	}
	if cfg.AccessURL == "" {
		cfg.AccessURL = DefaultAccessURL
	}
	cfg.AccessURL = strings.TrimRight(cfg.AccessURL, "/")
	c := &Client{cfg: cfg, api: api, http: cfg.HTTPClient, now: cfg.Now}
	if c.http == nil {
		c.http = outbound.Client(20 * time.Second)
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c, nil
}

// NewRetryKey returns a random (version 4) UUID for X-Line-Retry-Key. Make
// one per logical notification and store it before the first attempt (§3.4).
func NewRetryKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// validUUID accepts the 8-4-4-4-12 hexadecimal form LINE asks for (§3.4).
func validUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// accessToken returns a usable token, minting a stateless one when the
// cached one is missing or about to expire (§2.1: 15 minutes, no cap).
func (c *Client) accessToken(ctx context.Context) (string, error) {
	if c.cfg.AccessToken != "" {
		return c.cfg.AccessToken, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" && c.now().Before(c.until) {
		return c.token, nil
	}
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {c.cfg.ChannelID},
		"client_secret": {c.cfg.ChannelSecret},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.api+"/oauth2/v3/token", strings.NewReader(form.Encode()))
	if err != nil {
		return "", c.transportError("issue token", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, body, err := c.send(req)
	if err != nil {
		return "", c.transportError("issue token", err)
	}
	if res.StatusCode != http.StatusOK {
		e := c.errorFrom("issue token", res, body)
		// 400 invalid_client/invalid_request: the studio's id or secret is wrong.
		if e.Status == http.StatusBadRequest || e.Status == http.StatusUnauthorized {
			e.Kind = KindAuth
		}
		return "", e
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || tok.AccessToken == "" {
		return "", &Error{Op: "issue token", Status: res.StatusCode, Kind: KindRetryable, Message: "unreadable token answer"}
	}
	life := time.Duration(tok.ExpiresIn) * time.Second
	// Renew a minute early so a token never expires in flight.
	if life > 2*time.Minute {
		life -= time.Minute
	} else {
		life /= 2
	}
	c.token, c.until = tok.AccessToken, c.now().Add(life)
	c.shown.Store(c.token)
	return c.token, nil
}

// forget drops a cached token LINE refused, unless a newer one replaced it.
func (c *Client) forget(tok string) {
	c.mu.Lock()
	if c.token == tok {
		c.token, c.until = "", time.Time{}
	}
	c.mu.Unlock()
}

// send performs req and reads a bounded body.
func (c *Client) send(req *http.Request) (*http.Response, []byte, error) {
	res, err := c.http.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxResponse))
	if err != nil {
		return nil, nil, err
	}
	return res, body, nil
}

// call sends an authorised JSON request. A 401 on a minted token re-mints
// once and resends (the token may have been dropped early; a 401 means the
// request was not accepted, so resending cannot duplicate). Non-2xx answers
// are returned, not turned into errors: push must see 409.
func (c *Client) call(ctx context.Context, op, method, path string, in any, header map[string]string) (*http.Response, []byte, error) {
	var payload []byte
	if in != nil {
		var err error
		if payload, err = json.Marshal(in); err != nil {
			return nil, nil, fmt.Errorf("line: %s: %w: %v", op, ErrInvalidRequest, err)
		}
	}
	for attempt := 0; ; attempt++ {
		tok, err := c.accessToken(ctx)
		if err != nil {
			return nil, nil, err
		}
		var rd io.Reader
		if payload != nil {
			rd = bytes.NewReader(payload)
		}
		req, err := http.NewRequestWithContext(ctx, method, c.api+path, rd)
		if err != nil {
			return nil, nil, c.transportError(op, err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		if payload != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		res, body, err := c.send(req)
		if err != nil {
			return nil, nil, c.transportError(op, err)
		}
		if res.StatusCode == http.StatusUnauthorized && c.cfg.AccessToken == "" && attempt == 0 {
			c.forget(tok)
			continue
		}
		return res, body, nil
	}
}

// decode turns a non-2xx answer into an *Error and decodes a 2xx into out.
func (c *Client) decode(op string, res *http.Response, body []byte, out any) error {
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return c.errorFrom(op, res, body)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		// The call took effect; retrying could repeat it, so not retryable.
		return &Error{Op: op, Status: res.StatusCode, Kind: KindPermanent, Message: "unreadable answer", RequestID: res.Header.Get("X-Line-Request-Id")}
	}
	return nil
}

// get is an authorised GET decoded into out.
func (c *Client) get(ctx context.Context, op, path string, out any) error {
	res, body, err := c.call(ctx, op, http.MethodGet, path, nil, nil)
	if err != nil {
		return err
	}
	return c.decode(op, res, body, out)
}

// scrub removes this client's secrets from text LINE sent back, in case an
// answer ever echoes them.
func (c *Client) scrub(s string) string {
	tok, _ := c.shown.Load().(string)
	for _, secret := range []string{tok, c.cfg.AccessToken, c.cfg.ChannelSecret} {
		if len(secret) >= 8 {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}
