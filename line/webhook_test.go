package line

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The follow example of line-api.md §5.3 (ids shortened there, completed here).
const followBody = `{"destination":"Uaa2b0000000000000000000000000000","events":[{"type":"follow","mode":"active","timestamp":1727143509123,
 "source":{"type":"user","userId":"U4af4980629000000000000000000000a"},"webhookEventId":"01J8ZK3Q0W6Y0000000000000A",
 "deliveryContext":{"isRedelivery":false},"replyToken":"nHuyWiB7yP5Zw52FIkcQobQuGDXCTA",
 "follow":{"isUnblocked":false}}]}`

const mixedBody = `{"destination":"Ubot","events":[
 {"type":"message","mode":"active","timestamp":1727143510000,"source":{"type":"user","userId":"Uu"},"webhookEventId":"01A",
  "deliveryContext":{"isRedelivery":true},"replyToken":"rt","message":{"type":"text","id":"1","text":"482913","quoteToken":"q"}},
 {"type":"message","mode":"standby","timestamp":1,"source":{"type":"group","groupId":"Cg","userId":"Uu"},"webhookEventId":"01B",
  "deliveryContext":{"isRedelivery":false},"message":{"type":"sticker","id":"2","packageId":"1"}},
 {"type":"unfollow","mode":"active","timestamp":1727143511000,"source":{"type":"user","userId":"Uu"},"webhookEventId":"01C","deliveryContext":{"isRedelivery":false}},
 {"type":"accountLink","mode":"active","timestamp":1,"source":{"type":"user","userId":"Uu"},"webhookEventId":"01D","deliveryContext":{"isRedelivery":false},"link":{"result":"failed","nonce":"n0nce-n0nce"}},
 {"type":"membership","mode":"active","timestamp":1,"membership":{"type":"joined"},"webhookEventId":"01E","deliveryContext":{"isRedelivery":false}},
 {"type":"futureThing","weird":[1,2,3],"timestamp":"not a number"}
]}`

