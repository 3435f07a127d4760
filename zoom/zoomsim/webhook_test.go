package zoomsim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/daoyue/daoyue/zoom"
	"github.com/daoyue/daoyue/zoom/zoomsim"
)

// receiver records deliveries and answers with status.
type receiver struct {
	mu     sync.Mutex
	status int
	got    []delivered
}

type delivered struct {
	header http.Header
	body   []byte
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.got = append(rc.got, delivered{r.Header.Clone(), b})
	st := rc.status
	rc.mu.Unlock()
	w.WriteHeader(st)
}

func (rc *receiver) deliveries() []delivered {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]delivered(nil), rc.got...)
}

func TestSendDeauthorization(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{WebhookSecret: "whsec-test"})
	u := e.s.Users()[0]
	tk := e.connect(u.ID)
	rc := &receiver{status: 200}
	hook := httptest.NewServer(rc)
	defer hook.Close()

	resp, err := e.s.SendDeauthorization(context.Background(), hook.URL, u.ID)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("send: %v %v", resp, err)
	}
	// Removing the app revoked the tokens first.
	wantAPIError(t, e.api("GET", "/users/me", tk.access, nil), 401, 124, "")
	if e.s.LiveRefreshTokens(u.ID) != 0 {
		t.Fatal("refresh token survived the deauthorization")
	}
	d := rc.deliveries()[0]
	if err := zoom.VerifyWebhook("whsec-test", d.header, d.body, e.clock.Now()); err != nil {
		t.Fatalf("signature does not verify: %v", err)
	}
	if err := zoom.VerifyWebhook("other-secret", d.header, d.body, e.clock.Now()); err != zoom.ErrBadSignature {
		t.Fatalf("wrong secret: %v", err)
	}
	if d.header.Get("x-zm-request-id") == "" || d.header.Get("x-zm-request-timestamp") != strconv.FormatInt(t0.Unix(), 10) ||
		d.header.Get("User-Agent") != "Zoom Marketplace/1.0a" {
		t.Errorf("headers %v", d.header)
	}
	var body struct {
		Event   string         `json:"event"`
		EventTS int64          `json:"event_ts"`
		Payload map[string]any `json:"payload"`
	}
	if err := json.Unmarshal(d.body, &body); err != nil {
		t.Fatal(err)
	}
	p := body.Payload
	if body.Event != "app_deauthorized" || body.EventTS != t0.UnixMilli() || p["user_id"] != u.ID || p["account_id"] != u.AccountID ||
		p["client_id"] != e.s.ClientID() || p["deauthorization_time"] != "2026-03-02T01:30:00.000Z" || p["event_ts"] != "2026-03-02 01:30:00" ||
		len(p["signature"].(string)) != 64 {
		t.Errorf("body %s", d.body)
	}
	ev, err := zoom.ParseEvent(d.body)
	if err != nil {
		t.Fatal(err)
	}
	da, err := ev.Deauthorization()
	if err != nil || da.UserID != u.ID || da.AccountID != u.AccountID || da.ClientID != e.s.ClientID() || !da.DeauthorizationTime.Equal(t0) {
		t.Fatalf("parsed %+v %v", da, err)
	}
	if e.s.PendingDeliveries() != 0 {
		t.Error("a 200 delivery was queued for retry")
	}
}

func TestWebhookRetrySchedule(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	rc := &receiver{status: 503}
	hook := httptest.NewServer(rc)
	defer hook.Close()
	ctx := context.Background()
	if _, err := e.s.SendDeauthorization(ctx, hook.URL, e.user(0)); err != nil {
		t.Fatal(err)
	}
	if e.s.PendingDeliveries() != 1 {
		t.Fatal("a 503 delivery was not queued")
	}
	steps := []time.Duration{5 * time.Minute, 20 * time.Minute, 60 * time.Minute}
	for i, step := range steps {
		e.clock.Advance(step - time.Second)
		if n := e.s.RetryDueDeliveries(ctx); n != 0 {
			t.Fatalf("retry %d sent early", i+1)
		}
		e.clock.Advance(time.Second)
		if n := e.s.RetryDueDeliveries(ctx); n != 1 {
			t.Fatalf("retry %d not sent", i+1)
		}
	}
	if e.s.PendingDeliveries() != 0 {
		t.Fatal("delivery kept after three retries")
	}
	got := rc.deliveries()
	if len(got) != 4 {
		t.Fatalf("%d deliveries, want 4", len(got))
	}
	for i, d := range got {
		if d.header.Get("x-zm-request-id") != got[0].header.Get("x-zm-request-id") || !bytes.Equal(d.body, got[0].body) {
			t.Errorf("retry %d is not the same event", i)
		}
	}
	// Each retry is signed afresh and verifies at its own time.
	last := got[3]
	if err := zoom.VerifyWebhook(e.s.WebhookSecret(), last.header, last.body, e.clock.Now()); err != nil {
		t.Errorf("last retry: %v", err)
	}

	// No retry for 4xx.
	rc.mu.Lock()
	rc.status = 401
	rc.mu.Unlock()
	e.s.SendDeauthorization(ctx, hook.URL, e.user(1))
	if e.s.PendingDeliveries() != 0 {
		t.Fatal("a 401 delivery was queued for retry")
	}

	// Connection failures are retried.
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	if _, err := e.s.SendDeauthorization(ctx, dead.URL, e.user(1)); err == nil {
		t.Fatal("delivery to a closed server succeeded")
	}
	if e.s.PendingDeliveries() != 1 {
		t.Fatal("a failed connection was not queued")
	}
}

