package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
)

// The fixtures: a Taipei studio, an online service with public
// instructions, an in-person one, and a booking on Wednesday 2 December
// 2026 at 14:00 Taipei time (06:00 UTC).

const (
	joinURL   = "https://zoom.us/j/98765432101?pwd=Zm9vYmFyc2VjcmV0"
	meetingID = "98765432101"
	passcode  = "p4ssc0de"
)

var (
	start = time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)
	now   = time.Date(2026, 12, 1, 1, 2, 3, 0, time.UTC)
	ws    = &daoyue.Workspace{ID: "ws_1", Slug: "studio", Name: "靜心瑜珈工作室", TimeZone: "Asia/Taipei"}
	prac  = &daoyue.Practitioner{ID: "pr_1", Name: "林雅婷"}
	onl   = &daoyue.Service{ID: "sv_on", Name: "線上一對一瑜珈", Online: true, DurationMin: 60,
		OnlineInstructions: "課程以 Zoom 進行。請提前 5 分鐘準備好瑜珈墊。",
		Price:              daoyue.Money{Amount: 1500, Currency: "TWD"}}
	inp = &daoyue.Service{ID: "sv_in", Name: "工作室團體課", DurationMin: 90, Location: "台北市大安區復興南路一段 100 號 3 樓",
		Price: daoyue.Money{Amount: 800, Currency: "TWD"}}
)

func booking(svc *daoyue.Service, st daoyue.Status, lang string) *daoyue.Booking {
	due := now.Add(24 * time.Hour)
	b := &daoyue.Booking{ID: "bk_42", WorkspaceID: ws.ID, ServiceID: svc.ID, PractitionerID: prac.ID, HostID: prac.ID,
		Start: start, End: start.Add(time.Duration(svc.DurationMin) * time.Minute), Online: svc.Online, Status: st,
		Client: daoyue.Client{Name: "王小明", Email: "ming@example.com"}, Language: lang, Price: svc.Price,
		PaymentStatus: daoyue.PaymentUnpaid, PaymentDueAt: &due}
	if svc.Online && st == daoyue.StatusConfirmed {
		b.Meeting = daoyue.Meeting{Status: daoyue.MeetingCreated, ZoomID: 98765432101, JoinURL: joinURL, Passcode: passcode}
	}
	return b
}

func compose(t *testing.T, kind daoyue.MailKind, b *daoyue.Booking, svc *daoyue.Service) *Message {
	t.Helper()
	m, err := Compose(Input{Kind: kind, Workspace: ws, Service: svc, Practitioner: prac, Booking: b,
		BaseURL: "https://daoyue.test", ManageLink: true, Organizer: "no-reply@daoyue.test", Now: now})
	if err != nil {
		t.Fatalf("compose %s: %v", kind, err)
	}
	return m
}

// all is every part of a message a client could read.
func all(m *Message) string { return m.Subject + "\n" + m.Text + "\n" + m.HTML + "\n" + m.ICS }

func hasPrivate(s string) []string {
	s = unfold(s)
	var found []string
	for _, secret := range []string{joinURL, "zoom.us/j/", meetingID, passcode, "Zm9vYmFyc2VjcmV0"} {
		if strings.Contains(s, secret) {
			found = append(found, secret)
		}
	}
	return found
}

