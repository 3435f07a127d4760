package devmail

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/daoyue/daoyue/notify"
)

// An email sent by DaoYue's SMTP sender arrives and is shown: listed with
// its subject, its text with clickable links (escaped), its HTML part only
// sandboxed, its raw form downloadable.
func TestDevMailbox(t *testing.T) {
	b, err := Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	sender, err := notify.NewSMTP(b.URL(), "DaoYue <no-reply@localhost>")
	if err != nil {
		t.Fatal(err)
	}
	err = sender.Send(context.Background(), &notify.Email{MessageID: "m1@daoyue", FromName: "甲工作室", To: "ming@client.example",
		Subject: "預約已成立 <b>", Text: "您好:\n查看預約 http://127.0.0.1:8080/b/abc123\n<script>alert(1)</script>",
		HTML: `<p>您好 <a href="http://127.0.0.1:8080/b/abc123">查看</a></p>`,
		ICS:  "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n", ICSMethod: "REQUEST"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(b.Messages()); n != 1 {
		t.Fatalf("%d messages", n)
	}
	srv := httptest.NewServer(b.Handler("/devmail"))
	defer srv.Close()
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}
	_, index := get("/devmail/")
	if !strings.Contains(index, "預約已成立 &lt;b&gt;") || !strings.Contains(index, `href="/devmail/1"`) {
		t.Fatalf("index:\n%s", index)
	}
	_, msg := get("/devmail/1")
	if !strings.Contains(msg, `<a href="http://127.0.0.1:8080/b/abc123">`) || strings.Contains(msg, "<script>alert") ||
		!strings.Contains(msg, "<th>Attached</th><td>invite.ics") || !strings.Contains(msg, `<iframe src="/devmail/1/html"`) {
		t.Errorf("message page:\n%s", msg)
	}
	resp, html := get("/devmail/1/html")
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "sandbox") || !strings.Contains(html, "查看") {
		t.Errorf("HTML part: CSP %q", csp)
	}
	resp, raw := get("/devmail/1.eml")
	if resp.Header.Get("Content-Type") != "message/rfc822" || !strings.Contains(raw, "ming@client.example") {
		t.Errorf("raw: %s", resp.Header.Get("Content-Type"))
	}
	if resp, _ := get("/devmail/2"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown message: %d", resp.StatusCode)
	}
}

// A message that cannot be read is listed as such, with its raw form, and
// its page shows what could not be taken apart as empty.
func TestDevMailboxUnreadable(t *testing.T) {
	b := &Box{}
	b.add("a@x", []string{"b@x"}, []byte("Subject: =?koi8-x?q?abc?=\r\n\r\nhello"))
	b.add("a@x", []string{"b@x"}, []byte("no header at all"))
	srv := httptest.NewServer(b.Handler("/devmail"))
	defer srv.Close()
	for id, want := range map[string]string{"1": "(unreadable: mailparse: subject", "2": "(unreadable: mailparse: read message"} {
		resp, err := http.Get(srv.URL + "/devmail/" + id)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("message %s: %d\n%s", id, resp.StatusCode, body)
		}
	}
}

// The box keeps the newest Keep messages, newest first.
func TestDevMailboxKeepsTheNewest(t *testing.T) {
	b := &Box{}
	for i := 0; i < Keep+10; i++ {
		b.add("a@x", []string{"b@x"}, []byte("Subject: s\r\n\r\nhello"))
	}
	got := b.Messages()
	if len(got) != Keep || got[0].ID != Keep+10 || got[len(got)-1].ID != 11 {
		t.Fatalf("%d kept, newest %d, oldest %d", len(got), got[0].ID, got[len(got)-1].ID)
	}
}

// Only loopback: the mailbox is never reachable from the network.
func TestDevMailboxLoopbackOnly(t *testing.T) {
	if b, err := Start("0.0.0.0:0"); err == nil {
		b.Close()
		t.Fatal("listening on every interface")
	}
}