func TestSignedRequestForgeries(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	body := e.s.EventBody("app_deauthorized", e.s.DeauthorizationPayload(e.user(0)))
	req, err := e.s.SignedRequest(context.Background(), "http://example.test/webhooks/zoom", body)
	if err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	secret := e.s.WebhookSecret()
	if err := zoom.VerifyWebhook(secret, req.Header, body, now); err != nil {
		t.Fatalf("genuine: %v", err)
	}
	// Replayed six minutes later: stale.
	if err := zoom.VerifyWebhook(secret, req.Header, body, now.Add(6*time.Minute)); err != zoom.ErrStaleTimestamp {
		t.Fatalf("replay: %v", err)
	}
	// Old timestamp re-signed correctly: stale too.
	old := strconv.FormatInt(now.Add(-10*time.Minute).Unix(), 10)
	h := req.Header.Clone()
	h.Set("x-zm-request-timestamp", old)
	h.Set("x-zm-signature", e.s.Sign(old, body))
	if err := zoom.VerifyWebhook(secret, h, body, now); err != zoom.ErrStaleTimestamp {
		t.Fatalf("old timestamp: %v", err)
	}
	// A changed timestamp without re-signing: bad signature.
	h = req.Header.Clone()
	h.Set("x-zm-request-timestamp", strconv.FormatInt(now.Unix()+1, 10))
	if err := zoom.VerifyWebhook(secret, h, body, now); err != zoom.ErrBadSignature {
		t.Fatalf("moved timestamp: %v", err)
	}
	// A changed body: bad signature.
	if err := zoom.VerifyWebhook(secret, req.Header, append(body, ' '), now); err != zoom.ErrBadSignature {
		t.Fatalf("changed body: %v", err)
	}
	h = req.Header.Clone()
	h.Del("x-zm-signature")
	if err := zoom.VerifyWebhook(secret, h, body, now); err != zoom.ErrMissingSignature {
		t.Fatalf("no signature: %v", err)
	}
}

// Not parallel: the good endpoint must answer within the 300 ms timeout.
func TestValidateEndpoint(t *testing.T) {
	e := newEnv(t, zoomsim.Options{WebhookSecret: "crc-secret", WebhookTimeout: 300 * time.Millisecond})
	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if zoom.VerifyWebhook("crc-secret", r.Header, b, e.clock.Now()) != nil {
			w.WriteHeader(401)
			return
		}
		ev, _ := zoom.ParseEvent(b)
		plain, err := ev.PlainToken()
		if err != nil {
			w.WriteHeader(400)
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"plainToken": plain, "encryptedToken": zoom.URLValidationResponse("crc-secret", plain)})
	}))
	defer good.Close()
	if err := e.s.ValidateEndpoint(context.Background(), good.URL); err != nil {
		t.Fatalf("good endpoint: %v", err)
	}
	wrong := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]string{"plainToken": "x", "encryptedToken": "y"})
	}))
	defer wrong.Close()
	if err := e.s.ValidateEndpoint(context.Background(), wrong.URL); err == nil {
		t.Fatal("wrong answer accepted")
	}
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // lets the server notice the client hanging up
		select {
		case <-time.After(time.Second):
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	if err := e.s.ValidateEndpoint(context.Background(), slow.URL); err == nil {
		t.Fatal("an answer after the deadline was accepted")
	}
}