// The privacy rule, for every kind in every state and meeting state: the
// private meeting details appear only in a confirmation or new time of a
// confirmed online booking whose meeting exists.
func TestPrivateDetailsOnlyOnceConfirmed(t *testing.T) {
	meetings := map[string]daoyue.Meeting{
		"created": {Status: daoyue.MeetingCreated, ZoomID: 98765432101, JoinURL: joinURL, Passcode: passcode},
		"pending": {Status: daoyue.MeetingPending, ZoomID: 98765432101, JoinURL: joinURL, Passcode: passcode},
		"failed":  {Status: daoyue.MeetingFailed, Reason: daoyue.ReasonNeedsReauth, ZoomID: 98765432101, JoinURL: joinURL, Passcode: passcode},
		"none":    {Status: daoyue.MeetingNone},
	}
	statuses := []daoyue.Status{daoyue.StatusPending, daoyue.StatusAwaitingPayment, daoyue.StatusConfirmed,
		daoyue.StatusDeclined, daoyue.StatusCancelled, daoyue.StatusExpired}
	for _, kind := range daoyue.MailKinds {
		for _, st := range statuses {
			for mname, mt := range meetings {
				for _, lang := range []string{daoyue.LangZH, daoyue.LangEN} {
					b := booking(onl, st, lang)
					b.Meeting = mt
					m := compose(t, kind, b, onl)
					found := hasPrivate(all(m))
					// The reminder of a confirmed online booking carries the
					// link too (issue 12), without a calendar file.
					want := (kind == daoyue.MailConfirmed || kind == daoyue.MailRescheduled || kind == daoyue.MailReminder) &&
						st == daoyue.StatusConfirmed && mname == "created"
					switch {
					case want && (!strings.Contains(m.Text, joinURL) || !strings.Contains(m.Text, meetingID) || !strings.Contains(m.Text, passcode)):
						t.Errorf("%s/%s/%s/%s: join details missing:\n%s", kind, st, mname, lang, m.Text)
					case want && (!strings.Contains(m.HTML, `href="`+joinURL+`"`) || kind != daoyue.MailReminder && !strings.Contains(unfold(m.ICS), joinURL)):
						t.Errorf("%s/%s/%s/%s: the join link is not in the HTML and the calendar", kind, st, mname, lang)
					case !want && len(found) > 0:
						t.Errorf("%s/%s/%s/%s: private details %v leaked:\n%s", kind, st, mname, lang, found, all(m))
					}
				}
			}
		}
	}
}

// Before confirmation an online booking's messages carry the public
// instructions and say the link comes once confirmed; a confirmation whose
// meeting could not be made says the studio will send it.
func TestPublicInstructions(t *testing.T) {
	for _, kind := range []daoyue.MailKind{daoyue.MailReceived, daoyue.MailPaymentRequired} {
		m := compose(t, kind, booking(onl, daoyue.StatusAwaitingPayment, daoyue.LangZH), onl)
		for _, want := range []string{onl.OnlineInstructions, "線上會議連結會在預約成立後以 email 寄給您"} {
			if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, want) {
				t.Errorf("%s: %q missing:\n%s", kind, want, m.Text)
			}
		}
	}
	b := booking(onl, daoyue.StatusConfirmed, daoyue.LangEN)
	b.Meeting = daoyue.Meeting{Status: daoyue.MeetingFailed, Reason: daoyue.ReasonNeedsReauth}
	m := compose(t, daoyue.MailConfirmed, b, onl)
	for _, want := range []string{"Booking confirmed", onl.OnlineInstructions, "The studio will send you the meeting link separately."} {
		if !strings.Contains(m.Subject+m.Text, want) {
			t.Errorf("confirmation without a meeting: %q missing:\n%s", want, m.Text)
		}
	}
	if strings.Contains(m.Text, "Join the Zoom meeting") {
		t.Errorf("confirmation without a meeting offers to join:\n%s", m.Text)
	}
}

// An in-person booking's messages never mention Zoom or an online session.
func TestInPersonNeverMentionsZoom(t *testing.T) {
	for _, kind := range daoyue.MailKinds {
		for _, st := range []daoyue.Status{daoyue.StatusPending, daoyue.StatusAwaitingPayment, daoyue.StatusConfirmed, daoyue.StatusCancelled} {
			for _, lang := range []string{daoyue.LangZH, daoyue.LangEN} {
				b := booking(inp, st, lang)
				b.CalendarSeq = 1
				m := compose(t, kind, b, inp)
				text := strings.ToLower(all(m))
				for _, word := range []string{"zoom", "線上", "online", "meeting link", "會議"} {
					if strings.Contains(text, word) {
						t.Errorf("%s/%s/%s mentions %q:\n%s", kind, st, lang, word, all(m))
					}
				}
				if (kind == daoyue.MailConfirmed || kind == daoyue.MailReceived) && !strings.Contains(m.Text, inp.Location) {
					t.Errorf("%s/%s/%s: no address:\n%s", kind, st, lang, m.Text)
				}
			}
		}
	}
}

