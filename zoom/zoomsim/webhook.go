package zoomsim

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// RetrySchedule is Zoom's webhook retry plan (§6.5): after a 5xx or a
// failed connection, retry 5 minutes after the first attempt, 20 minutes
// after the first retry and 60 minutes after the second; then drop.
var RetrySchedule = []time.Duration{5 * time.Minute, 20 * time.Minute, 60 * time.Minute}

type delivery struct {
	url, requestID string
	body           []byte
	attempts       int // retries done
	due            time.Time
}

// Sign is x-zm-signature for a timestamp and body (§6.3):
// "v0=" + hex(HMAC-SHA256(webhook secret, "v0:" + timestamp + ":" + body)).
func (s *Sim) Sign(timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(s.opts.WebhookSecret))
	mac.Write([]byte("v0:" + timestamp + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// EventBody is a delivery body {"event", "event_ts" (Unix ms), "payload"}.
func (s *Sim) EventBody(event string, payload any) []byte {
	b, _ := json.Marshal(struct {
		Event   string `json:"event"`
		EventTS int64  `json:"event_ts"`
		Payload any    `json:"payload"`
	}{event, s.now().UnixMilli(), payload})
	return b
}

// DeauthorizationPayload is the app_deauthorized payload for a user (§6.6,
// Zoom's documented example shape, including its odd string event_ts).
func (s *Sim) DeauthorizationPayload(userID string) map[string]any {
	u, _ := s.User(userID)
	now := s.now().UTC()
	return map[string]any{
		"account_id":           u.AccountID,
		"user_id":              userID,
		"signature":            randomHex(32),
		"deauthorization_time": now.Format("2006-01-02T15:04:05.000Z"),
		"client_id":            s.opts.ClientID,
		"event_ts":             now.Format("2006-01-02 15:04:05"),
	}
}

// SignedRequest builds a delivery as Zoom sends it (§6.2): POST, JSON body,
// x-zm-request-timestamp (now, Unix seconds), x-zm-signature over the exact
// body bytes and x-zm-request-id. Tests may change headers before sending to
// forge signatures or age timestamps, or send it twice to replay it
// (req.GetBody gives the body again).
func (s *Sim) SignedRequest(ctx context.Context, webhookURL string, body []byte) (*http.Request, error) {
	return s.signedRequest(ctx, webhookURL, body, newRequestID())
}

func (s *Sim) signedRequest(ctx context.Context, webhookURL string, body []byte, requestID string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, webhookURL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	ts := strconv.FormatInt(s.now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "Zoom Marketplace/1.0a")
	req.Header.Set("x-zm-request-timestamp", ts)
	req.Header.Set("x-zm-signature", s.Sign(ts, body))
	req.Header.Set("x-zm-request-id", requestID)
	return req, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func newRequestID() string {
	h := randomHex(16)
	return h[:8] + "_" + h[8:12] + "_" + h[12:16] + "_" + h[16:20] + "_" + h[20:32]
}

// SendDeauthorization does what removing the app in the Marketplace does:
// it revokes the user's tokens, then POSTs a signed app_deauthorized event.
// A 5xx answer or a failed connection is queued for Zoom's retries (see
// RetryDueDeliveries). The returned response's body is already read and may
// be read again; closing it is optional.
func (s *Sim) SendDeauthorization(ctx context.Context, webhookURL, userID string) (*http.Response, error) {
	if _, ok := s.User(userID); !ok {
		return nil, fmt.Errorf("zoomsim: unknown user %q", userID)
	}
	s.RevokeUser(userID)
	body := s.EventBody("app_deauthorized", s.DeauthorizationPayload(userID))
	return s.Deliver(ctx, webhookURL, body)
}

// Deliver signs and sends an event body, queuing Zoom's retries on a 5xx or
// a failed connection (never on 3xx or 4xx, §6.5).
func (s *Sim) Deliver(ctx context.Context, webhookURL string, body []byte) (*http.Response, error) {
	d := &delivery{url: webhookURL, requestID: newRequestID(), body: body}
	resp, err := s.attempt(ctx, d)
	if retryable(resp, err) {
		s.mu.Lock()
		d.due = s.now().Add(RetrySchedule[0])
		s.retries = append(s.retries, d)
		s.mu.Unlock()
	}
	return resp, err
}

func retryable(resp *http.Response, err error) bool {
	return err != nil || resp.StatusCode >= 500
}

func (s *Sim) attempt(ctx context.Context, d *delivery) (*http.Response, error) {
	req, err := s.signedRequest(ctx, d.url, d.body, d.requestID)
	if err != nil {
		return nil, err
	}
	resp, err := s.opts.WebhookClient.Do(req)
	if err != nil {
		return nil, err
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}

// PendingDeliveries is how many failed deliveries wait for a retry.
func (s *Sim) PendingDeliveries() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.retries)
}

// RetryDueDeliveries resends every queued delivery whose retry time (by the
// Now clock) has come, re-signed with a fresh timestamp and the same
// x-zm-request-id. It returns how many it sent. A delivery that fails again
// is queued for the next step of RetrySchedule, or dropped after the third
// retry.
func (s *Sim) RetryDueDeliveries(ctx context.Context) int {
	s.mu.Lock()
	now := s.now()
	var due, later []*delivery
	for _, d := range s.retries {
		if !now.Before(d.due) {
			due = append(due, d)
		} else {
			later = append(later, d)
		}
	}
	s.retries = later
	s.mu.Unlock()
	for _, d := range due {
		resp, err := s.attempt(ctx, d)
		d.attempts++
		if retryable(resp, err) && d.attempts < len(RetrySchedule) {
			s.mu.Lock()
			d.due = s.now().Add(RetrySchedule[d.attempts])
			s.retries = append(s.retries, d)
			s.mu.Unlock()
		}
	}
	return len(due)
}

// ValidateEndpoint runs Zoom's challenge-response check (§6.4): it sends a
// signed endpoint.url_validation event and requires, within 3 seconds
// (Options.WebhookTimeout), a 200
// or 204 answer {"plainToken", "encryptedToken"} with encryptedToken =
// hex(HMAC-SHA256(webhook secret, plainToken)).
func (s *Sim) ValidateEndpoint(ctx context.Context, webhookURL string) error {
	plain := randomID(16)
	body := s.EventBody("endpoint.url_validation", map[string]string{"plainToken": plain})
	ctx, cancel := context.WithTimeout(ctx, s.opts.WebhookTimeout)
	defer cancel()
	req, err := s.SignedRequest(ctx, webhookURL, body)
	if err != nil {
		return err
	}
	resp, err := s.opts.WebhookClient.Do(req)
	if err != nil {
		return fmt.Errorf("zoomsim: URL validation: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("zoomsim: URL validation: endpoint answered %d", resp.StatusCode)
	}
	var got struct {
		PlainToken     string `json:"plainToken"`
		EncryptedToken string `json:"encryptedToken"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&got); err != nil {
		return errors.New("zoomsim: URL validation: answer is not a JSON object")
	}
	mac := hmac.New(sha256.New, []byte(s.opts.WebhookSecret))
	mac.Write([]byte(plain))
	want := hex.EncodeToString(mac.Sum(nil))
	if got.PlainToken != plain {
		return errors.New("zoomsim: URL validation: plainToken not echoed")
	}
	if !hmac.Equal([]byte(got.EncryptedToken), []byte(want)) {
		return errors.New("zoomsim: URL validation: wrong encryptedToken")
	}
	return nil
}
