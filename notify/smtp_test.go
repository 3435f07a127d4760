package notify_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/notify"
	"github.com/daoyue/daoyue/notify/smtptest"
)

// A confirmation composed and sent over real SMTP arrives whole: subject,
// sender, recipient, both bodies and the calendar with its METHOD, UID,
// SEQUENCE and UTC times.
func TestSendOverSMTP(t *testing.T) {
	srv := smtptest.NewServer(t, smtptest.Options{})
	s, err := notify.NewSMTP(srv.URL(), "DaoYue <no-reply@daoyue.test>")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)
	b := &daoyue.Booking{ID: "bk_7", Start: start, End: start.Add(time.Hour), Online: true, Status: daoyue.StatusConfirmed,
		Client: daoyue.Client{Name: "Ming", Email: "ming@example.com"}, Language: daoyue.LangEN, CalendarSeq: 2,
		Meeting: daoyue.Meeting{Status: daoyue.MeetingCreated, ZoomID: 81234567890, JoinURL: "https://zoom.us/j/81234567890?pwd=abc", Passcode: "929292"}}
	m, err := notify.Compose(notify.Input{Kind: daoyue.MailConfirmed, Booking: b, Organizer: s.From(), Now: start.Add(-time.Hour),
		Workspace: &daoyue.Workspace{Slug: "s", Name: "靜心瑜珈工作室", TimeZone: "Asia/Taipei"},
		Service:   &daoyue.Service{Name: "線上一對一瑜珈", Online: true, OnlineInstructions: "Bring a mat."},
		BaseURL:   "https://daoyue.test", ManageLink: true})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(m.Text, daoyue.ManageTokenPlaceholder, "tok123")
	err = s.Send(context.Background(), &notify.Email{MessageID: "ml_1@daoyue", FromName: "靜心瑜珈工作室", ReplyTo: "hello@studio.test", To: b.Client.Email,
		Subject: m.Subject, Text: text, HTML: m.HTML, ICS: m.ICS, ICSMethod: m.ICSMethod})
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Wait(t, 1)[0]
	if got.From != "no-reply@daoyue.test" || len(got.To) != 1 || got.To[0] != "ming@example.com" {
		t.Errorf("envelope: from %q to %v", got.From, got.To)
	}
	p := got.Parse(t)
	if p.Subject != "Booking confirmed: 線上一對一瑜珈, Wed, 2 Dec 2026, 14:00" {
		t.Errorf("subject %q", p.Subject)
	}
	if to := p.Header.Get("To"); !strings.Contains(to, "ming@example.com") {
		t.Errorf("To: %q", to)
	}
	if from, _ := p.Header.AddressList("From"); len(from) != 1 || from[0].Name != "靜心瑜珈工作室" || from[0].Address != "no-reply@daoyue.test" {
		t.Errorf("From: %v", from)
	}
	if rt, _ := p.Header.AddressList("Reply-To"); len(rt) != 1 || rt[0].Address != "hello@studio.test" {
		t.Errorf("Reply-To: %v", rt)
	}
	if id := p.Header.Get("Message-ID"); id != "<ml_1@daoyue>" {
		t.Errorf("Message-ID %q", id)
	}
	for _, want := range []string{"Hi Ming,", "Meeting link: https://zoom.us/j/81234567890?pwd=abc", "Passcode: 929292",
		"View or change your booking: https://daoyue.test/b/tok123", "Wed, 2 Dec 2026, 14:00–15:00 (Taipei time)"} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, p.Text)
		}
	}
	if !strings.Contains(p.HTML, `href="https://zoom.us/j/81234567890?pwd=abc"`) {
		t.Errorf("html:\n%s", p.HTML)
	}
	ics := p.Attachment("text/calendar")
	if ics == nil {
		t.Fatalf("no text/calendar part: %+v", p.Parts)
	}
	if ics.Params["method"] != "REQUEST" || ics.Filename != "invite.ics" || ics.Disposition != "attachment" {
		t.Errorf("calendar part: %s, %s %s", ics.ContentType, ics.Disposition, ics.Filename)
	}
	cal := strings.ReplaceAll(ics.Body, "\r\n ", "")
	for _, want := range []string{"METHOD:REQUEST\r\n", "UID:bk_7@daoyue\r\n", "SEQUENCE:2\r\n",
		"DTSTART:20261202T060000Z\r\n", "DTEND:20261202T070000Z\r\n", "ORGANIZER;CN=\"靜心瑜珈工作室\":mailto:no-reply@daoyue.test\r\n"} {
		if !strings.Contains(cal, want) {
			t.Errorf("calendar lacks %q:\n%s", want, cal)
		}
	}
}

