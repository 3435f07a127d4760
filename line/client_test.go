package line_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/daoyue/daoyue/line"
	"github.com/daoyue/daoyue/line/linesim"
	"github.com/daoyue/daoyue/line/linesim/linesimtest"
)

const ch = "2000000001" // linesim.DefaultChannel().ID

// setup is a simulator with the default channel, a client for it, a
// webhook receiver, and 林美玲 as a friend.
func setup(t *testing.T) (*linesim.Sim, *line.Client, *linesimtest.Receiver, string) {
	t.Helper()
	s := linesimtest.NewServer(t, linesim.Options{})
	rc := linesimtest.NewReceiver(t, s, ch)
	res := s.Follow(ch, "meiling")
	if res.Err != nil {
		t.Fatalf("follow: %v", res.Err)
	}
	return s, linesimtest.Client(t, s, ch), rc, res.UserID
}

func card() line.Message {
	return line.LinkCard(line.Card{AltText: "預約確認 9/28 10:00", Title: "預約確認",
		Lines: []string{"9/28 (六) 10:00–11:00", "瑜伽私人課"}, ButtonLabel: "查看預約", ButtonURI: "https://book.example.tw/b/BK7Q2M9X"})
}

func TestPushDeliversTextAndCard(t *testing.T) {
	s, c, _, uid := setup(t)
	res, err := c.Push(context.Background(), uid, line.NewRetryKey(), line.Text("您好，預約已確認"), card())
	if err != nil {
		t.Fatal(err)
	}
	if res.AlreadyAccepted || len(res.SentMessages) != 2 || res.RequestID == "" || res.SentMessages[0].ID == "" {
		t.Fatalf("result %+v", res)
	}
	got := s.Messages(ch, uid)
	if len(got) != 2 || got[0].Text != "您好，預約已確認" || got[0].Via != "push" {
		t.Fatalf("delivered %+v", got)
	}
	if got[1].Type != "flex" || got[1].Text != "預約確認 9/28 10:00" || got[1].ButtonURI != "https://book.example.tw/b/BK7Q2M9X" ||
		got[1].ButtonLabel != "查看預約" || got[1].Title != "預約確認" {
		t.Fatalf("card %+v", got[1])
	}
	// One push to one user counts once whatever the number of messages (§4.3).
	if s.Used(ch) != 1 {
		t.Fatalf("used %d", s.Used(ch))
	}
}

