package jobs_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/jobs"
	"github.com/daoyue/daoyue/notify"
	"github.com/daoyue/daoyue/notify/smtptest"
	"github.com/daoyue/daoyue/secret"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// Client notifications end to end: the app writes each message to the
// outbox in the change's transaction, River sends it over real SMTP to an
// in-process server, and the tests read the raw MIME that arrived.

// mailSetup is the sync fixture with email sent to an in-process SMTP server.
func mailSetup(t *testing.T, db *store.DB, o smtptest.Options) (*fixture, *smtptest.Server) {
	t.Helper()
	return mailSetupWith(t, db, o, nil)
}

func mailSetupWith(t *testing.T, db *store.DB, o smtptest.Options, observer jobs.Observer) (*fixture, *smtptest.Server) {
	t.Helper()
	srv := smtptest.NewServer(t, o)
	f := setupWith(t, db, observer)
	sender, err := notify.NewSMTP(srv.URL(), "DaoYue <no-reply@daoyue.test>")
	if err != nil {
		t.Fatal(err)
	}
	f.a.Mail = app.Mail{BaseURL: "https://daoyue.test", From: sender.From(), Sender: sender}
	return f, srv
}

// email is one message that arrived, with its kind from the outbox.
type email struct {
	kind daoyue.MailKind
	raw  smtptest.Received
	*smtptest.Parsed
}

// all is every part a client could read, the calendar unfolded.
func (e email) all() string {
	s := e.Subject + "\n" + e.Text + "\n" + e.HTML
	if c := e.Attachment("text/calendar"); c != nil {
		s += "\n" + strings.ReplaceAll(c.Body, "\r\n ", "")
	}
	return s
}

func (e email) calendar(t *testing.T) string {
	t.Helper()
	c := e.Attachment("text/calendar")
	if c == nil {
		t.Fatalf("%s: no calendar attached", e.kind)
	}
	return strings.ReplaceAll(c.Body, "\r\n ", "")
}

// mails waits for n emails and returns them in the order they were written.
func (f *fixture) mails(srv *smtptest.Server, n int) []email {
	f.t.Helper()
	got := srv.Wait(f.t, n)
	ob, err := f.a.Outbox(f.owner, "studio", "", 200)
	if err != nil {
		f.t.Fatal(err)
	}
	kinds := map[string]daoyue.MailKind{}
	order := map[string]int{} // oldest first
	for i, m := range ob.Messages {
		kinds["<"+m.ID+"@daoyue>"] = m.Kind
		order["<"+m.ID+"@daoyue>"] = len(ob.Messages) - i
	}
	var out []email
	for _, r := range got {
		p := r.Parse(f.t)
		out = append(out, email{kind: kinds[p.Header.Get("Message-ID")], raw: r, Parsed: p})
	}
	// Several workers send at once: put them in the order they were written.
	sort.SliceStable(out, func(i, j int) bool {
		return order[out[i].Header.Get("Message-ID")] < order[out[j].Header.Get("Message-ID")]
	})
	return out
}