// STARTTLS when offered, with AUTH; smtps:// speaks TLS from the start.
func TestSMTPTLSAndAuth(t *testing.T) {
	for _, implicit := range []bool{false, true} {
		srv := smtptest.NewServer(t, smtptest.Options{TLS: true, Implicit: implicit, Username: "studio", Password: "s3cret pass"})
		s, err := notify.NewSMTP(srv.URL(), "no-reply@daoyue.test")
		if err != nil {
			t.Fatal(err)
		}
		s.SetTLSConfig(srv.ClientTLS())
		if err := s.Send(context.Background(), &notify.Email{To: "a@example.com", Subject: "Hello", Text: "Hi"}); err != nil {
			t.Fatalf("implicit=%v: %v", implicit, err)
		}
		got := srv.Wait(t, 1)[0]
		if !got.TLS || got.Authenticated != "studio" {
			t.Errorf("implicit=%v: tls %v, user %q", implicit, got.TLS, got.Authenticated)
		}
		if p := got.Parse(t); strings.TrimSpace(p.Text) != "Hi" || p.HTML != "" || len(p.Parts) != 1 {
			t.Errorf("plain message: %+v", p)
		}
	}
}

// Failures say what went wrong without the password, and without the
// message's content.
func TestSMTPErrorsKeepSecrets(t *testing.T) {
	srv := smtptest.NewServer(t, smtptest.Options{TLS: true, Username: "studio", Password: "right-password"})
	u := strings.Replace(srv.URL(), "right-password", "wrong-Pa55word", 1)
	s, err := notify.NewSMTP(u, "no-reply@daoyue.test")
	if err != nil {
		t.Fatal(err)
	}
	s.SetTLSConfig(srv.ClientTLS())
	err = s.Send(context.Background(), &notify.Email{To: "a@example.com", Subject: "Hello", Text: "join https://zoom.us/j/1"})
	if err == nil {
		t.Fatal("wrong password accepted")
	}
	if msg := err.Error(); strings.Contains(msg, "wrong-Pa55word") || strings.Contains(msg, "zoom.us") || !strings.Contains(msg, "smtp://127.0.0.1:") {
		t.Errorf("error %q", msg)
	}
	if strings.Contains(s.String(), "studio") || strings.Contains(s.String(), "Pa55") {
		t.Errorf("String() %q shows credentials", s.String())
	}

	temp := smtptest.NewServer(t, smtptest.Options{FailFirst: 1})
	s, _ = notify.NewSMTP(temp.URL(), "no-reply@daoyue.test")
	if err := s.Send(context.Background(), &notify.Email{To: "a@example.com", Subject: "x", Text: "x"}); err == nil || !strings.Contains(err.Error(), "451") {
		t.Errorf("temporary refusal: %v", err)
	}
	if err := s.Send(context.Background(), &notify.Email{To: "a@example.com", Subject: "x", Text: "x"}); err != nil {
		t.Errorf("second try: %v", err)
	}

	for _, bad := range []string{"http://host", "smtp://", "smtp://host:99999", "smtp://u:p@host:port"} {
		if _, err := notify.NewSMTP(bad, "no-reply@daoyue.test"); err == nil {
			t.Errorf("NewSMTP(%q) accepted", bad)
		} else if strings.Contains(err.Error(), "u:p") {
			t.Errorf("NewSMTP(%q): %v shows credentials", bad, err)
		}
	}
	if _, err := notify.NewSMTP("smtp://host", "not an address"); err == nil {
		t.Error("bad sender accepted")
	}
}

