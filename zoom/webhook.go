package zoom

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Webhook event names DaoYue handles (§6).
const (
	EventURLValidation   = "endpoint.url_validation"
	EventAppDeauthorized = "app_deauthorized"
)

// Errors VerifyWebhook returns. All of them mean: answer 401 and do nothing.
var (
	ErrMissingSignature = errors.New("zoom webhook: missing x-zm-signature or x-zm-request-timestamp header")
	ErrBadSignature     = errors.New("zoom webhook: signature does not match")
	ErrStaleTimestamp   = errors.New("zoom webhook: timestamp outside the 5-minute window")
	ErrNoWebhookSecret  = errors.New("zoom webhook: no secret token configured")
)

// WebhookTolerance is how far x-zm-request-timestamp may be from now.
const WebhookTolerance = 5 * time.Minute

// VerifyWebhook checks a delivery's signature (§6.3):
// x-zm-signature must be "v0=" + hex(HMAC-SHA256(secret, "v0:" + timestamp +
// ":" + body)) over the raw body bytes, compared in constant time, and
// x-zm-request-timestamp (Unix seconds) must be within five minutes of now.
// The signature is checked first, so a forged request is always
// ErrBadSignature and a genuine but old or replayed one ErrStaleTimestamp.
func VerifyWebhook(secret string, h http.Header, body []byte, now time.Time) error {
	if secret == "" {
		return ErrNoWebhookSecret
	}
	sig := strings.TrimSpace(h.Get("x-zm-signature"))
	ts := h.Get("x-zm-request-timestamp") // signed exactly as received
	if sig == "" || ts == "" {
		return ErrMissingSignature
	}
	got, ok := strings.CutPrefix(sig, "v0=")
	if !ok {
		return ErrBadSignature
	}
	gotMAC, err := hex.DecodeString(got)
	if err != nil || len(gotMAC) != sha256.Size {
		return ErrBadSignature
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	if !hmac.Equal(mac.Sum(nil), gotMAC) {
		return ErrBadSignature
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sec < 0 || sec > 1<<40 {
		return ErrStaleTimestamp
	}
	if d := now.Sub(time.Unix(sec, 0)); d > WebhookTolerance || d < -WebhookTolerance {
		return ErrStaleTimestamp
	}
	return nil
}

// URLValidationResponse is the encryptedToken of an endpoint.url_validation
// answer: hex(HMAC-SHA256(secret, plainToken)) (§6.4). Answer
// {"plainToken": plainToken, "encryptedToken": this} with 200 within 3 s.
func URLValidationResponse(secret, plainToken string) (encryptedToken string) {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(plainToken))
	return hex.EncodeToString(mac.Sum(nil))
}

// Event is a webhook delivery: {"event", "event_ts" (Unix ms), "payload"}.
type Event struct {
	Event   string
	EventTS int64 // Unix milliseconds; 0 when absent or unreadable
	Payload json.RawMessage
}

// ParseEvent reads a delivery body. It fails on anything but a JSON object
// with a non-empty "event"; event_ts may be a number or a numeric string.
func ParseEvent(body []byte) (*Event, error) {
	var raw struct {
		Event   string          `json:"event"`
		EventTS json.RawMessage `json:"event_ts"`
		Payload json.RawMessage `json:"payload"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, errors.New("zoom webhook: body is not a JSON object")
	}
	if strings.TrimSpace(raw.Event) == "" {
		return nil, errors.New("zoom webhook: no event name")
	}
	e := &Event{Event: raw.Event, EventTS: parseMillis(raw.EventTS)}
	if p := bytes.TrimSpace(raw.Payload); len(p) > 0 && !bytes.Equal(p, []byte("null")) {
		e.Payload = raw.Payload
	}
	return e, nil
}

func parseMillis(raw json.RawMessage) int64 {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		return n
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > 0 && f < 1e15 {
		return int64(f)
	}
	return 0
}

// PlainToken returns the plainToken of an endpoint.url_validation event.
func (e *Event) PlainToken() (string, error) {
	var p struct {
		PlainToken string `json:"plainToken"`
	}
	if e.Event != EventURLValidation || json.Unmarshal(e.Payload, &p) != nil || p.PlainToken == "" {
		return "", errors.New("zoom webhook: not a URL validation event with a plainToken")
	}
	return p.PlainToken, nil
}

// Deauthorization is an app_deauthorized payload (§6.6): the user removed
// DaoYue in the Zoom Marketplace. Delete their tokens at once and their Zoom
// data within 10 days.
type Deauthorization struct {
	AccountID string
	UserID    string
	ClientID  string
	// Signature is Zoom's unique ID of this deauthorization instance (not a
	// cryptographic check; usable to de-duplicate deliveries).
	Signature           string
	DeauthorizationTime time.Time // zero when absent or unreadable
}

// Deauthorization parses the payload of an app_deauthorized event.
func (e *Event) Deauthorization() (*Deauthorization, error) {
	if e.Event != EventAppDeauthorized {
		return nil, errors.New("zoom webhook: not an app_deauthorized event")
	}
	return ParseDeauthorization(e.Payload)
}

// ParseDeauthorization reads an app_deauthorized payload defensively: it
// needs user_id and account_id; deauthorization_time may be RFC 3339 or
// "2006-01-02 15:04:05" (UTC); the odd payload event_ts string is ignored.
func ParseDeauthorization(payload json.RawMessage) (*Deauthorization, error) {
	var p struct {
		AccountID           string `json:"account_id"`
		UserID              string `json:"user_id"`
		ClientID            string `json:"client_id"`
		Signature           string `json:"signature"`
		DeauthorizationTime string `json:"deauthorization_time"`
	}
	if err := json.Unmarshal(payload, &p); err != nil {
		return nil, errors.New("zoom webhook: app_deauthorized payload is not a JSON object")
	}
	if p.UserID == "" || p.AccountID == "" {
		return nil, errors.New("zoom webhook: app_deauthorized payload without user_id or account_id")
	}
	d := &Deauthorization{AccountID: p.AccountID, UserID: p.UserID, ClientID: p.ClientID, Signature: p.Signature}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, p.DeauthorizationTime); err == nil {
			d.DeauthorizationTime = t.UTC()
			break
		}
	}
	return d, nil
}