// allSent waits until the outbox holds n messages, all marked sent.
func (f *fixture) allSent(n int) []*daoyue.OutboxMessage {
	f.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ob, err := f.a.Outbox(f.owner, "studio", "", 0)
		if err != nil {
			f.t.Fatal(err)
		}
		done := len(ob.Messages) == n
		for _, m := range ob.Messages {
			done = done && m.Status == daoyue.MailSent
		}
		if done {
			return ob.Messages
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("waited for %d messages sent; outbox has %d", n, len(ob.Messages))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// noMore checks that no further email arrives for a while.
func noMore(t *testing.T, srv *smtptest.Server, n int) {
	t.Helper()
	time.Sleep(500 * time.Millisecond)
	if got := len(srv.Messages()); got != n {
		t.Fatalf("%d emails, want %d", got, n)
	}
}

func private(b *daoyue.Booking) []string {
	return []string{b.Meeting.JoinURL, strconv.FormatInt(b.Meeting.ZoomID, 10), b.Meeting.Passcode}
}

// The privacy rule on a pay-first online booking: "received" and "payment
// required" carry the public instructions only; the confirmation waits for
// payment and then for the meeting, and carries its join link; a new time
// carries it again with the next calendar SEQUENCE.
func TestMailPayFirstOnline(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, srv := mailSetup(t, db, smtptest.Options{})
		f.connect(f.st.Chen, f.zchen) // PayFirst is hosted by Chen
		bk := f.book(f.st.PayFirst, f.st.Chen, taipei(11, 0))
		first := f.mails(srv, 2)
		if first[0].kind != daoyue.MailReceived || first[1].kind != daoyue.MailPaymentRequired {
			t.Fatalf("kinds %s, %s", first[0].kind, first[1].kind)
		}
		for _, e := range first {
			if e.raw.To[0] != "ming@example.com" || !strings.Contains(e.Header.Get("To"), "ming@example.com") {
				t.Errorf("%s to %v", e.kind, e.raw.To)
			}
			for _, want := range []string{f.st.PayFirst.OnlineInstructions, "線上會議連結會在預約成立後以 email 寄給您", "NT$1,500",
				"https://daoyue.test/b/" + bk.ManageToken} {
				if !strings.Contains(e.Text, want) {
					t.Errorf("%s lacks %q:\n%s", e.kind, want, e.Text)
				}
			}
			if strings.Contains(strings.ToLower(e.all()), "zoom.us") || e.Attachment("text/calendar") != nil {
				t.Errorf("%s before confirmation:\n%s", e.kind, e.all())
			}
		}
		if !strings.HasPrefix(first[1].Subject, "請於 2026年12月2日(三) 08:00 (台北時間) 前付款") {
			t.Errorf("payment required subject %q", first[1].Subject)
		}

		// Paid while Zoom is down: confirmed, but the confirmation waits.
		f.sim.SetDown(true)
		if _, err := f.a.RecordPayment(f.owner, "studio", bk.Booking.ID, "bank_transfer", ""); err != nil {
			t.Fatal(err)
		}
		b := f.wait(bk.Booking.ID, "a retry", func(b *daoyue.Booking) bool { return b.Meeting.Reason == daoyue.ReasonRetrying })
		if b.MailWaiting != daoyue.MailConfirmed {
			t.Fatalf("held message %q", b.MailWaiting)
		}
		noMore(t, srv, 2)
		f.sim.SetDown(false)
		b = f.wait(bk.Booking.ID, "a meeting", created)
		all := f.mails(srv, 3)
		conf := all[2]
		if conf.kind != daoyue.MailConfirmed || !strings.HasPrefix(conf.Subject, "預約已成立:線上身心評估(先付款) 2026年12月2日(三) 11:00") {
			t.Fatalf("third email: %s %q", conf.kind, conf.Subject)
		}
		for _, secret := range private(b) {
			if secret == "" || secret == "0" || !strings.Contains(conf.Text, secret) {
				t.Errorf("confirmation lacks %q:\n%s", secret, conf.Text)
			}
			for _, e := range first {
				if strings.Contains(e.all(), secret) {
					t.Errorf("%s holds %q", e.kind, secret)
				}
			}
		}
		cal := conf.calendar(t)
		for _, want := range []string{"METHOD:REQUEST", "UID:" + bk.Booking.ID + "@daoyue", "SEQUENCE:0", "DTSTART:20261202T030000Z",
			"DTEND:20261202T034500Z", "LOCATION:" + b.Meeting.JoinURL} {
			if !strings.Contains(cal, want+"\r\n") {
				t.Errorf("calendar lacks %q:\n%s", want, cal)
			}
		}
		if c := conf.Attachment("text/calendar"); c.Params["method"] != "REQUEST" {
			t.Errorf("calendar part %s", c.ContentType)
		}
		if got, _ := f.a.Booking(f.owner, "studio", bk.Booking.ID); got.Booking.MailWaiting != "" || got.Booking.CalendarSeq != 1 {
			t.Errorf("after the confirmation: waiting %q, seq %d", got.Booking.MailWaiting, got.Booking.CalendarSeq)
		}

		// A new time: sent once Zoom moved the meeting, with the link again.
		if _, err := f.a.Reschedule(f.owner, "studio", bk.Booking.ID, taipei(14, 0)); err != nil {
			t.Fatal(err)
		}
		f.wait(bk.Booking.ID, "the move", func(b *daoyue.Booking) bool { return created(b) && b.Meeting.Start.Equal(taipei(14, 0)) })
		moved := f.mails(srv, 4)[3]
		if moved.kind != daoyue.MailRescheduled || !strings.Contains(moved.Text, b.Meeting.JoinURL) ||
			!strings.Contains(moved.Text, "2026年12月2日(三) 14:00–14:45 (台北時間)") {
			t.Errorf("rescheduled:\n%s", moved.Text)
		}
		if cal := moved.calendar(t); !strings.Contains(cal, "SEQUENCE:1\r\n") || !strings.Contains(cal, "DTSTART:20261202T060000Z\r\n") ||
			!strings.Contains(cal, "UID:"+bk.Booking.ID+"@daoyue\r\n") {
			t.Errorf("rescheduled calendar:\n%s", cal)
		}

		// Cancelled: METHOD:CANCEL, no link.
		if _, err := f.a.Cancel(f.owner, "studio", bk.Booking.ID, ""); err != nil {
			t.Fatal(err)
		}
		cancelled := f.mails(srv, 5)[4]
		if cancelled.kind != daoyue.MailCancelled || strings.Contains(cancelled.all(), b.Meeting.JoinURL) {
			t.Errorf("cancelled:\n%s", cancelled.all())
		}
		if cal := cancelled.calendar(t); !strings.Contains(cal, "METHOD:CANCEL\r\n") || !strings.Contains(cal, "SEQUENCE:2\r\n") ||
			!strings.Contains(cal, "STATUS:CANCELLED\r\n") {
			t.Errorf("cancel calendar:\n%s", cal)
		}
		for _, m := range f.allSent(5) {
			if m.Status != daoyue.MailSent || m.SentAt == nil || m.Attempts != 1 {
				t.Errorf("outbox %s: %s, sent %v, %d attempts", m.Kind, m.Status, m.SentAt, m.Attempts)
			}
			if strings.Contains(m.Text, bk.ManageToken) || !strings.Contains(m.Text, "https://daoyue.test/b/"+notify.MaskedToken) {
				t.Errorf("outbox %s shows the manage token:\n%s", m.Kind, m.Text)
			}
		}
	})
}

