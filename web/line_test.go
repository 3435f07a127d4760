package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/line"
	"github.com/daoyue/daoyue/line/linesim"
	"github.com/daoyue/daoyue/line/linesim/linesimtest"
)

// LINE, over HTTP against the simulator: each studio connects its own
// channel in settings, a client links with a one-time code sent in LINE,
// and every client message also goes to LINE (pushed by the River job,
// with its retry key), with the join link only where the email has it.

var (
	lineChA = linesim.Channel{ID: "2000000101", Secret: "line-secret-of-studio-a-0101", DisplayName: "Studio A on LINE", BasicID: "@studioa", Redelivery: true}
	lineChB = linesim.Channel{ID: "2000000202", Secret: "line-secret-of-studio-b-0202", DisplayName: "Studio B on LINE", BasicID: "@studiob", Redelivery: true}
)

type lineEnv struct {
	*zoomEnv
	line *linesim.Sim
}

func newLineEnv(t *testing.T, e *zoomEnv) *lineEnv {
	t.Helper()
	sim := linesimtest.NewServer(t, linesim.Options{Channels: []linesim.Channel{lineChA, lineChB}})
	e.app.Line = &app.Line{APIURL: sim.URL(), AccessURL: sim.URL()}
	e.app.Mail.BaseURL = e.ts.URL
	return &lineEnv{zoomEnv: e, line: sim}
}

// connect enters a channel in studio settings and registers the webhook
// URL the page shows with the simulator.
func (e *lineEnv) connect(t *testing.T, owner *browser, slug string, ch linesim.Channel) *page {
	t.Helper()
	p := owner.post("/admin/"+slug+"/settings/line", url.Values{"line_channel_id": {ch.ID}, "line_channel_secret": {ch.Secret}})
	p.wantText(".flash-ok", msg("zh-TW", "flash.line_connected"))
	hook := p.text("#line-webhook-url")
	if !strings.HasPrefix(hook, e.ts.URL+"/webhooks/line/") {
		t.Fatalf("webhook URL %q", hook)
	}
	e.line.SetWebhook(ch.ID, hook, true)
	return p
}

// pushes are the bot's pushed messages in a user's chat.
func (e *lineEnv) pushes(ch, user string) []linesim.Entry {
	var out []linesim.Entry
	for _, m := range e.line.Messages(ch, user) {
		if !m.FromUser && m.Via == "push" {
			out = append(out, m)
		}
	}
	return out
}

