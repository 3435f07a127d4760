package main

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue/notify/smtptest"
)

// serve wires DAOYUE_SMTP_URL and DAOYUE_MAIL_FROM: a booking made through
// the public API is emailed to the client through the SMTP server, from the
// configured address, with a manage link on the base URL.
func TestServeSendsEmail(t *testing.T) {
	t.Parallel()
	srv := smtptest.NewServer(t, smtptest.Options{Username: "daoyue", Password: "p@ss word"})
	base, out, stop := start(t, t.TempDir(), "DAOYUE_SMTP_URL="+srv.URL(), "DAOYUE_MAIL_FROM=Studio Mail <mail@daoyue.test>")
	defer stop()
	token := bookDemoInPerson(t, base, "amy@example.com")
	// The studio's notices about the booking go out too; find the client's.
	var got smtptest.Received
	for deadline := time.Now().Add(20 * time.Second); got.Raw == nil && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		for _, m := range srv.Messages() {
			if len(m.To) == 1 && m.To[0] == "amy@example.com" {
				got = m
			}
		}
	}
	if got.Raw == nil {
		t.Fatalf("no email to the client; got %d others", len(srv.Messages()))
	}
	p := got.Parse(t)
	if got.From != "mail@daoyue.test" || got.To[0] != "amy@example.com" || got.Authenticated != "daoyue" {
		t.Errorf("envelope %s → %v as %q", got.From, got.To, got.Authenticated)
	}
	if !strings.HasPrefix(p.Subject, "Booking received:") || !strings.Contains(p.Text, base+"/b/"+token) {
		t.Errorf("email %q:\n%s", p.Subject, p.Text)
	}
	if !strings.Contains(out.String(), "sent through smtp://127.0.0.1:") || strings.Contains(out.String(), "p@ss") {
		t.Errorf("console:\n%s", out.String())
	}
}

// bookDemoInPerson books the demo's in-person, manual-confirm service
// through the public API for email and returns the manage token.
func bookDemoInPerson(t *testing.T, base, email string) string {
	t.Helper()
	var ws struct {
		Services []struct {
			ID           string `json:"id"`
			Online       bool   `json:"online"`
			Confirmation string `json:"confirmation"`
		} `json:"services"`
	}
	code, body := get(t, base+"/api/v1/public/workspaces/demo")
	if code != 200 || json.Unmarshal([]byte(body), &ws) != nil {
		t.Fatalf("demo workspace: %d %s", code, body)
	}
	svc := ""
	for _, s := range ws.Services {
		if !s.Online && s.Confirmation == "manual" {
			svc = s.ID
		}
	}
	var slots struct {
		Slots []struct{ Start string } `json:"slots"`
	}
	from := time.Now().AddDate(0, 0, 3).Format("2006-01-02")
	to := time.Now().AddDate(0, 0, 12).Format("2006-01-02")
	code, body = get(t, base+"/api/v1/public/workspaces/demo/slots?service_id="+svc+"&from="+from+"&to="+to)
	if code != 200 || json.Unmarshal([]byte(body), &slots) != nil || len(slots.Slots) == 0 {
		t.Fatalf("slots: %d %s", code, body)
	}
	in := `{"service_id":"` + svc + `","start":"` + slots.Slots[0].Start + `","client":{"name":"Amy","email":"` + email + `"},"language":"en"}`
	resp, err := http.Post(base+"/api/v1/public/workspaces/demo/bookings", "application/json", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	var booked struct {
		ManageToken string `json:"manage_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&booked)
	resp.Body.Close()
	if resp.StatusCode != 201 || booked.ManageToken == "" {
		t.Fatalf("book: %d", resp.StatusCode)
	}
	return booked.ManageToken
}

// Development without DAOYUE_SMTP_URL: every email goes over SMTP to the
// built-in mailbox, shown at /devmail with its links, and the console says
// where to read it.
func TestServeDevMailbox(t *testing.T) {
	t.Parallel()
	base, out, stop := start(t, t.TempDir())
	defer stop()
	token := bookDemoInPerson(t, base, "devmail@example.com")
	var index string
	deadline := time.Now().Add(20 * time.Second)
	for {
		var code int
		code, index = get(t, base+"/devmail/")
		if code == 200 && strings.Contains(index, "devmail@example.com") || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(index, "Booking received:") {
		t.Fatalf("the mailbox does not show the booking's email:\n%s", index)
	}
	id := regexp.MustCompile(`devmail@example.com</td><td><a href="/devmail/(\d+)"`).FindStringSubmatch(index)
	if id == nil {
		t.Fatalf("no link to the client's email in the mailbox:\n%s", index)
	}
	code, msg := get(t, base+"/devmail/"+id[1])
	if code != 200 || !strings.Contains(msg, `href="`+base+"/b/"+token+`"`) {
		t.Errorf("the message does not link the booking (%d):\n%s", code, msg)
	}
	if !strings.Contains(out.String(), "development mailbox at "+base+"/devmail/") {
		t.Errorf("console:\n%s", out.String())
	}
}