// A studio name stored with a line break (before names were checked) does
// not break the email's headers: it is sent with a space instead.
func TestSMTPStudioNameWithLineBreak(t *testing.T) {
	srv := smtptest.NewServer(t, smtptest.Options{})
	s, err := notify.NewSMTP(srv.URL(), "DaoYue <no-reply@daoyue.test>")
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), &notify.Email{MessageID: "ml_2@daoyue", FromName: "Lotus\r\nBcc: victim@example.com",
		To: "ming@example.com", Subject: "Hello", Text: "Hi"})
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	got := srv.Wait(t, 1)[0]
	p := got.Parse(t)
	if len(got.To) != 1 || p.Header.Get("Bcc") != "" {
		t.Fatalf("header injected: to %v, Bcc %q", got.To, p.Header.Get("Bcc"))
	}
	if from, _ := p.Header.AddressList("From"); len(from) != 1 || from[0].Name != "Lotus  Bcc: victim@example.com" {
		t.Errorf("From: %v", from)
	}
}

// Messages sent one after another share a connection; one the server
// closed meanwhile is replaced without losing or repeating a message; a
// refused message does not leave its connection for the next.
func TestSMTPKeepsItsConnection(t *testing.T) {
	srv := smtptest.NewServer(t, smtptest.Options{TLS: true, Username: "studio", Password: "pw"})
	s, err := notify.NewSMTP(srv.URL(), "no-reply@daoyue.test")
	if err != nil {
		t.Fatal(err)
	}
	s.SetTLSConfig(srv.ClientTLS())
	defer s.Close()
	send := func(subject string) error {
		return s.Send(context.Background(), &notify.Email{To: "a@example.com", Subject: subject, Text: subject})
	}
	for i := range 5 {
		if err := send(fmt.Sprint("m", i)); err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.Connections(); n != 1 {
		t.Errorf("5 messages one after another: %d connections, want 1", n)
	}
	srv.CloseConnections() // the server's idle timeout
	if err := send("after the server closed"); err != nil {
		t.Fatalf("after the server closed the kept connection: %v", err)
	}
	got := srv.Wait(t, 6)
	if n := srv.Connections(); n != 2 || len(got) != 6 {
		t.Errorf("after a closed connection: %d connections, %d messages; want 2 and 6", n, len(got))
	}
	for i, m := range got {
		if !m.TLS || m.Authenticated != "studio" {
			t.Errorf("message %d: TLS %v, user %q: a kept connection must stay encrypted and logged in", i, m.TLS, m.Authenticated)
		}
	}

	// Several at once: each its own connection, then kept for reuse.
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := send(fmt.Sprint("parallel ", i)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := srv.Wait(t, 10); len(got) != 10 {
		t.Errorf("%d messages, want 10", len(got))
	}
	before := srv.Connections()
	for i := range 8 {
		if err := send(fmt.Sprint("again ", i)); err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.Connections(); n != before {
		t.Errorf("8 more one after another opened %d connections, want none", n-before)
	}

	temp := smtptest.NewServer(t, smtptest.Options{FailFirst: 1})
	s2, _ := notify.NewSMTP(temp.URL(), "no-reply@daoyue.test")
	defer s2.Close()
	if err := s2.Send(context.Background(), &notify.Email{To: "a@example.com", Subject: "x", Text: "x"}); err == nil {
		t.Fatal("refused message reported sent")
	}
	if err := s2.Send(context.Background(), &notify.Email{To: "a@example.com", Subject: "y", Text: "y"}); err != nil {
		t.Fatal(err)
	}
	if n := temp.Connections(); n != 2 {
		t.Errorf("after a refusal: %d connections, want 2 (the refused one's connection is not reused)", n)
	}
	if got := temp.Wait(t, 1); len(got) != 1 || !strings.Contains(string(got[0].Raw), "Subject: y") {
		t.Errorf("got %d messages", len(got))
	}
}