// waitPushes waits until the user has n pushed messages (a push of text +
// card is two entries) and returns them.
func (e *lineEnv) waitPushes(t *testing.T, ch, user string, n int) []linesim.Entry {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := e.pushes(ch, user)
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d pushed messages, want %d: %+v", len(got), n, got)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// lineMessages are the studio's LINE messages, newest first.
func (e *lineEnv) lineMessages(t *testing.T, slug string) []*daoyue.LineMessage {
	t.Helper()
	ctx := context.Background()
	var out []*daoyue.LineMessage
	err := e.db.View(ctx, func(tx daoyue.Tx) error {
		ws, err := tx.WorkspaceBySlug(ctx, slug)
		if err != nil {
			return err
		}
		out, err = tx.ListLineMessages(ctx, ws.ID, 100)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (e *lineEnv) waitLineStatus(t *testing.T, slug string, kind daoyue.MailKind, st daoyue.LineStatus) *daoyue.LineMessage {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		for _, m := range e.lineMessages(t, slug) {
			if m.Kind == kind && m.Status == st {
				return m
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s LINE message %s", kind, st)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// link has the client behind a manage link get a code and send it from
// LINE (following first); it returns the LINE user id.
func (e *lineEnv) link(t *testing.T, client *browser, token, ch, person string) (string, string) {
	t.Helper()
	manage := client.get("/b/" + token)
	offer := client.submit(manage, "form:has(#line-link)", nil).wantStatus(http.StatusOK)
	code := offer.text("#line-code")
	if !strings.HasPrefix(code, "DY-") {
		t.Fatalf("code %q", code)
	}
	if href := offer.attr("#line-send", "href"); !strings.HasPrefix(href, "https://line.me/R/oaMessage/") || !strings.HasSuffix(href, "/?"+code) {
		t.Errorf("send link %q", href)
	}
	qr := client.raw(http.MethodGet, offer.attr("#line-qr", "src"), nil)
	if qr.StatusCode != http.StatusOK || qr.Header.Get("Content-Type") != "image/png" {
		t.Errorf("QR: %d %s", qr.StatusCode, qr.Header.Get("Content-Type"))
	}
	e.line.Follow(ch, person)
	user := e.line.UserID(ch, person)
	return user, code
}

func lastText(es []linesim.Entry) string {
	if len(es) == 0 {
		return ""
	}
	return es[len(es)-1].Text
}

func TestLineConnectLinkAndDeliver(t *testing.T) {
	t.Parallel()
	eachZoomStore(t, func(t *testing.T, ze *zoomEnv) {
		e := newLineEnv(t, ze)
		A := e.A
		owner := e.browser(t)
		owner.login("owner@a.example")
		card := owner.connectVia(owner.get(availabilityURL("studio-a", A.Lin.ID)), e.zLin.ID)
		owner.submit(card, `form[action$="/zoom/default"]`, nil)

		// A wrong secret is refused with a clear message and stores nothing.
		bad := owner.post("/admin/studio-a/settings/line", url.Values{"line_channel_id": {lineChA.ID}, "line_channel_secret": {"not-the-secret"}})
		if bad.Status < 400 || !strings.Contains(bad.HTML, msg("zh-TW", "error.line_auth")) {
			t.Fatalf("wrong secret: %d", bad.Status)
		}
		bad.wantNoText("not-the-secret")
		bad.wantCount("#line-account", 0)
		set := e.connect(t, owner, "studio-a", lineChA)
		set.wantText("#line-display-name", lineChA.DisplayName)
		set.wantText("#line-basic-id", lineChA.BasicID)
		set.wantText("#line-quota", "0 / 200")
		set.wantNoText(lineChA.Secret)
		ownerB := e.browser(t)
		ownerB.login("owner@b.example")
		e.connect(t, ownerB, "studio-b", lineChB)
		// The console's "Verify" (no events) is answered 200.
		if st, err := e.line.VerifyWebhook(lineChA.ID); err != nil || st != http.StatusOK {
			t.Fatalf("verify: %d %v", st, err)
		}

		// A first booking; then its client links LINE from the manage page.
		first := e.book("studio-a", A.Online, A.Lin.ID, pgAt(1, 10, 0), "Mei Ling")
		e.wait("studio-a", first.Booking.ID, "a meeting", func(b *daoyue.Booking) bool { return b.Meeting.JoinURL != "" })
		client := e.browser(t)
		user, code := e.link(t, client, first.ManageToken, lineChA.ID, "meiling")
		if r := lastText(e.line.Chat(lineChA.ID, user)); !strings.Contains(r, msg("zh-TW", "line.reply.follow")) {
			t.Errorf("follow reply %q", r)
		}
		// The code sent to another studio's account links nothing there or here.
		e.line.Follow(lineChB.ID, "meiling")
		userB := e.line.UserID(lineChB.ID, "meiling")
		e.line.SendText(lineChB.ID, userB, code)
		if r := lastText(e.line.Chat(lineChB.ID, userB)); !strings.Contains(r, msg("zh-TW", "line.reply.bad_code")) {
			t.Errorf("studio B's reply to A's code %q", r)
		}
		// A forged signature is refused and links nothing.
		e.line.ForgeSignatures(true)
		e.line.SendText(lineChA.ID, user, code)
		e.line.ForgeSignatures(false)
		if ws := e.line.Webhooks(); ws[len(ws)-1].Status != http.StatusUnauthorized {
			t.Errorf("forged webhook answered %d", ws[len(ws)-1].Status)
		}
		client.get("/b/"+first.ManageToken).wantCount("#line-state", 0)
		// Studio B's secret cannot sign for studio A's hook.
		body := []byte(`{"destination":"x","events":[]}`)
		req, _ := http.NewRequest(http.MethodPost, set.text("#line-webhook-url"), bytes.NewReader(body))
		req.Header.Set("X-Line-Signature", line.Sign(lineChB.Secret, body))
		if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusUnauthorized {
			t.Errorf("B-signed delivery to A's hook: %v %v", res.StatusCode, err)
		}

		// The real code, delivered twice (a duplicate): linked once.
		e.line.DuplicateWebhooks(true)
		e.line.SendText(lineChA.ID, user, " "+strings.ToLower(code)+" ")
		e.line.DuplicateWebhooks(false)
		replies := 0
		for _, m := range e.line.Chat(lineChA.ID, user) {
			if strings.Contains(m.Text, msg("zh-TW", "line.reply.linked")) {
				replies++
			}
		}
		if replies != 1 {
			t.Errorf("%d 'linked' replies", replies)
		}
		client.get("/b/"+first.ManageToken).wantText("#line-state", msg("zh-TW", "line.link.linked"))
		// The code works once.
		e.line.SendText(lineChA.ID, user, code)
		if r := lastText(e.line.Chat(lineChA.ID, user)); !strings.Contains(r, msg("zh-TW", "line.reply.bad_code")) {
			t.Errorf("reused code reply %q", r)
		}

		// A confirmed online booking: the confirmation on LINE carries its join link.
		online := e.book("studio-a", A.Online, A.Lin.ID, pgAt(2, 10, 0), "Mei Ling")
		ob := e.wait("studio-a", online.Booking.ID, "a meeting", func(b *daoyue.Booking) bool { return b.Meeting.JoinURL != "" })
		got := e.waitPushes(t, lineChA.ID, user, 2)
		if !strings.Contains(got[0].Text, ob.Meeting.JoinURL) {
			t.Errorf("confirmation on LINE lacks the join link: %q", got[0].Text)
		}
		if got[1].ButtonURI != e.ts.URL+"/b/"+online.ManageToken || got[1].ButtonLabel != msg("zh-TW", "line.button.manage") {
			t.Errorf("card button %q %q", got[1].ButtonLabel, got[1].ButtonURI)
		}
		if got[0].RetryKey == "" {
			t.Error("push without a retry key")
		}
		// A booking that waits for the studio: on LINE, no join link.
		waiting := e.book("studio-a", A.InPerson, A.Lin.ID, pgAt(3, 10, 0), "Mei Ling")
		got = e.waitPushes(t, lineChA.ID, user, 4)
		for _, m := range got[2:] {
			for _, secret := range []string{ob.Meeting.JoinURL, first.Booking.ID, "zoom.us", ob.Meeting.Passcode} {
				if secret != "" && strings.Contains(m.Text+m.ButtonURI+strings.Join(m.Lines, " "), secret) {
					t.Errorf("the 'received' LINE message leaks %q", secret)
				}
			}
		}
		if !strings.Contains(got[2].Text, msg("zh-TW", "mail.lead.received")) {
			t.Errorf("received on LINE: %q", got[2].Text)
		}
		// Every LINE message ends sent; the push reaches LINE just before its
		// job records it, so this waits out the queued ones first.
		deadline := time.Now().Add(20 * time.Second)
		for {
			queued := 0
			for _, m := range e.lineMessages(t, "studio-a") {
				if m.Status == daoyue.LineQueued {
					queued++
				}
			}
			if queued == 0 || time.Now().After(deadline) {
				break
			}
			time.Sleep(25 * time.Millisecond)
		}
		for _, m := range e.lineMessages(t, "studio-a") {
			if m.Status != daoyue.LineSent {
				t.Errorf("%s LINE message %s: %s", m.Kind, m.Status, m.LastError)
			}
		}
		_ = waiting

		// The studio moves the confirmed booking: told on LINE, with the moved meeting's link.
		ctxOwner := ctxAs(t, e.pageEnv, "owner@a.example")
		if _, err := e.app.Reschedule(ctxOwner, "studio-a", online.Booking.ID, pgAt(2, 14, 0)); err != nil {
			t.Fatal(err)
		}
		moved := e.wait("studio-a", online.Booking.ID, "the moved meeting", func(b *daoyue.Booking) bool {
			return b.Meeting.Status == daoyue.MeetingCreated && b.Meeting.SyncedVersion == b.Meeting.Version
		})
		got = e.waitPushes(t, lineChA.ID, user, 6)
		if !strings.Contains(got[4].Text, msg("zh-TW", "mail.lead.rescheduled", "when", "")[:6]) || !strings.Contains(got[4].Text, moved.Meeting.JoinURL) {
			t.Errorf("rescheduled on LINE: %q", got[4].Text)
		}
		// The reminder, composed when due, carries the moved meeting's link.
		e.clock.Set(moved.Start.Add(-50 * time.Minute))
		if n, err := e.app.SendReminders(context.Background()); err != nil || n == 0 {
			t.Fatalf("reminders: %d %v", n, err)
		}
		got = e.waitPushes(t, lineChA.ID, user, 8)
		if !strings.Contains(got[6].Text, msg("zh-TW", "mail.subject.reminder", "service", A.Online.Name, "when", "")[:4]) ||
			!strings.Contains(got[6].Text, moved.Meeting.JoinURL) {
			t.Errorf("reminder on LINE: %q", got[6].Text)
		}
		e.clock.Set(pgNow)

		// My bookings shows no join link, and says LINE is linked.
		my := e.myBookings(t, client, "mei.ling@client.example")
		my.wantNoText(moved.Meeting.JoinURL)
		my.wantText("#line-state", msg("zh-TW", "line.link.linked"))

		// A lost answer: LINE accepted, the retry with the same key gets 409 and counts once.
		used := e.line.Used(lineChA.ID)
		e.line.LoseAnswerNext(1)
		if _, err := e.app.Cancel(ctxOwner, "studio-a", waiting.Booking.ID, ""); err != nil {
			t.Fatal(err)
		}
		e.waitPushes(t, lineChA.ID, user, 9)
		e.waitLineStatus(t, "studio-a", daoyue.MailCancelled, daoyue.LineSent)
		if u := e.line.Used(lineChA.ID); u != used+1 {
			t.Errorf("a lost answer counted %d times", u-used)
		}
		if n := len(e.pushes(lineChA.ID, user)); n != 10 {
			t.Errorf("%d pushed entries after the retried push, want 10", n)
		}

		// The monthly limit: recorded as failed, not retried; the email still goes.
		e.line.SetMonthlyLimit(lineChA.ID, e.line.Used(lineChA.ID))
		calls := e.line.Calls("POST /v2/bot/message/push")
		third := e.book("studio-a", A.InPerson, A.Lin.ID, pgAt(4, 10, 0), "Mei Ling")
		failed := e.waitLineStatus(t, "studio-a", daoyue.MailReceived, daoyue.LineFailed)
		if !strings.Contains(failed.LastError, "429") {
			t.Errorf("monthly limit recorded as %q", failed.LastError)
		}
		time.Sleep(1500 * time.Millisecond)
		if c := e.line.Calls("POST /v2/bot/message/push"); c != calls+1 {
			t.Errorf("%d pushes after the monthly limit, want 1", c-calls)
		}
		owner.get("/admin/studio-a/settings").wantText("#line-recent", msg("zh-TW", "settings.line.status.failed"))
		e.line.SetMonthlyLimit(lineChA.ID, 0)
		_ = third

		// Unfollow: nothing more is pushed; email only.
		e.line.Unfollow(lineChA.ID, user)
		before := len(e.pushes(lineChA.ID, user))
		e.book("studio-a", A.InPerson, A.Lin.ID, pgAt(5, 10, 0), "Mei Ling")
		time.Sleep(1500 * time.Millisecond)
		if n := len(e.pushes(lineChA.ID, user)); n != before {
			t.Errorf("pushed to a client who unfollowed")
		}
		client.get("/b/"+first.ManageToken).wantText("#line-state", msg("zh-TW", "line.link.unfollowed"))

		// A client who never linked: email only.
		e.book("studio-a", A.InPerson, A.Lin.ID, pgAt(5, 14, 0), "Wei Chen")
		if u := e.line.UserID(lineChA.ID, "wei"); u != "" && len(e.pushes(lineChA.ID, u)) != 0 {
			t.Error("pushed to a client who never linked")
		}
		var outbox int
		_ = e.db.View(context.Background(), func(tx daoyue.Tx) error {
			ms, _, err := tx.ListOutbox(context.Background(), A.Workspace.ID, "", 200)
			for _, m := range ms {
				if m.Recipient == "mei.ling@client.example" || m.Recipient == "wei.chen@client.example" {
					outbox++
				}
			}
			return err
		})
		if outbox < 8 {
			t.Errorf("%d client emails in the outbox: email must go beside LINE", outbox)
		}

		// Disconnect forgets the account.
		p := owner.post("/admin/studio-a/settings/line/disconnect", nil)
		p.wantText(".flash-ok", msg("zh-TW", "flash.line_disconnected"))
		p.wantCount("#line-account", 0)
		client.get("/b/"+first.ManageToken).wantCount("#line", 0)
	})
}

// myBookings signs the client in to My bookings with a sign-in link made
// here (the emailed link has its own tests) and returns the list.
func (e *lineEnv) myBookings(t *testing.T, client *browser, email string) *page {
	t.Helper()
	ctx := context.Background()
	tok := daoyue.NewToken()
	now := e.app.Now()
	err := e.db.Update(ctx, func(tx daoyue.Tx) error {
		return tx.CreateClientToken(ctx, &daoyue.ClientToken{Hash: daoyue.HashToken(tok), Kind: daoyue.ClientLink,
			WorkspaceID: e.A.Workspace.ID, Email: email, CreatedAt: now, ExpiresAt: now.Add(time.Hour)})
	})
	if err != nil {
		t.Fatal(err)
	}
	list := client.post("/w/studio-a/my/"+tok, nil).wantStatus(http.StatusOK)
	list.wantText("#my-email", email)
	// LINE can be linked from here too.
	offer := client.submit(list, "form:has(#line-link)", nil).wantStatus(http.StatusOK)
	if !strings.HasPrefix(offer.text("#line-code"), "DY-") {
		t.Error("no code from My bookings")
	}
	return list
}