// When Zoom cannot make the meeting, the confirmation goes out anyway with
// the public instructions and a line that the studio will send the link;
// once the meeting exists (after reconnecting) the link follows.
func TestMailConfirmationWhenZoomFails(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, srv := mailSetup(t, db, smtptest.Options{})
		f.connect(f.st.Lin, f.zlin)
		f.sim.RevokeUser(f.zlin.ID)
		bk := f.book(f.st.Online, f.st.Lin, taipei(10, 0))
		f.wait(bk.Booking.ID, "the failure", func(b *daoyue.Booking) bool { return b.Meeting.Status == daoyue.MeetingFailed })
		conf := f.mails(srv, 1)[0]
		if conf.kind != daoyue.MailConfirmed {
			t.Fatalf("kind %s", conf.kind)
		}
		for _, want := range []string{"您的預約已成立", f.st.Online.OnlineInstructions, "線上會議連結將由工作室另外寄給您。"} {
			if !strings.Contains(conf.Text, want) {
				t.Errorf("confirmation lacks %q:\n%s", want, conf.Text)
			}
		}
		if strings.Contains(conf.all(), "zoom.us/j") || strings.Contains(conf.Text, "加入 Zoom 會議") {
			t.Errorf("confirmation without a meeting:\n%s", conf.all())
		}
		f.connect(f.st.Lin, f.zlin) // 重新連結: the sync runs again and makes the meeting
		b := f.wait(bk.Booking.ID, "a meeting", created)
		link := f.mails(srv, 2)[1]
		if link.kind != daoyue.MailConfirmed || !strings.HasPrefix(link.Subject, "線上會議連結:") {
			t.Fatalf("follow-up: %s %q", link.kind, link.Subject)
		}
		for _, secret := range private(b) {
			if !strings.Contains(link.Text, secret) {
				t.Errorf("follow-up lacks %q:\n%s", secret, link.Text)
			}
		}
		if cal := link.calendar(t); !strings.Contains(cal, "SEQUENCE:1\r\n") || !strings.Contains(cal, "METHOD:REQUEST\r\n") {
			t.Errorf("follow-up calendar:\n%s", cal)
		}
		noMore(t, srv, 2)
	})
}