func TestSignatureVectors(t *testing.T) {
	// Computed independently: printf %s "$body" | openssl dgst -sha256 -hmac secret -binary | base64
	body := []byte(`{"destination":"U1","events":[]}`)
	sig := Sign("secret", body)
	if !VerifySignature(body, sig, "secret") {
		t.Fatal("own signature refused")
	}
	if !VerifySignature(body, sig, "old-secret", "secret") {
		t.Fatal("rotation: second secret should match")
	}
	bad := map[string]struct {
		body    []byte
		sig     string
		secrets []string
	}{
		"other secret": {body, sig, []string{"secreT"}},
		"no secret":    {body, sig, nil},
		"empty secret": {body, Sign("", body), []string{""}},
		"changed body": {append([]byte(" "), body...), sig, []string{"secret"}},
		"not base64":   {body, "%%%", []string{"secret"}},
		"truncated":    {body, sig[:20], []string{"secret"}},
		"url alphabet": {body, strings.NewReplacer("+", "-", "/", "_").Replace(sig) + "x", []string{"secret"}},
		"empty header": {body, "", []string{"secret"}},
		"reserialised": {[]byte(`{"destination": "U1", "events": []}`), sig, []string{"secret"}},
	}
	for name, c := range bad {
		if VerifySignature(c.body, c.sig, c.secrets...) {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestParseRequest(t *testing.T) {
	req := httptest.NewRequest("POST", "/line/webhook/x", strings.NewReader(followBody))
	req.Header.Set("x-line-signature", Sign("s3cret", []byte(followBody)))
	w, err := ParseRequest(req, "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	e := w.Events[0]
	if w.Destination != "Uaa2b0000000000000000000000000000" || e.Type != EventFollow || e.IsUnblocked || e.IsRedelivery ||
		e.ReplyToken != "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA" || e.Source.UserID != "U4af4980629000000000000000000000a" ||
		!e.Timestamp.Equal(time.UnixMilli(1727143509123)) || e.WebhookEventID != "01J8ZK3Q0W6Y0000000000000A" || e.Mode != "active" {
		t.Fatalf("%+v", e)
	}
	req = httptest.NewRequest("POST", "/", strings.NewReader(followBody))
	req.Header.Set("x-line-signature", Sign("other", []byte(followBody)))
	if _, err := ParseRequest(req, "s3cret"); !errors.Is(err, ErrInvalidSignature) {
		t.Fatal(err)
	}
	big := bytes.Repeat([]byte(" "), MaxWebhookBody+1)
	req = httptest.NewRequest("POST", "/", bytes.NewReader(big))
	req.Header.Set("x-line-signature", Sign("s3cret", big))
	if _, err := ParseRequest(req, "s3cret"); !errors.Is(err, ErrInvalidWebhook) {
		t.Fatal(err)
	}
}

func TestParseWebhookEvents(t *testing.T) {
	w, err := ParseWebhook([]byte(mixedBody))
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Events) != 6 {
		t.Fatalf("%d events", len(w.Events))
	}
	m := w.Events[0]
	if m.Type != EventMessage || m.Message.Text != "482913" || !m.IsRedelivery || m.ReplyToken != "rt" || m.Message.QuoteToken != "q" {
		t.Fatalf("%+v", m)
	}
	if s := w.Events[1]; s.Message.Type != "sticker" || s.Message.Text != "" || s.Source.GroupID != "Cg" || s.Mode != "standby" {
		t.Fatalf("%+v", s)
	}
	if u := w.Events[2]; u.Type != EventUnfollow || u.ReplyToken != "" {
		t.Fatalf("%+v", u)
	}
	if l := w.Events[3]; l.Link == nil || l.Link.Result != "failed" || l.Link.Nonce != "n0nce-n0nce" {
		t.Fatalf("%+v", l)
	}
	if o := w.Events[4]; o.Type != "membership" {
		t.Fatalf("%+v", o)
	}
	if o := w.Events[5]; o.Type != "futureThing" || len(o.Raw) == 0 {
		t.Fatalf("unknown event %+v", o)
	}
	// The console's Verify request.
	v, err := ParseWebhook([]byte(`{"destination":"Uxxxxxxxxxx","events":[]}`))
	if err != nil || len(v.Events) != 0 {
		t.Fatal(v, err)
	}
	for _, bad := range []string{``, `null`, `[]`, `{"events":[]}`, `{"destination":"U","events":[{}]}`,
		`{"destination":"U","events":[{"type":"message"}]}`, `{"destination":"U","events":[{"type":"follow","timestamp":"x"}]}`,
		`{"destination":"U","events":[]} {}`, `{"destination":"U","events":{}}`, `{"destination":"U","events":[{"type":"accountLink"}]}`} {
		if _, err := ParseWebhook([]byte(bad)); !errors.Is(err, ErrInvalidWebhook) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func FuzzVerifyWebhook(f *testing.F) {
	f.Add("secret", []byte(followBody), Sign("secret", []byte(followBody)))
	f.Add("secret", []byte(`{"destination":"U1","events":[]}`), "")
	f.Add("", []byte{}, "====")
	f.Add("s", []byte("x"), strings.Repeat("A", 44))
	f.Fuzz(func(t *testing.T, secret string, body []byte, sig string) {
		ok := VerifySignature(body, sig, secret)
		if ok && secret == "" {
			t.Fatal("empty secret matched")
		}
		if ok && sig != Sign(secret, body) {
			// Only the canonical encoding of the right MAC may pass (padding
			// variants decode differently or not at all).
			if got := Sign(secret, body); !strings.EqualFold(strings.TrimRight(sig, "="), strings.TrimRight(got, "=")) {
				t.Fatalf("accepted a wrong signature %q", sig)
			}
		}
		if secret != "" && !VerifySignature(body, Sign(secret, body), secret) {
			t.Fatal("own signature refused")
		}
		if secret != "" && len(body) > 0 && VerifySignature(append([]byte{body[0] ^ 1}, body[1:]...), Sign(secret, body), secret) {
			t.Fatal("changed body accepted")
		}
	})
}

func FuzzParseWebhook(f *testing.F) {
	f.Add([]byte(followBody))
	f.Add([]byte(mixedBody))
	f.Add([]byte(`{"destination":"U","events":[]}`))
	f.Add([]byte(`{"destination":"U","events":[{"type":"message","message":{"type":"text","text":"\u0000"}}]}`))
	f.Add([]byte(`{"destination":"U","events":[{"type":"follow","timestamp":9223372036854775807}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		w, err := ParseWebhook(body)
		if err != nil {
			if w != nil || !errors.Is(err, ErrInvalidWebhook) {
				t.Fatalf("error %v with %v", err, w)
			}
			return
		}
		if w.Destination == "" {
			t.Fatal("parsed without destination")
		}
		for _, e := range w.Events {
			if e.Type == "" {
				t.Fatal("event without type")
			}
			if e.Type == EventMessage && e.Message == nil {
				t.Fatal("message event without message")
			}
			if e.Type == EventAccountLink && e.Link == nil {
				t.Fatal("accountLink without link")
			}
		}
	})
}
