package zoom_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue/zoom"
)

func sign(secret, ts string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

func signedHeader(secret string, at time.Time, body []byte) http.Header {
	ts := strconv.FormatInt(at.Unix(), 10)
	h := http.Header{}
	h.Set("x-zm-request-timestamp", ts)
	h.Set("x-zm-signature", sign(secret, ts, body))
	return h
}

func TestVerifyWebhook(t *testing.T) {
	t.Parallel()
	const secret = "whsec"
	now := time.Unix(1739923528, 0)
	body := []byte(`{"event":"app_deauthorized","event_ts":1739923528000,"payload":{"user_id":"u","account_id":"a"}}`)
	for _, tc := range []struct {
		name   string
		secret string
		header func() http.Header
		body   []byte
		at     time.Time
		want   error
	}{
		{"genuine", secret, func() http.Header { return signedHeader(secret, now, body) }, body, now, nil},
		{"4m59s late", secret, func() http.Header { return signedHeader(secret, now, body) }, body, now.Add(299 * time.Second), nil},
		{"clock 4m ahead of ours", secret, func() http.Header { return signedHeader(secret, now.Add(4*time.Minute), body) }, body, now, nil},
		{"stale", secret, func() http.Header { return signedHeader(secret, now, body) }, body, now.Add(5*time.Minute + time.Second), zoom.ErrStaleTimestamp},
		{"future", secret, func() http.Header { return signedHeader(secret, now.Add(6*time.Minute), body) }, body, now, zoom.ErrStaleTimestamp},
		{"wrong secret", "other", func() http.Header { return signedHeader(secret, now, body) }, body, now, zoom.ErrBadSignature},
		{"body changed", secret, func() http.Header { return signedHeader(secret, now, body) }, append([]byte(" "), body...), now, zoom.ErrBadSignature},
		{"no v0 prefix", secret, func() http.Header {
			h := signedHeader(secret, now, body)
			h.Set("x-zm-signature", h.Get("x-zm-signature")[3:])
			return h
		}, body, now, zoom.ErrBadSignature},
		{"not hex", secret, func() http.Header {
			h := signedHeader(secret, now, body)
			h.Set("x-zm-signature", "v0=zz")
			return h
		}, body, now, zoom.ErrBadSignature},
		{"non-numeric timestamp, signed", secret, func() http.Header {
			h := http.Header{}
			h.Set("x-zm-request-timestamp", "yesterday")
			h.Set("x-zm-signature", sign(secret, "yesterday", body))
			return h
		}, body, now, zoom.ErrStaleTimestamp},
		{"no signature", secret, func() http.Header {
			h := signedHeader(secret, now, body)
			h.Del("x-zm-signature")
			return h
		}, body, now, zoom.ErrMissingSignature},
		{"no timestamp", secret, func() http.Header {
			h := signedHeader(secret, now, body)
			h.Del("x-zm-request-timestamp")
			return h
		}, body, now, zoom.ErrMissingSignature},
		{"no secret configured", "", func() http.Header { return signedHeader("", now, body) }, body, now, zoom.ErrNoWebhookSecret},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := zoom.VerifyWebhook(tc.secret, tc.header(), tc.body, tc.at); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestURLValidationResponse(t *testing.T) {
	t.Parallel()
	// hex(HMAC-SHA256("secret", "qgg8vlvZRS6UYooatFL8Aw")), computed independently.
	mac := hmac.New(sha256.New, []byte("secret"))
	mac.Write([]byte("qgg8vlvZRS6UYooatFL8Aw"))
	if got := zoom.URLValidationResponse("secret", "qgg8vlvZRS6UYooatFL8Aw"); got != hex.EncodeToString(mac.Sum(nil)) || len(got) != 64 {
		t.Fatalf("encryptedToken %s", got)
	}
	ev, err := zoom.ParseEvent([]byte(`{ "payload": { "plainToken": "qgg8vlvZRS6UYooatFL8Aw" }, "event_ts": 1654503849680, "event": "endpoint.url_validation" }`))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := ev.PlainToken()
	if err != nil || plain != "qgg8vlvZRS6UYooatFL8Aw" || ev.EventTS != 1654503849680 || ev.Event != zoom.EventURLValidation {
		t.Fatalf("validation event %+v %v", ev, err)
	}
}

// Zoom's documented app_deauthorized example, verbatim (§6.6).
const deauthExample = `{
  "event": "app_deauthorized",
  "payload": {
    "account_id": "AAAAAABBBB",
    "user_id": "abcD3ojfdbjfg",
    "signature": "827edc3452044f0bc86bdd5684afb7d1e6becfa1a767f24df1b287853cf73000",
    "deauthorization_time": "2020-06-17T13:52:28.632Z",
    "client_id": "ABCDEFGHIJKLMNOPQRST!V",
    "event_ts": "2024-09-08 15:58:40"
  }
}`

func TestParseDeauthorization(t *testing.T) {
	t.Parallel()
	ev, err := zoom.ParseEvent([]byte(deauthExample))
	if err != nil {
		t.Fatal(err)
	}
	if ev.Event != zoom.EventAppDeauthorized || ev.EventTS != 0 {
		t.Fatalf("event %+v", ev)
	}
	d, err := ev.Deauthorization()
	if err != nil {
		t.Fatal(err)
	}
	want := zoom.Deauthorization{AccountID: "AAAAAABBBB", UserID: "abcD3ojfdbjfg", ClientID: "ABCDEFGHIJKLMNOPQRST!V",
		Signature:           "827edc3452044f0bc86bdd5684afb7d1e6becfa1a767f24df1b287853cf73000",
		DeauthorizationTime: time.Date(2020, 6, 17, 13, 52, 28, 632e6, time.UTC)}
	if *d != want {
		t.Fatalf("got %+v\nwant %+v", *d, want)
	}
	// Top-level event_ts as a number or a string.
	for _, body := range []string{
		`{"event":"app_deauthorized","event_ts":1739923528123,"payload":{"user_id":"u","account_id":"a","deauthorization_time":"2025-02-19 00:05:28"}}`,
		`{"event":"app_deauthorized","event_ts":"1739923528123","payload":{"user_id":"u","account_id":"a","deauthorization_time":"2025-02-19T00:05:28Z"}}`,
	} {
		ev, err := zoom.ParseEvent([]byte(body))
		if err != nil || ev.EventTS != 1739923528123 {
			t.Fatalf("%s: %+v %v", body, ev, err)
		}
		d, err := ev.Deauthorization()
		if err != nil || !d.DeauthorizationTime.Equal(time.Date(2025, 2, 19, 0, 5, 28, 0, time.UTC)) {
			t.Fatalf("%s: %+v %v", body, d, err)
		}
	}
	for _, bad := range []string{
		`{"event":"app_deauthorized","payload":{"account_id":"a"}}`,
		`{"event":"app_deauthorized","payload":"nope"}`,
		`{"event":"app_deauthorized"}`,
	} {
		ev, err := zoom.ParseEvent([]byte(bad))
		if err != nil {
			t.Fatalf("%s: %v", bad, err)
		}
		if _, err := ev.Deauthorization(); err == nil {
			t.Errorf("%s: parsed", bad)
		}
	}
	ev, _ = zoom.ParseEvent([]byte(`{"event":"meeting.deleted","payload":{}}`))
	if _, err := ev.Deauthorization(); err == nil {
		t.Error("meeting.deleted parsed as a deauthorization")
	}
}

func TestParseEventRejects(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{``, `null`, `[]`, `"x"`, `{}`, `{"event":""}`, `{"event":5}`, `{"event":"x"`} {
		if _, err := zoom.ParseEvent([]byte(bad)); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func FuzzVerifyWebhook(f *testing.F) {
	now := time.Unix(1739923528, 0)
	body := []byte(deauthExample)
	ts := strconv.FormatInt(now.Unix(), 10)
	f.Add("secret", ts, sign("secret", ts, body), body)
	f.Add("secret", ts, "v0=", body)
	f.Add("", "", "", []byte{})
	f.Add("s", "-99999999999999999999", "v0=00", []byte("{"))
	f.Add("s", "1e9", sign("s", "1e9", nil), []byte(nil))
	f.Fuzz(func(t *testing.T, secret, ts, sig string, body []byte) {
		h := http.Header{}
		h.Set("x-zm-request-timestamp", ts)
		h.Set("x-zm-signature", sig)
		err := zoom.VerifyWebhook(secret, h, body, now)
		if err == nil {
			// Accepted only when the signature really is ours (hex case and
			// surrounding spaces aside) and fresh.
			if secret == "" || !strings.EqualFold(strings.TrimSpace(sig), sign(secret, h.Get("x-zm-request-timestamp"), body)) {
				t.Fatalf("accepted a forged signature")
			}
			n, perr := strconv.ParseInt(h.Get("x-zm-request-timestamp"), 10, 64)
			if perr != nil || now.Sub(time.Unix(n, 0)).Abs() > 5*time.Minute {
				t.Fatalf("accepted a stale timestamp %q", ts)
			}
		}
		// A correct signature over the same input must verify iff fresh.
		if secret != "" {
			h.Set("x-zm-signature", sign(secret, h.Get("x-zm-request-timestamp"), body))
			if err := zoom.VerifyWebhook(secret, h, body, now); err == zoom.ErrBadSignature {
				t.Fatalf("rejected a correct signature")
			}
		}
	})
}

func FuzzParseEvent(f *testing.F) {
	f.Add([]byte(deauthExample))
	f.Add([]byte(`{"payload":{"plainToken":"abc"},"event_ts":1654503849680,"event":"endpoint.url_validation"}`))
	f.Add([]byte(`{"event":"app_deauthorized","event_ts":"1e400","payload":{"user_id":"u","account_id":"a","deauthorization_time":"9999-99-99"}}`))
	f.Add([]byte(`{"event":"x","payload":null}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := zoom.ParseEvent(body)
		if err != nil {
			return
		}
		if ev.Event == "" {
			t.Fatal("event without a name")
		}
		if ev.EventTS < 0 {
			t.Fatal("negative event_ts")
		}
		_, _ = ev.PlainToken()
		if d, err := ev.Deauthorization(); err == nil && (d.UserID == "" || d.AccountID == "") {
			t.Fatal("deauthorization without ids")
		}
		_, _ = zoom.ParseDeauthorization(ev.Payload)
		_ = json.Valid(ev.Payload)
	})
}