// An in-person booking in English: received, confirmed, moved, cancelled,
// each in English and none mentioning Zoom; the calendar's SEQUENCE grows.
func TestMailInPersonInEnglish(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, srv := mailSetup(t, db, smtptest.Options{})
		f.connect(f.st.Lin, f.zlin)
		bk, err := f.a.Book(context.Background(), "studio", app.BookInput{ServiceID: f.st.InPerson.ID, PractitionerID: f.st.Lin.ID,
			Start: taipeiOn(3, 10, 0), Client: daoyue.Client{Name: "Amy", Email: "amy@example.com"}, Language: "en-US"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.a.Accept(f.owner, "studio", bk.Booking.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.a.Reschedule(f.owner, "studio", bk.Booking.ID, taipeiOn(3, 13, 0)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.a.Cancel(f.owner, "studio", bk.Booking.ID, "Studio closed for repairs"); err != nil {
			t.Fatal(err)
		}
		got := f.mails(srv, 4)
		want := []struct {
			kind    daoyue.MailKind
			subject string
			text    []string
			cal     string
		}{
			{daoyue.MailReceived, "Booking received: 工作室團體課體驗, Thu, 3 Dec 2026, 10:00", []string{"Hi Amy,", "The studio will confirm it", f.st.InPerson.Location, "View or change your booking: https://daoyue.test/b/" + bk.ManageToken}, ""},
			{daoyue.MailConfirmed, "Booking confirmed: 工作室團體課體驗, Thu, 3 Dec 2026, 10:00", []string{"Your booking is confirmed", "Thu, 3 Dec 2026, 10:00–11:30 (Taipei time)", f.st.InPerson.Location}, "METHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:" + bk.Booking.ID + "@daoyue\r\nSEQUENCE:0\r\n"},
			{daoyue.MailRescheduled, "Booking moved: 工作室團體課體驗, Thu, 3 Dec 2026, 13:00", []string{"moved to a new time", "When: Thu, 3 Dec 2026, 13:00–14:30 (Taipei time)", "Previously: Thu, 3 Dec 2026, 10:00–11:30 (Taipei time)"}, "SEQUENCE:1\r\nDTSTAMP:"},
			{daoyue.MailCancelled, "Booking cancelled: 工作室團體課體驗, Thu, 3 Dec 2026, 13:00", []string{"has been cancelled", "Reason: Studio closed for repairs"}, "METHOD:CANCEL\r\nBEGIN:VEVENT\r\nUID:" + bk.Booking.ID + "@daoyue\r\nSEQUENCE:2\r\n"},
		}
		for i, w := range want {
			e := got[i]
			if e.kind != w.kind || e.Subject != w.subject {
				t.Errorf("email %d: %s %q, want %s %q", i, e.kind, e.Subject, w.kind, w.subject)
			}
			for _, s := range w.text {
				if !strings.Contains(e.Text, s) {
					t.Errorf("%s lacks %q:\n%s", e.kind, s, e.Text)
				}
			}
			if w.cal != "" && !strings.Contains(e.calendar(t), w.cal) {
				t.Errorf("%s calendar lacks %q:\n%s", e.kind, w.cal, e.calendar(t))
			}
			if w.cal == "" && e.Attachment("text/calendar") != nil {
				t.Errorf("%s has a calendar", e.kind)
			}
			lower := strings.ToLower(e.all())
			for _, word := range []string{"zoom", "online", "線上", "您好"} {
				if strings.Contains(lower, word) {
					t.Errorf("%s mentions %q:\n%s", e.kind, word, e.all())
				}
			}
		}
	})
}

// Declined and expired bookings are told so, with a link to book again.
func TestMailDeclinedAndExpired(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, srv := mailSetup(t, db, smtptest.Options{})
		in := f.book(f.st.InPerson, f.st.Lin, taipeiOn(3, 10, 0))
		if _, err := f.a.Decline(f.owner, "studio", in.Booking.ID, "老師那天請假"); err != nil {
			t.Fatal(err)
		}
		pay := f.book(f.st.PayFirst, f.st.Chen, taipei(11, 0))
		f.mails(srv, 4) // received, declined, received, payment required
		f.clock.Advance(25 * time.Hour)
		f.wait(pay.Booking.ID, "the expiry", func(b *daoyue.Booking) bool { return b.Status == daoyue.StatusExpired })
		got := f.mails(srv, 5)
		byKind := map[daoyue.MailKind]email{}
		for _, e := range got {
			byKind[e.kind] = e
		}
		d, x := byKind[daoyue.MailDeclined], byKind[daoyue.MailExpired]
		if !strings.Contains(d.Text, "很抱歉,工作室無法接受這個預約") || !strings.Contains(d.Text, "原因: 老師那天請假") ||
			!strings.Contains(d.Text, "重新預約: https://daoyue.test/w/studio") {
			t.Errorf("declined:\n%s", d.Text)
		}
		if !strings.Contains(x.Text, "付款期限 2026年12月2日(三) 08:00 (台北時間) 已過") || !strings.Contains(x.Text, "https://daoyue.test/w/studio") ||
			strings.Contains(x.Text, "/b/") {
			t.Errorf("expired:\n%s", x.Text)
		}
	})
}