func TestPushRetryKeyIdempotent(t *testing.T) {
	s, c, _, uid := setup(t)
	ctx := context.Background()
	key := line.NewRetryKey()
	first, err := c.Push(ctx, uid, key, line.Text("提醒：明天 10:00"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.Push(ctx, uid, key, line.Text("提醒：明天 10:00"))
	if err != nil {
		t.Fatalf("409 must be success: %v", err)
	}
	if !again.AlreadyAccepted || again.AcceptedRequestID != first.RequestID {
		t.Fatalf("second %+v, first %+v", again, first)
	}
	if n := len(s.Messages(ch, uid)); n != 1 || s.Used(ch) != 1 {
		t.Fatalf("delivered %d, used %d", n, s.Used(ch))
	}

	// The answer is lost after LINE accepted: the retry with the same key
	// learns it was sent instead of sending it twice.
	s.LoseAnswerNext(1)
	key2 := line.NewRetryKey()
	_, err = c.Push(ctx, uid, key2, line.Text("變更通知"))
	if !line.IsRetryable(err) {
		t.Fatalf("lost answer: %v", err)
	}
	res, err := c.Push(ctx, uid, key2, line.Text("變更通知"))
	if err != nil || !res.AlreadyAccepted {
		t.Fatalf("retry: %+v %v", res, err)
	}
	if n := len(s.Messages(ch, uid)); n != 2 {
		t.Fatalf("delivered %d, want 2", n)
	}
}

func TestAuthErrors(t *testing.T) {
	s := linesimtest.NewServer(t, linesim.Options{})
	ctx := context.Background()
	bad, _ := line.New(line.Config{ChannelID: ch, ChannelSecret: "wrong-secret-value", APIURL: s.URL()})
	_, err := bad.BotInfo(ctx)
	if !line.IsAuth(err) || line.IsRetryable(err) {
		t.Fatalf("wrong secret: %v", err)
	}
	pasted, _ := line.New(line.Config{AccessToken: "not-a-token-we-issued", APIURL: s.URL()})
	_, err = pasted.Push(ctx, s.UserID(ch, "meiling"), line.NewRetryKey(), line.Text("hi"))
	var le *line.Error
	if !errors.As(err, &le) || le.Status != http.StatusUnauthorized || le.Kind != line.KindAuth {
		t.Fatalf("unknown token: %v", err)
	}
	for _, secret := range []string{"wrong-secret-value", "not-a-token-we-issued"} {
		if strings.Contains(err.Error(), secret) {
			t.Fatal("error text carries a secret")
		}
	}
	// A configured long-lived token is accepted.
	s2 := linesimtest.NewServer(t, linesim.Options{Channels: []linesim.Channel{{ID: "2000000002", Secret: "s2-secret", AccessToken: "long-lived-token-2"}}})
	ll, _ := line.New(line.Config{AccessToken: "long-lived-token-2", APIURL: s2.URL()})
	if _, err := ll.BotInfo(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestExpiredTokenIsReminted(t *testing.T) {
	s, c, _, _ := setup(t)
	ctx := context.Background()
	if _, err := c.BotInfo(ctx); err != nil {
		t.Fatal(err)
	}
	s.ExpireTokens()
	if _, err := c.BotInfo(ctx); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if n := s.Calls("POST /oauth2/v3/token"); n != 2 {
		t.Fatalf("token calls %d, want 2", n)
	}
	if n := s.Calls("GET /v2/bot/info"); n != 3 {
		t.Fatalf("info calls %d, want 3 (one refused)", n)
	}
}

func TestRateLimitAndServerErrorsAreRetryable(t *testing.T) {
	s, c, _, uid := setup(t)
	ctx := context.Background()
	key := line.NewRetryKey()
	s.RateLimitNext(1)
	_, err := c.Push(ctx, uid, key, line.Text("hi"))
	var le *line.Error
	if !line.IsRetryable(err) || !errors.As(err, &le) || le.Status != 429 || line.IsMonthlyLimit(err) {
		t.Fatalf("429: %v", err)
	}
	s.FailNext(1)
	if _, err = c.Push(ctx, uid, key, line.Text("hi")); !line.IsRetryable(err) {
		t.Fatalf("500: %v", err)
	}
	if res, err := c.Push(ctx, uid, key, line.Text("hi")); err != nil || res.AlreadyAccepted {
		t.Fatalf("retry: %+v %v", res, err)
	}
	// Network failure.
	dead, _ := line.New(line.Config{ChannelID: ch, ChannelSecret: "x-secret", APIURL: "http://127.0.0.1:1"})
	if _, err := dead.BotInfo(ctx); !line.IsRetryable(err) {
		t.Fatalf("network: %v", err)
	}
}

func TestQuotaAndMonthlyLimit(t *testing.T) {
	s, c, _, uid := setup(t)
	ctx := context.Background()
	s.SetMonthlyLimit(ch, 2)
	for range 2 {
		if _, err := c.Push(ctx, uid, line.NewRetryKey(), line.Text("提醒")); err != nil {
			t.Fatal(err)
		}
	}
	q, err := c.Quota(ctx)
	if err != nil || !q.Limited || q.Limit != 2 || q.Used != 2 || q.Remaining() != 0 {
		t.Fatalf("quota %+v %v", q, err)
	}
	_, err = c.Push(ctx, uid, line.NewRetryKey(), line.Text("one too many"))
	if !line.IsMonthlyLimit(err) || line.IsRetryable(err) {
		t.Fatalf("exhausted: %v", err)
	}
	// Replies are free and still work (§4.3).
	res := s.SendText(ch, uid, "123456")
	if _, err := c.Reply(ctx, res.ReplyToken, line.Text("收到")); err != nil {
		t.Fatalf("reply at the limit: %v", err)
	}
	s.SetMonthlyLimit(ch, -1)
	if q, _ := c.Quota(ctx); q.Limited || q.Remaining() != -1 {
		t.Fatalf("unlimited %+v", q)
	}
}

func TestBlockedAndUnknownUsers(t *testing.T) {
	s, c, _, uid := setup(t)
	ctx := context.Background()
	if r := s.Unfollow(ch, uid); r.Err != nil {
		t.Fatal(r.Err)
	}
	// Accepted, not delivered, not counted (§3.3, §4.3).
	if _, err := c.Push(ctx, uid, line.NewRetryKey(), line.Text("hi")); err != nil {
		t.Fatalf("blocked: %v", err)
	}
	if len(s.Messages(ch, uid)) != 0 || s.Used(ch) != 0 {
		t.Fatal("delivered to a blocked user")
	}
	never := s.UserID(ch, "wei")
	if _, err := c.Push(ctx, never, line.NewRetryKey(), line.Text("hi")); !line.IsPermanent(err) {
		t.Fatalf("never added: %v", err)
	}
	if _, err := c.Push(ctx, "U00000000000000000000000000000000", line.NewRetryKey(), line.Text("hi")); !line.IsPermanent(err) {
		t.Fatalf("unknown: %v", err)
	}
	// Never-added answered 200 when so configured.
	s2 := linesimtest.NewServer(t, linesim.Options{NeverAddedStatus: 200})
	c2 := linesimtest.Client(t, s2, ch)
	if _, err := c2.Push(ctx, s2.UserID(ch, "wei"), line.NewRetryKey(), line.Text("hi")); err != nil {
		t.Fatal(err)
	}
}

func TestRefusedBeforeSending(t *testing.T) {
	s, c, _, uid := setup(t)
	ctx := context.Background()
	six := []line.Message{line.Text("1"), line.Text("2"), line.Text("3"), line.Text("4"), line.Text("5"), line.Text("6")}
	cases := map[string]error{}
	_, cases["empty text"] = c.Push(ctx, uid, line.NewRetryKey(), line.Text(" "))
	_, cases["too long"] = c.Push(ctx, uid, line.NewRetryKey(), line.Text(strings.Repeat("🍎", 2501)))
	_, cases["six"] = c.Push(ctx, uid, line.NewRetryKey(), six...)
	_, cases["none"] = c.Push(ctx, uid, line.NewRetryKey())
	_, cases["bad key"] = c.Push(ctx, uid, "not-a-uuid", line.Text("x"))
	_, cases["no key"] = c.Push(ctx, uid, "", line.Text("x"))
	_, cases["card no alt"] = c.Push(ctx, uid, line.NewRetryKey(), line.LinkCard(line.Card{ButtonLabel: "x", ButtonURI: "https://a.tw"}))
	_, cases["card bad uri"] = c.Push(ctx, uid, line.NewRetryKey(), line.LinkCard(line.Card{AltText: "a", ButtonLabel: "x", ButtonURI: "javascript:alert(1)"}))
	_, cases["no reply token"] = c.Reply(ctx, "", line.Text("x"))
	for name, err := range cases {
		if !errors.Is(err, line.ErrInvalidRequest) || !line.IsPermanent(err) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n := s.Calls("POST /v2/bot/message/push"); n != 0 {
		t.Fatalf("%d pushes reached LINE", n)
	}
	// Exactly 5,000 UTF-16 units is allowed.
	if _, err := c.Push(ctx, uid, line.NewRetryKey(), line.Text(strings.Repeat("🍎", 2500))); err != nil {
		t.Fatal(err)
	}
}

func TestBotInfo(t *testing.T) {
	_, c, _, _ := setup(t)
	b, err := c.BotInfo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if b.BasicID != "@123calmy" || b.DisplayName != "靜心瑜伽 Calm Yoga" || !strings.HasPrefix(b.UserID, "U") || len(b.UserID) != 33 {
		t.Fatalf("%+v", b)
	}
	if got := b.AddFriendURL(); got != "https://line.me/R/ti/p/@123calmy" {
		t.Fatal(got)
	}
}

func TestWebhookEventsReachHandlerSigned(t *testing.T) {
	s, c, rc, uid := setup(t)
	ctx := context.Background()
	bot, _ := c.BotInfo(ctx)
	// The one-time-code fallback: the user writes a code, the handler
	// answers with the event's reply token.
	rc.OnWebhook(func(w *line.Webhook) {
		for _, e := range w.Events {
			if e.Type == line.EventMessage && e.Message.Text == "482913" {
				if _, err := c.Reply(ctx, e.ReplyToken, line.Text("已綁定")); err != nil {
					t.Errorf("reply: %v", err)
				}
			}
		}
	})
	if r := s.SendText(ch, uid, "482913"); r.Err != nil || r.Status != 200 {
		t.Fatalf("send: %+v", r)
	}
	if r := s.Unfollow(ch, uid); r.Err != nil {
		t.Fatal(r.Err)
	}
	if r := s.Follow(ch, "meiling"); r.Err != nil {
		t.Fatal(r.Err)
	}
	ds := rc.Deliveries()
	if len(ds) != 4 {
		t.Fatalf("%d deliveries", len(ds))
	}
	for _, d := range ds {
		if d.Err != nil || d.Webhook.Destination != bot.UserID {
			t.Fatalf("delivery %+v", d)
		}
	}
	ev := rc.Events()
	want := []string{"follow", "message", "unfollow", "follow"}
	for i, e := range ev {
		if e.Type != want[i] || e.Source.UserID != uid || e.Source.Type != "user" || e.WebhookEventID == "" ||
			e.IsRedelivery || e.Timestamp.IsZero() || e.Mode != "active" {
			t.Fatalf("event %d %+v", i, e)
		}
	}
	if ev[0].ReplyToken == "" || ev[0].IsUnblocked || ev[2].ReplyToken != "" || !ev[3].IsUnblocked {
		t.Fatalf("follow/unfollow fields %+v", ev)
	}
	if ev[1].Message.Type != "text" || ev[1].Message.ID == "" {
		t.Fatalf("message %+v", ev[1].Message)
	}
	got := s.Messages(ch, uid)
	if len(got) != 1 || got[0].Via != "reply" || got[0].Text != "已綁定" || s.Used(ch) != 0 {
		t.Fatalf("reply delivered %+v, used %d", got, s.Used(ch))
	}
	// A reply token is single use.
	if _, err := c.Reply(ctx, ev[1].ReplyToken, line.Text("again")); !line.IsPermanent(err) {
		t.Fatalf("reused reply token: %v", err)
	}
}

func TestWebhookForgedRefused(t *testing.T) {
	s, _, rc, uid := setup(t)
	s.ForgeSignatures(true)
	r := s.SendText(ch, uid, "hello")
	if r.Status != http.StatusBadRequest {
		t.Fatalf("forged delivery answered %d", r.Status)
	}
	ds := rc.Deliveries()
	if last := ds[len(ds)-1]; !errors.Is(last.Err, line.ErrInvalidSignature) || last.Webhook != nil {
		t.Fatalf("last %+v", last)
	}
	if n := len(rc.Events()); n != 1 { // only the setup's follow
		t.Fatalf("%d events accepted", n)
	}
}

func TestWebhookRedeliveryAndDuplicates(t *testing.T) {
	s, _, rc, uid := setup(t)
	rc.AnswerWith(http.StatusInternalServerError)
	r := s.SendText(ch, uid, "hello")
	if r.Err == nil || s.Pending() != 1 {
		t.Fatalf("failed delivery %+v, pending %d", r, s.Pending())
	}
	rc.AnswerWith(http.StatusOK)
	if n := s.Redeliver(); n != 1 || s.Pending() != 0 {
		t.Fatalf("redelivered %d, pending %d", n, s.Pending())
	}
	ev := rc.Events()
	last := ev[len(ev)-1]
	if !last.IsRedelivery || last.WebhookEventID != r.WebhookEventID || last.Message.Text != "hello" {
		t.Fatalf("redelivered %+v", last)
	}
	s.DuplicateWebhooks(true)
	s.SendText(ch, uid, "twice")
	ev = rc.Events()
	a, b := ev[len(ev)-2], ev[len(ev)-1]
	if a.WebhookEventID != b.WebhookEventID || a.Message.Text != "twice" {
		t.Fatalf("duplicates %+v %+v", a, b)
	}
}

func TestWebhookVerifyRequest(t *testing.T) {
	s, _, rc, _ := setup(t)
	if st, err := s.VerifyWebhook(ch); err != nil || st != 200 {
		t.Fatalf("verify: %d %v", st, err)
	}
	ds := rc.Deliveries()
	if last := ds[len(ds)-1]; last.Err != nil || len(last.Webhook.Events) != 0 {
		t.Fatalf("%+v", last)
	}
}

func TestAccountLink(t *testing.T) {
	s, c, rc, uid := setup(t)
	ctx := context.Background()
	tok, err := c.IssueLinkToken(ctx, uid)
	if err != nil || tok == "" {
		t.Fatal(tok, err)
	}
	nonce := line.NewNonce()
	u := c.AccountLinkURL(tok, nonce)
	if !strings.HasPrefix(u, s.URL()+"/dialog/bot/accountLink?") {
		t.Fatal(u)
	}
	for i, want := range []string{"ok", "failed"} {
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		ev := rc.Events()
		e := ev[len(ev)-1]
		if e.Type != line.EventAccountLink || e.Link.Result != want || e.Link.Nonce != nonce || e.Source.UserID != uid ||
			(want == "ok") != (e.ReplyToken != "") {
			t.Fatalf("attempt %d: %+v %+v", i, e, e.Link)
		}
	}
	if _, err := c.IssueLinkToken(ctx, s.UserID(ch, "wei")); !line.IsPermanent(err) {
		t.Fatalf("non-friend: %v", err)
	}
}

func TestIndexPageMountedUnderPrefix(t *testing.T) {
	s := linesim.New(linesim.Options{})
	mux := http.NewServeMux()
	mux.Handle("/linesim/", http.StripPrefix("/linesim", s.Handler()))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	s.SetBaseURL(srv.URL + "/linesim")
	rc := linesimtest.NewReceiver(t, s, ch)

	uid := s.UserID(ch, "wei")
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noRedirect.PostForm(srv.URL+"/linesim/sim/follow", url.Values{"channel": {ch}, "user": {uid}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, _ := res.Location()
	if res.StatusCode != http.StatusSeeOther || loc.Path != "/linesim/" {
		t.Fatalf("%d %v", res.StatusCode, loc)
	}
	if s.State(ch, uid) != linesim.Friend || len(rc.Events()) != 1 {
		t.Fatal("form follow did not follow")
	}
	if _, err := noRedirect.PostForm(srv.URL+"/linesim/sim/send", url.Values{"channel": {ch}, "user": {uid}, "text": {"<b>你好</b>"}}); err != nil {
		t.Fatal(err)
	}
	c, _ := line.New(line.Config{ChannelID: ch, ChannelSecret: linesim.DefaultChannel().Secret, APIURL: s.URL()})
	if _, err := c.Push(context.Background(), uid, line.NewRetryKey(), card()); err != nil {
		t.Fatal(err)
	}
	res, err = http.Get(srv.URL + "/linesim/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	page := string(b)
	for _, want := range []string{"林美玲", "Wei Chen", uid, "&lt;b&gt;你好&lt;/b&gt;", `href="https://book.example.tw/b/BK7Q2M9X"`, "查看預約", `action="sim/unfollow"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, linesim.DefaultChannel().Secret) {
		t.Error("page shows the channel secret")
	}
}
