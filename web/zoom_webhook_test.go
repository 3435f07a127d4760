package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
	"github.com/daoyue/daoyue/zoom"
)

// connectDefault connects practitioner pid to a Zoom user through the API
// and a browser, and makes Zoom its default tool.
func (e *zoomEnv) connectDefault(pid, zoomUserID string) {
	e.t.Helper()
	base := "/api/v1/workspaces/studio-a/practitioners/" + pid + "/zoom"
	var out struct {
		AuthorizeURL string `json:"authorize_url"`
	}
	e.api.must(200, "POST", base+"/connect", e.api.tokA, nil).decode(e.t, &out)
	b := e.browser(e.t)
	resp := b.do(mustGet(e.t, b.consent(out.AuthorizeURL, zoomUserID, true).String()))
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("callback: %d", resp.StatusCode)
	}
	e.api.must(200, "POST", base+"/default", e.api.tokA, nil)
}

type webhookAnswer struct {
	status int
	body   []byte
}

// post sends req and reads the answer.
func postWebhook(t *testing.T, req *http.Request) webhookAnswer {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("webhook answer Content-Type %q", ct)
	}
	return webhookAnswer{resp.StatusCode, b}
}

func (a webhookAnswer) code() string {
	var e APIError
	_ = json.Unmarshal(a.body, &e)
	return e.Error.Code
}

