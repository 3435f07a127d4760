package linesim_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daoyue/daoyue/line/linesim"
	"github.com/daoyue/daoyue/line/linesim/linesimtest"
)

// These pin the simulator to line-api.md with raw HTTP, independent of
// package line's client.

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

const ch = "2000000001"

type env struct {
	t     *testing.T
	s     *linesim.Sim
	clk   *clock
	token string
	user  string
	rc    *linesimtest.Receiver
}

func newEnv(t *testing.T) *env {
	clk := &clock{t: time.Date(2026, 12, 31, 14, 0, 0, 0, time.UTC)} // 23:00 JST
	s := linesimtest.NewServer(t, linesim.Options{Now: clk.Now})
	e := &env{t: t, s: s, clk: clk, rc: linesimtest.NewReceiver(t, s, ch)}
	e.token = e.mintToken()
	e.user = s.Follow(ch, "meiling").UserID
	return e
}

func (e *env) mintToken() string {
	res, err := http.PostForm(e.s.URL()+"/oauth2/v3/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {ch}, "client_secret": {linesim.DefaultChannel().Secret}})
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var tok struct {
		TokenType   string `json:"token_type"`
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	_ = json.NewDecoder(res.Body).Decode(&tok)
	if res.StatusCode != 200 || tok.TokenType != "Bearer" || tok.ExpiresIn != 899 || tok.AccessToken == "" {
		e.t.Fatalf("token %d %+v", res.StatusCode, tok)
	}
	return tok.AccessToken
}

// do sends a request and returns status, headers and the decoded body.
func (e *env) do(method, path, body string, hdr ...string) (int, http.Header, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.s.URL()+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+e.token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json; charset=UTF-8")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	if res.Header.Get("X-Line-Request-Id") == "" {
		e.t.Errorf("%s %s: no x-line-request-id", method, path)
	}
	return res.StatusCode, res.Header, m
}

func (e *env) push(key, text string) (int, http.Header, map[string]any) {
	body := `{"to":"` + e.user + `","messages":[{"type":"text","text":` + quote(text) + `}],"notificationDisabled":false,"customAggregationUnits":null}`
	if key == "" {
		return e.do("POST", "/v2/bot/message/push", body)
	}
	return e.do("POST", "/v2/bot/message/push", body, "X-Line-Retry-Key", key)
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

const key1 = "123e4567-e89b-12d3-a456-426614174000"

func TestPushAndRetryKeyWindow(t *testing.T) {
	e := newEnv(t)
	st, h, b := e.push(key1, "hi")
	sent, _ := b["sentMessages"].([]any)
	if st != 200 || len(sent) != 1 {
		t.Fatalf("%d %v", st, b)
	}
	first := h.Get("X-Line-Request-Id")
	st, h, b = e.push(key1, "hi")
	if st != 409 || h.Get("X-Line-Accepted-Request-Id") != first || b["message"] == "" {
		t.Fatalf("repeat: %d %v %v", st, h, b)
	}
	e.clk.Advance(24 * time.Hour)
	e.token = e.mintToken()
	if st, _, _ := e.push(key1, "hi"); st != 200 {
		t.Fatalf("after 24 h: %d", st)
	}
	if st, _, b := e.push("nope", "hi"); st != 400 {
		t.Fatalf("bad key: %d %v", st, b)
	}
	if st, _, _ := e.push("", "no key"); st != 200 {
		t.Fatalf("no key: %d", st)
	}
}

func TestValidation(t *testing.T) {
	e := newEnv(t)
	st, _, b := e.do("POST", "/v2/bot/message/push", `{"to":"`+e.user+`","messages":[{"type":"text","text":""},{"type":"flex","altText":"a","contents":{"type":"box"}}]}`)
	ds, _ := b["details"].([]any)
	if st != 400 || b["message"] != "The request body has 2 error(s)" || len(ds) != 2 ||
		ds[0].(map[string]any)["property"] != "messages[0].text" || ds[1].(map[string]any)["property"] != "messages[1].contents" {
		t.Fatalf("%d %v", st, b)
	}
	six := strings.Repeat(`{"type":"text","text":"x"},`, 6)
	if st, _, _ := e.do("POST", "/v2/bot/message/push", `{"to":"`+e.user+`","messages":[`+six[:len(six)-1]+`]}`); st != 400 {
		t.Fatalf("six: %d", st)
	}
	if st, _, _ := e.push("", strings.Repeat("🍎", 2501)); st != 400 {
		t.Fatalf("5002 units: %d", st)
	}
	req, _ := http.NewRequest("POST", e.s.URL()+"/v2/bot/message/push", strings.NewReader("to=x"))
	req.Header.Set("Authorization", "Bearer "+e.token)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if res, _ := http.DefaultClient.Do(req); res.StatusCode != 415 {
		t.Fatalf("form body: %d", res.StatusCode)
	}
}

func TestTokens(t *testing.T) {
	e := newEnv(t)
	if st, _, _ := e.do("GET", "/v2/bot/info", ""); st != 200 {
		t.Fatal(st)
	}
	e.clk.Advance(15 * time.Minute)
	if st, _, b := e.do("GET", "/v2/bot/info", ""); st != 401 || !strings.HasPrefix(b["message"].(string), "Authentication failed") {
		t.Fatalf("expired: %d %v", st, b)
	}
	res, _ := http.PostForm(e.s.URL()+"/oauth2/v3/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {ch}, "client_secret": {"bad"}})
	var b map[string]string
	_ = json.NewDecoder(res.Body).Decode(&b)
	res.Body.Close()
	if res.StatusCode != 400 || b["error"] != "invalid_client" {
		t.Fatalf("bad secret: %d %v", res.StatusCode, b)
	}
}

func TestReplyTokens(t *testing.T) {
	e := newEnv(t)
	r := e.s.SendText(ch, e.user, "482913")
	body := `{"replyToken":"` + r.ReplyToken + `","messages":[{"type":"text","text":"ok"}]}`
	if st, _, _ := e.do("POST", "/v2/bot/message/reply", body, "X-Line-Retry-Key", key1); st != 400 {
		t.Fatalf("retry key on reply: %d", st)
	}
	if st, _, _ := e.do("POST", "/v2/bot/message/reply", body); st != 200 {
		t.Fatalf("reply: %d", st)
	}
	if st, _, b := e.do("POST", "/v2/bot/message/reply", body); st != 400 || b["message"] != "Invalid reply token" {
		t.Fatalf("reuse: %d %v", st, b)
	}
	r = e.s.SendText(ch, e.user, "again")
	e.clk.Advance(linesim.DefaultReplyTTL)
	if st, _, _ := e.do("POST", "/v2/bot/message/reply", `{"replyToken":"`+r.ReplyToken+`","messages":[{"type":"text","text":"late"}]}`); st != 400 {
		t.Fatalf("expired: %d", st)
	}
	if e.s.Used(ch) != 0 {
		t.Fatal("replies counted")
	}
}

func TestQuotaMonthIsJST(t *testing.T) {
	e := newEnv(t)
	e.push(key1, "hi")
	_, _, b := e.do("GET", "/v2/bot/message/quota/consumption", "")
	if b["totalUsage"] != 1.0 {
		t.Fatalf("%v", b)
	}
	_, _, q := e.do("GET", "/v2/bot/message/quota", "")
	if q["type"] != "limited" || q["value"] != 200.0 {
		t.Fatalf("%v", q)
	}
	e.clk.Advance(time.Hour) // 2027-01-01 00:00 JST, still 2026-12-31 UTC
	e.token = e.mintToken()
	if _, _, b := e.do("GET", "/v2/bot/message/quota/consumption", ""); b["totalUsage"] != 0.0 {
		t.Fatalf("new month: %v", b)
	}
}

func TestProfileAndLinkToken(t *testing.T) {
	e := newEnv(t)
	if st, _, b := e.do("GET", "/v2/bot/profile/"+e.user, ""); st != 200 || b["displayName"] != "林美玲" {
		t.Fatalf("%d %v", st, b)
	}
	if st, _, _ := e.do("GET", "/v2/bot/profile/"+e.s.UserID(ch, "wei"), ""); st != 404 {
		t.Fatal(st)
	}
	_, _, b := e.do("POST", "/v2/bot/user/"+e.user+"/linkToken", "")
	tok, _ := b["linkToken"].(string)
	if len(tok) != 32 {
		t.Fatalf("%v", b)
	}
	e.clk.Advance(linesim.LinkTokenTTL)
	res, _ := http.Get(e.s.URL() + "/dialog/bot/accountLink?linkToken=" + tok + "&nonce=abcdefghijkl")
	res.Body.Close()
	ev := e.rc.Events()
	if last := ev[len(ev)-1]; res.StatusCode != 400 || last.Link == nil || last.Link.Result != "failed" || last.ReplyToken != "" {
		t.Fatalf("expired link: %d %+v", res.StatusCode, last)
	}
}

func TestUsersDifferPerProvider(t *testing.T) {
	s := linesim.New(linesim.Options{Channels: []linesim.Channel{{ID: "1", Secret: "a"}, {ID: "2", Secret: "b"}, {ID: "3", Secret: "c", ProviderID: "1"}}})
	a, b, c := s.UserID("1", "wei"), s.UserID("2", "wei"), s.UserID("3", "wei")
	if a == b || a != c || len(a) != 33 || a[0] != 'U' {
		t.Fatal(a, b, c)
	}
}

func TestWebhookOffAndIndex(t *testing.T) {
	s := linesim.New(linesim.Options{})
	if r := s.Follow(ch, "wei"); r.Err == nil || r.Status != 0 || s.State(ch, r.UserID) != linesim.Friend {
		t.Fatalf("no URL: %+v", r)
	}
}