// A mail server's temporary refusals are retried until the message goes,
// and /metrics counts each attempt's outcome.
func TestMailRetried(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		obs := &mailOutcomes{}
		f, srv := mailSetupWith(t, db, smtptest.Options{FailFirst: 2}, obs)
		bk := f.book(f.st.InPerson, f.st.Lin, taipeiOn(3, 10, 0))
		f.mails(srv, 1)
		if m := f.allSent(1)[0]; m.Attempts != 3 || m.LastError != "" || m.BookingID != bk.Booking.ID {
			t.Errorf("sent after retries: %+v", m)
		}
		if logs := f.logs.String(); !strings.Contains(logs, "451") || strings.Contains(logs, "ming@example.com") {
			t.Errorf("the refusal was not logged, or named the recipient:\n%s", logs)
		}
		// The sender counts a delivery once its record has committed,
		// a moment after the outbox shows it sent.
		if got := obs.waitFor(3); got != "client/error client/error client/ok" {
			t.Errorf("outcomes counted: %q", got)
		}
	})
}

// mailOutcomes records the runner's MailDelivery reports.
type mailOutcomes struct {
	mu  sync.Mutex
	got []string
}

func (o *mailOutcomes) MeetingSync(string, time.Duration) {}
func (o *mailOutcomes) MailDelivery(kind, outcome string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.got = append(o.got, kind+"/"+outcome)
}
func (o *mailOutcomes) get() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return strings.Join(o.got, " ")
}