// POST /webhooks/zoom: Zoom's URL validation is answered as Zoom expects;
// app_deauthorized deletes the user's tokens and purges their meetings'
// Zoom data; forged, unsigned and stale deliveries change nothing; Zoom's
// retries of one event count once.
func TestZoomWebhook(t *testing.T) {
	t.Parallel()
	eachZoomStore(t, func(t *testing.T, e *zoomEnv) {
		ctx := context.Background()
		A := e.A
		hook := e.webhookURL()
		e.connectDefault(A.Lin.ID, e.zLin.ID)
		bk := e.book("studio-a", A.Online, A.Lin.ID, pgAt(1, 10, 0), "Webhook Client")
		created := e.wait("studio-a", bk.Booking.ID, "its meeting", func(b *daoyue.Booking) bool { return b.Meeting.Status == daoyue.MeetingCreated })

		// URL validation, as the simulator's Validate button does it.
		if err := e.sim.ValidateEndpoint(ctx, hook); err != nil {
			t.Fatalf("URL validation: %v", err)
		}
		body := e.sim.EventBody(zoom.EventURLValidation, map[string]string{"plainToken": "qgg8vlvZRS6UYooatFL8Aw"})
		req, _ := e.sim.SignedRequest(ctx, hook, body)
		a := postWebhook(t, req)
		var crc map[string]string
		if err := json.Unmarshal(a.body, &crc); a.status != 200 || err != nil || len(crc) != 2 || crc["plainToken"] != "qgg8vlvZRS6UYooatFL8Aw" ||
			crc["encryptedToken"] != zoom.URLValidationResponse(zoomWebhookSecret, "qgg8vlvZRS6UYooatFL8Aw") {
			t.Errorf("URL validation answer: %d %s", a.status, a.body)
		}
		// An unsigned URL validation is refused too.
		req, _ = http.NewRequest(http.MethodPost, hook, bytes.NewReader(body))
		if a := postWebhook(t, req); a.status != 401 || a.code() != "invalid_signature" {
			t.Errorf("unsigned URL validation: %d %s", a.status, a.body)
		}

		// Forged, unsigned and stale deliveries: 401, nothing changes.
		deauth := e.sim.EventBody(zoom.EventAppDeauthorized, e.sim.DeauthorizationPayload(e.zLin.ID))
		now := e.clock.Now()
		for name, mod := range map[string]func(*http.Request){
			"bad signature": func(r *http.Request) { r.Header.Set("x-zm-signature", "v0="+strings.Repeat("0", 64)) },
			"other secret": func(r *http.Request) {
				r.Header.Set("x-zm-signature", "v0="+hmacHex("not-the-secret", r.Header.Get("x-zm-request-timestamp"), deauth))
			},
			"no signature":    func(r *http.Request) { r.Header.Del("x-zm-signature") },
			"no timestamp":    func(r *http.Request) { r.Header.Del("x-zm-request-timestamp") },
			"no headers":      func(r *http.Request) { r.Header.Del("x-zm-signature"); r.Header.Del("x-zm-request-timestamp") },
			"6 minutes old":   stamp(e, now.Add(-6*time.Minute), deauth),
			"6 minutes ahead": stamp(e, now.Add(6*time.Minute), deauth),
			"changed body": func(r *http.Request) {
				r.Body, r.ContentLength, r.GetBody = io.NopCloser(bytes.NewReader(append([]byte(" "), deauth...))), int64(len(deauth)+1), nil
			},
		} {
			req, _ := e.sim.SignedRequest(ctx, hook, deauth)
			mod(req)
			a := postWebhook(t, req)
			if a.status != http.StatusUnauthorized || a.code() != "invalid_signature" {
				t.Errorf("%s: %d %s", name, a.status, a.body)
			}
		}
		if c := e.connection("studio-a", A.Lin.ID); c == nil {
			t.Fatal("a refused delivery deleted the connection")
		}

		// The genuine event (four minutes off is still within Zoom's
		// window): tokens deleted at once, Zoom data purged.
		e.sim.RevokeUser(e.zLin.ID)
		req, _ = e.sim.SignedRequest(ctx, hook, deauth)
		stamp(e, now.Add(-4*time.Minute), deauth)(req)
		if a := postWebhook(t, req); a.status != 200 {
			t.Fatalf("app_deauthorized: %d %s", a.status, a.body)
		}
		if c := e.connection("studio-a", A.Lin.ID); c != nil {
			t.Fatal("tokens kept after app_deauthorized")
		}
		purged := e.wait("studio-a", bk.Booking.ID, "purged", func(b *daoyue.Booking) bool { return b.Meeting.Status == daoyue.MeetingPurged })
		if purged.Meeting.JoinURL != "" || purged.Meeting.Passcode != "" || purged.Meeting.ZoomID != 0 || purged.Meeting.ZoomUserID != "" {
			t.Errorf("Zoom data kept: %+v", purged.Meeting)
		}
		m, r := e.apiMeeting("studio-a", bk.Booking.ID, e.api.tokA)
		if m.Status != "purged" || m.JoinURL != "" || m.MeetingID != "" || m.Passcode != "" || m.StatusMessage != i18n.T(i18n.ZH, "meeting.note.zoom_removed", nil) {
			t.Errorf("API after purge: %+v", m)
		}
		if strings.Contains(string(r.body), created.Meeting.JoinURL) {
			t.Error("the join URL is still served")
		}
		b := e.browser(t)
		b.login("owner@a.example")
		d := b.get("/admin/studio-a/bookings/" + bk.Booking.ID)
		d.wantText(".meeting-status", msg("zh-TW", "meeting.note.zoom_removed"))
		d.wantCount("#meeting-join-url", 0)
		d.wantNoText(created.Meeting.JoinURL)
		d.wantText(".history", msg("zh-TW", "audit.meeting.purged"))
		if z := e.apiZoomOf("studio-a", A.Lin.ID, e.api.tokA); z.Status != "not_connected" {
			t.Errorf("card after app_deauthorized: %+v", z)
		}

		// Zoom delivers the same event again (a retry): handled once. Lin
		// connected again in between keeps the new connection.
		e.clock.Advance(time.Minute)
		e.connectDefault(A.Lin.ID, e.zLin.ID)
		req, _ = e.sim.SignedRequest(ctx, hook, deauth)
		if a := postWebhook(t, req); a.status != 200 {
			t.Fatalf("replayed app_deauthorized: %d %s", a.status, a.body)
		}
		if c := e.connection("studio-a", A.Lin.ID); c == nil {
			t.Fatal("a replay of the old event removed the new connection")
		}
		entries := string(e.api.must(200, "GET", "/api/v1/workspaces/studio-a/audit?limit=200", e.api.tokA, nil).body)
		if n := strings.Count(entries, `"zoom.deauthorized"`); n != 1 {
			t.Errorf("%d zoom.deauthorized audit entries", n)
		}
		// A later removal of the app (a new event) does remove it.
		e.clock.Advance(time.Minute)
		if resp, err := e.sim.SendDeauthorization(ctx, hook, e.zLin.ID); err != nil || resp.StatusCode != 200 {
			t.Fatalf("second removal: %v %v", resp, err)
		}
		if c := e.connection("studio-a", A.Lin.ID); c != nil {
			t.Error("the second removal kept the connection")
		}

		// Unknown users and events: 200, nothing to do.
		unknown := e.sim.EventBody(zoom.EventAppDeauthorized, map[string]any{"account_id": "acc", "user_id": "nobody-we-know",
			"signature": "x", "deauthorization_time": "2030-01-07T00:00:00.000Z", "client_id": e.sim.ClientID()})
		req, _ = e.sim.SignedRequest(ctx, hook, unknown)
		if a := postWebhook(t, req); a.status != 200 {
			t.Errorf("unknown user: %d %s", a.status, a.body)
		}
		other := e.sim.EventBody("meeting.started", map[string]any{"account_id": "acc", "object": map[string]any{"id": 1}})
		req, _ = e.sim.SignedRequest(ctx, hook, other)
		if a := postWebhook(t, req); a.status != 200 {
			t.Errorf("unknown event: %d %s", a.status, a.body)
		}
		// Signed, but not an event.
		req, _ = e.sim.SignedRequest(ctx, hook, []byte(`[1,2]`))
		if a := postWebhook(t, req); a.status != 400 {
			t.Errorf("not an event: %d %s", a.status, a.body)
		}
		// Too large.
		big := e.sim.EventBody("meeting.started", map[string]any{"pad": strings.Repeat("x", 70<<10)})
		req, _ = e.sim.SignedRequest(ctx, hook, big)
		if a := postWebhook(t, req); a.status != http.StatusRequestEntityTooLarge {
			t.Errorf("70 KiB body: %d", a.status)
		}
	})
}

// Without a webhook secret the endpoint cannot verify anything: 503.
func TestZoomWebhookUnconfigured(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		srv := New(Config{App: e.app, Store: e.db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: e.ts.URL})
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/webhooks/zoom", strings.NewReader(`{"event":"endpoint.url_validation","payload":{"plainToken":"x"}}`)))
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "zoom_webhook_not_configured") {
			t.Errorf("no secret: %d %s", rec.Code, rec.Body)
		}
		// GET is not a webhook.
		rec = httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/webhooks/zoom", nil))
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET /webhooks/zoom: %d", rec.Code)
		}
	})
}

// stamp re-signs a delivery as made at t (a genuine signature over an old
// or future timestamp).
func stamp(e *zoomEnv, t time.Time, body []byte) func(*http.Request) {
	return func(r *http.Request) {
		ts := strconv.FormatInt(t.Unix(), 10)
		r.Header.Set("x-zm-request-timestamp", ts)
		r.Header.Set("x-zm-signature", e.sim.Sign(ts, body))
	}
}

func hmacHex(secret, ts string, body []byte) string {
	s := zoom.URLValidationResponse(secret, "v0:"+ts+":"+string(body))
	return s
}