// The booking's language decides the message's; times are in the
// workspace's zone in the body and in UTC in the calendar.
func TestLanguageAndTimes(t *testing.T) {
	zh := compose(t, daoyue.MailConfirmed, booking(onl, daoyue.StatusConfirmed, daoyue.LangZH), onl)
	en := compose(t, daoyue.MailConfirmed, booking(onl, daoyue.StatusConfirmed, daoyue.LangEN), onl)
	for _, c := range []struct {
		m    *Message
		want []string
		not  []string
	}{
		{zh, []string{"預約已成立:線上一對一瑜珈 2026年12月2日(三) 14:00", "王小明 您好:", "2026年12月2日(三) 14:00–15:00 (台北時間)", "加入 Zoom 會議", "查看或更改預約"}, []string{"Hi ", "Booking"}},
		{en, []string{"Booking confirmed: 線上一對一瑜珈, Wed, 2 Dec 2026, 14:00", "Hi 王小明,", "Wed, 2 Dec 2026, 14:00–15:00 (Taipei time)", "Join the Zoom meeting", "View or change your booking"}, []string{"您好", "預約已成立"}},
	} {
		for _, w := range c.want {
			if !strings.Contains(c.m.Subject+"\n"+c.m.Text, w) {
				t.Errorf("%s: %q missing:\n%s\n%s", c.m.Language, w, c.m.Subject, c.m.Text)
			}
		}
		for _, w := range c.not {
			if strings.Contains(c.m.Subject+"\n"+c.m.Text, w) {
				t.Errorf("%s: %q present:\n%s", c.m.Language, w, c.m.Text)
			}
		}
		if !strings.Contains(c.m.HTML, `lang="`+c.m.Language+`"`) {
			t.Errorf("%s: html lang", c.m.Language)
		}
	}
	if !strings.Contains(zh.ICS, "DTSTART:20261202T060000Z\r\n") || !strings.Contains(zh.ICS, "DTEND:20261202T070000Z\r\n") {
		t.Errorf("calendar times are not UTC:\n%s", zh.ICS)
	}
	// Another zone is named.
	ny := *ws
	ny.TimeZone = "America/New_York"
	m, err := Compose(Input{Kind: daoyue.MailReceived, Workspace: &ny, Service: inp, Booking: booking(inp, daoyue.StatusPending, daoyue.LangEN)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Text, "Wed, 2 Dec 2026, 01:00–02:30 (America/New_York time)") {
		t.Errorf("New York times:\n%s", m.Text)
	}
}

// The calendar: REQUEST on confirmation and on a new time, CANCEL on a
// cancellation the client's calendar knows, nothing before confirmation;
// the UID is the booking's and SEQUENCE comes from it.
func TestCalendar(t *testing.T) {
	b := booking(onl, daoyue.StatusConfirmed, daoyue.LangZH)
	b.CalendarSeq = 3
	m := compose(t, daoyue.MailRescheduled, b, onl)
	if m.ICSMethod != "REQUEST" {
		t.Fatalf("method %q", m.ICSMethod)
	}
	for _, want := range []string{"BEGIN:VCALENDAR\r\n", "METHOD:REQUEST\r\n", "UID:bk_42@daoyue\r\n", "SEQUENCE:3\r\n",
		"DTSTAMP:20261201T010203Z\r\n", "DTSTART:20261202T060000Z\r\n", "STATUS:CONFIRMED\r\n",
		"mailto:no-reply@daoyue.test", "mailto:ming@example.com", "END:VCALENDAR\r\n"} {
		if !strings.Contains(unfold(m.ICS), want) {
			t.Errorf("calendar lacks %q:\n%s", want, m.ICS)
		}
	}
	for _, l := range strings.Split(m.ICS, "\r\n") {
		if len(l) > 75 {
			t.Errorf("calendar line of %d octets: %q", len(l), l)
		}
	}
	if !strings.Contains(m.Text, "附件的行事曆檔案") {
		t.Errorf("no calendar note:\n%s", m.Text)
	}

	b.Status = daoyue.StatusCancelled
	m = compose(t, daoyue.MailCancelled, b, onl)
	if m.ICSMethod != "CANCEL" || !strings.Contains(m.ICS, "METHOD:CANCEL\r\n") || !strings.Contains(m.ICS, "STATUS:CANCELLED\r\n") ||
		!strings.Contains(m.ICS, "UID:bk_42@daoyue\r\n") || !strings.Contains(m.ICS, "SEQUENCE:3\r\n") {
		t.Errorf("cancellation calendar:\n%s", m.ICS)
	}
	b.CalendarSeq = 0 // never confirmed: no event to remove
	if m = compose(t, daoyue.MailCancelled, b, onl); m.ICS != "" {
		t.Errorf("cancellation of a booking the calendar never had:\n%s", m.ICS)
	}
	for _, kind := range []daoyue.MailKind{daoyue.MailReceived, daoyue.MailPaymentRequired, daoyue.MailDeclined, daoyue.MailExpired} {
		if m := compose(t, kind, booking(onl, daoyue.StatusAwaitingPayment, daoyue.LangZH), onl); m.ICS != "" {
			t.Errorf("%s has a calendar", kind)
		}
	}
	// A new time of a booking not confirmed yet has none either.
	if m := compose(t, daoyue.MailRescheduled, booking(onl, daoyue.StatusPending, daoyue.LangZH), onl); m.ICS != "" {
		t.Errorf("rescheduled pending booking has a calendar")
	}
}

// Payment required says how much and by when; received of a pay-first
// booking says payment follows; the manage link is a placeholder, and a
// lapsed booking links to the booking page instead.
func TestPaymentAndLinks(t *testing.T) {
	b := booking(onl, daoyue.StatusAwaitingPayment, daoyue.LangZH)
	m := compose(t, daoyue.MailPaymentRequired, b, onl)
	for _, want := range []string{"請於 2026年12月2日(三) 09:02 (台北時間) 前付款:線上一對一瑜珈", "NT$1,500", "付款方式", "工作室會告訴您付款方式",
		"https://daoyue.test/b/" + daoyue.ManageTokenPlaceholder} {
		if !strings.Contains(m.Subject+"\n"+m.Text, want) {
			t.Errorf("payment required: %q missing:\n%s\n%s", want, m.Subject, m.Text)
		}
	}
	if !strings.Contains(m.HTML, `href="https://daoyue.test/b/`+daoyue.ManageTokenPlaceholder+`"`) {
		t.Errorf("manage link in HTML:\n%s", m.HTML)
	}
	withURL, err := Compose(Input{Kind: daoyue.MailPaymentRequired, Workspace: ws, Service: onl, Booking: b, PaymentURL: "https://pay.example/c/1"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(withURL.Text, "前往付款: https://pay.example/c/1") || strings.Contains(withURL.Text, "/b/") {
		t.Errorf("payment link, no manage link without base URL:\n%s", withURL.Text)
	}
	if m := compose(t, daoyue.MailReceived, b, onl); !strings.Contains(m.Text, "這項服務需先付款") || !strings.Contains(m.Text, "NT$1,500") {
		t.Errorf("received of a pay-first booking:\n%s", m.Text)
	}
	b.Status = daoyue.StatusExpired
	m = compose(t, daoyue.MailExpired, b, onl)
	if !strings.Contains(m.Text, "重新預約: https://daoyue.test/w/studio") || strings.Contains(m.Text, "/b/") {
		t.Errorf("expired:\n%s", m.Text)
	}
	b.Status, b.CancelReason = daoyue.StatusDeclined, "老師那天請假"
	if m = compose(t, daoyue.MailDeclined, b, onl); !strings.Contains(m.Text, "原因: 老師那天請假") {
		t.Errorf("declined reason:\n%s", m.Text)
	}
	// HTML escapes what people typed.
	evil := booking(inp, daoyue.StatusPending, daoyue.LangEN)
	evil.Client.Name = `<script>alert(1)</script>`
	if m = compose(t, daoyue.MailReceived, evil, inp); strings.Contains(m.HTML, "<script>") {
		t.Errorf("unescaped HTML:\n%s", m.HTML)
	}
}

// A follow-up confirmation (the meeting was made after the first one went
// out) says the link is ready.
func TestFollowUp(t *testing.T) {
	m, err := Compose(Input{Kind: daoyue.MailConfirmed, Workspace: ws, Service: onl, Booking: booking(onl, daoyue.StatusConfirmed, daoyue.LangEN), FollowUp: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(m.Subject, "Your meeting link:") || !strings.Contains(m.Text, "The online meeting for your booking is ready") {
		t.Errorf("follow-up:\n%s\n%s", m.Subject, m.Text)
	}
}

func TestComposeRefuses(t *testing.T) {
	if _, err := Compose(Input{Kind: "gossip", Workspace: ws, Service: onl, Booking: booking(onl, daoyue.StatusPending, "")}); err == nil {
		t.Error("unknown kind composed")
	}
	if _, err := Compose(Input{Kind: daoyue.MailReceived}); err == nil {
		t.Error("composed without a booking")
	}
}

func TestFold(t *testing.T) {
	long := "DESCRIPTION:" + icsText(strings.Repeat("課程以 Zoom 進行;請準備好瑜珈墊,謝謝。\n", 8))
	folded := fold(long)
	for _, l := range strings.Split(strings.TrimSuffix(folded, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line of %d octets", len(l))
		}
	}
	if got := unfold(folded); got != long+"\r\n" {
		t.Errorf("unfold(fold(x)) != x:\n%q\n%q", got, long)
	}
	if icsText("a,b;c\\d\ne") != `a\,b\;c\\d\ne` {
		t.Errorf("escaping: %q", icsText("a,b;c\\d\ne"))
	}
	if icsParam(`Studio "One"`) != `"Studio One"` {
		t.Errorf("param: %q", icsParam(`Studio "One"`))
	}
}

func unfold(s string) string { return strings.ReplaceAll(s, "\r\n ", "") }

func TestFillManageToken(t *testing.T) {
	m := compose(t, daoyue.MailReceived, booking(onl, daoyue.StatusPending, daoyue.LangEN), onl)
	if got := FillManageToken(m.Text, "tok"); !strings.Contains(got, "View or change your booking: https://daoyue.test/b/tok\n") {
		t.Errorf("filled:\n%s", got)
	}
	for _, body := range []string{m.Text, m.HTML} {
		got := FillManageToken(body, "")
		if strings.Contains(got, "/b/") || strings.Contains(got, "View or change") || !strings.Contains(got, "Sent by DaoYue") {
			t.Errorf("without a token:\n%s", got)
		}
	}
	if got := MaskManageToken(m.Text); !strings.Contains(got, "https://daoyue.test/b/"+MaskedToken) || strings.Contains(got, daoyue.ManageTokenPlaceholder) {
		t.Errorf("masked:\n%s", got)
	}
}

// Purging a meeting's Zoom data erases it from a stored message in every
// form the message wrote it, folded calendar lines included.
func TestRedact(t *testing.T) {
	for _, lang := range []string{daoyue.LangZH, daoyue.LangEN} {
		b := booking(onl, daoyue.StatusConfirmed, lang)
		b.Meeting.JoinURL = "https://zoom.us/j/98765432101?pwd=a+b&uname=" + strings.Repeat("x", 60)
		c := compose(t, daoyue.MailConfirmed, b, onl)
		m := &daoyue.OutboxMessage{Language: c.Language, Subject: c.Subject, Text: c.Text, HTML: c.HTML, ICS: c.ICS, ICSMethod: c.ICSMethod}
		if !Redact(m, b.Meeting.JoinURL, meetingID, passcode, "") {
			t.Fatal("nothing redacted")
		}
		for _, body := range []string{m.Text, m.HTML, unfold(m.ICS)} {
			for _, s := range []string{"zoom.us/j", "pwd=", meetingID, passcode} {
				if strings.Contains(body, s) {
					t.Errorf("%s: %q left in:\n%s", lang, s, body)
				}
			}
		}
		mask := map[string]string{daoyue.LangZH: "[已清除]", daoyue.LangEN: "[removed]"}[lang]
		if !strings.Contains(m.Text, mask) || !strings.Contains(m.HTML, mask) || !strings.Contains(unfold(m.ICS), mask) {
			t.Errorf("%s: no mask:\n%s", lang, m.Text)
		}
		for _, l := range strings.Split(m.ICS, "\r\n") {
			if len(l) > 75 {
				t.Errorf("unfolded line after redaction: %q", l)
			}
		}
		if !strings.Contains(m.Text, onl.OnlineInstructions) || !strings.HasPrefix(m.ICS, "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(m.ICS, "END:VCALENDAR\r\n") {
			t.Errorf("%s: redaction broke the message:\n%s\n%s", lang, m.Text, m.ICS)
		}
		if Redact(m, b.Meeting.JoinURL, meetingID, passcode) {
			t.Errorf("second redaction changed something")
		}
	}
}

// Every client email, of every kind, leads to My bookings at its studio,
// in text and HTML.
func TestEveryClientEmailLinksMyBookings(t *testing.T) {
	for _, kind := range daoyue.MailKinds {
		b := booking(onl, daoyue.StatusConfirmed, daoyue.LangZH)
		m := compose(t, kind, b, onl)
		if !strings.Contains(m.Text, "https://daoyue.test/w/studio/my") || !strings.Contains(m.HTML, `href="https://daoyue.test/w/studio/my"`) {
			t.Errorf("%s: no link to My bookings:\n%s", kind, m.Text)
		}
	}
}