// waitFor returns the outcomes once n are counted (or after 20 s, as many
// as there are).
func (o *mailOutcomes) waitFor(n int) string {
	deadline := time.Now().Add(20 * time.Second)
	for {
		o.mu.Lock()
		enough := len(o.got) >= n
		o.mu.Unlock()
		if enough || time.Now().After(deadline) {
			return o.get()
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Without an SMTP server messages are kept in the outbox, unsent.
func TestMailKeptWithoutSMTP(t *testing.T) {
	t.Parallel()
	f := setup(t, storetest.NewSQLite(t))
	f.book(f.st.InPerson, f.st.Lin, taipeiOn(3, 10, 0))
	ob, err := f.a.Outbox(f.owner, "studio", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if ob.Sending || len(ob.Messages) != 1 || ob.Messages[0].Status != daoyue.MailKept || ob.Messages[0].Kind != daoyue.MailReceived {
		t.Fatalf("outbox: %+v", ob)
	}
}

// The manage token is never stored in clear (only its hash and its sealed
// form), though the email carries it; the logs hold neither it nor any
// email's content.
func TestMailSecretsNotStoredOrLogged(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "daoyue.db")
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f, srv := mailSetup(t, db, smtptest.Options{})
	f.connect(f.st.Lin, f.zlin)
	bk := f.book(f.st.Online, f.st.Lin, taipei(10, 0))
	b := f.wait(bk.Booking.ID, "a meeting", created)
	e := f.mails(srv, 1)[0]
	f.allSent(1)
	if !strings.Contains(e.Text, bk.ManageToken) || !strings.Contains(e.Text, b.Meeting.JoinURL) {
		t.Fatalf("the email lacks the manage link or the join link:\n%s", e.Text)
	}
	var raw []byte
	for _, p := range []string{path, path + "-wal"} {
		data, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		raw = append(raw, data...)
	}
	if bytes.Contains(raw, []byte(bk.ManageToken)) {
		t.Error("the manage token is in the database file in clear text")
	}
	logs := f.logs.String()
	for name, s := range map[string]string{"manage token": bk.ManageToken, "join URL": b.Meeting.JoinURL,
		"passcode": b.Meeting.Passcode, "recipient": "ming@example.com", "subject": e.Subject} {
		if strings.Contains(logs, s) {
			t.Errorf("the %s appears in the logs", name)
		}
	}
	if !strings.Contains(logs, "email sent") {
		t.Error("the delivery was not logged")
	}
}

// Manage links survive a key rotation: `keys reencrypt` re-seals them, and
// emails after the old key is gone still link to the manage page.
func TestManageLinkAfterKeyRotation(t *testing.T) {
	t.Parallel()
	f, srv := mailSetup(t, storetest.NewSQLite(t), smtptest.Options{})
	k1, k2 := secret.NewSpec("k1"), secret.NewSpec("k2")
	keyring := func(spec string) *secret.Keyring {
		k, err := secret.Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	f.a.Zoom.Keys = keyring(k1)
	bk := f.book(f.st.InPerson, f.st.Lin, taipeiOn(3, 10, 0))
	f.allSent(1)
	f.a.Zoom.Keys = keyring(k2 + "," + k1)
	if n, err := f.a.ReencryptManageTokens(context.Background()); err != nil || n != 1 {
		t.Fatalf("re-encrypted %d: %v", n, err)
	}
	if n, _ := f.a.ReencryptManageTokens(context.Background()); n != 0 {
		t.Fatalf("re-encrypted %d again", n)
	}
	f.a.Zoom.Keys = keyring(k2)
	if _, err := f.a.Accept(f.owner, "studio", bk.Booking.ID); err != nil {
		t.Fatal(err)
	}
	conf := f.mails(srv, 2)[1]
	if conf.kind != daoyue.MailConfirmed || !strings.Contains(conf.Text, "https://daoyue.test/b/"+bk.ManageToken) {
		t.Fatalf("confirmation after the rotation:\n%s", conf.Text)
	}

	// A sealed token that no key opens: the email goes without the link.
	f.a.Zoom.Keys = keyring(secret.NewSpec("k3"))
	if _, err := f.a.Cancel(f.owner, "studio", bk.Booking.ID, ""); err != nil {
		t.Fatal(err)
	}
	cancelled := f.mails(srv, 3)[2]
	if strings.Contains(cancelled.Text, "/b/") || !strings.Contains(cancelled.Text, "您的預約已取消") {
		t.Fatalf("cancellation without a usable key:\n%s", cancelled.Text)
	}
}

// Two instances drain one outbox: every email goes exactly once. An
// instance that claimed an email and died holds it only until its claim
// ends; then a living one sends it.
func TestMailDrainedOnceAndAfterADeadSender(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, srv := mailSetup(t, db, smtptest.Options{})
		a2, r2 := f.env.NewInstance()
		a2.Mail = f.a.Mail
		const n = 12
		for i := range n {
			f.book(f.st.InPerson, f.st.Lin, taipeiOn([]int{3, 4, 7}[i/4], 9+2*(i%4), 0)) // weekdays
		}
		got := f.mails(srv, n)
		noMore(t, srv, n)
		ids := map[string]bool{}
		for _, e := range got {
			ids[e.Header.Get("Message-ID")] = true
		}
		if len(ids) != n {
			t.Fatalf("%d distinct emails of %d", len(ids), n)
		}
		f.allSent(n)

		// Nobody sends while the next email is written and claimed by a
		// sender that then dies.
		for _, r := range []*jobs.Runner{f.run, r2} {
			if err := r.Stop(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		f.book(f.st.InPerson, f.st.Lin, taipeiOn(8, 9, 0))
		claimed, err := f.a.ClaimMail(context.Background(), 10, time.Minute)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("the dead sender's claim: %v, %v", claimed, err)
		}
		a3 := f.newApp()
		a3.Mail = f.a.Mail
		noMore(t, srv, n)
		f.clock.Advance(61 * time.Second)
		f.mails(srv, n+1)
		f.allSent(n + 1)
		noMore(t, srv, n+1)
	})
}
