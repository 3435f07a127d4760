package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/notify"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

type outboxListJSON struct {
	Messages   []outboxMessageJSON `json:"messages"`
	NextCursor string              `json:"next_cursor"`
}

// The outbox API lists a workspace's emails to its clients, newest first,
// to its members only; without an SMTP server they are kept, unsent.
func TestAPIOutbox(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		quietNotices(t, db, e.A, e.B)
		bk := e.mustBook("studio-a", e.A.InPerson, e.A.Lin, apiAt(2, 10, 0))
		e.must(200, "POST", "/api/v1/workspaces/studio-a/bookings/"+bk.ID+"/accept", e.tokA, nil)
		e.mustBook("studio-b", e.B.InPerson, e.B.Lin, apiAt(2, 10, 0))

		r := e.must(200, "GET", "/api/v1/workspaces/studio-a/outbox", e.tokA, nil)
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q", cc)
		}
		var l outboxListJSON
		r.decode(t, &l)
		if len(l.Messages) != 2 || l.NextCursor != "" {
			t.Fatalf("outbox: %+v", l)
		}
		conf, recv := l.Messages[0], l.Messages[1]
		if conf.Kind != "confirmed" || recv.Kind != "received" {
			t.Fatalf("kinds %s, %s (want newest first)", conf.Kind, recv.Kind)
		}
		for _, m := range l.Messages {
			if m.Recipient != "ming@example.com" || m.Language != "zh-TW" || m.Status != "kept" || m.SentAt != nil ||
				m.Attempts != 0 || m.BookingID != bk.ID {
				t.Errorf("message %+v", m)
			}
			for _, want := range []string{"王小明 您好:", e.A.InPerson.Name, e.A.InPerson.Location, "2030年1月9日(三) 10:00–11:30 (台北時間)"} {
				if !strings.Contains(m.Body, want) {
					t.Errorf("%s body lacks %q:\n%s", m.Kind, want, m.Body)
				}
			}
			if strings.Contains(m.Body, bk.ManageToken) || strings.Contains(m.Body, daoyue.ManageTokenPlaceholder) || strings.Contains(m.Body, "<") {
				t.Errorf("%s body: %s", m.Kind, m.Body)
			}
		}
		if conf.Calendar == nil || *conf.Calendar != "REQUEST" || recv.Calendar != nil {
			t.Errorf("calendars: %v, %v", conf.Calendar, recv.Calendar)
		}
		if !strings.HasPrefix(conf.Subject, "預約已成立:"+e.A.InPerson.Name) {
			t.Errorf("subject %q", conf.Subject)
		}

		// Pages.
		var p1, p2 outboxListJSON
		e.must(200, "GET", "/api/v1/workspaces/studio-a/outbox?limit=1", e.tokA, nil).decode(t, &p1)
		if len(p1.Messages) != 1 || p1.NextCursor == "" || p1.Messages[0].ID != conf.ID {
			t.Fatalf("first page: %+v", p1)
		}
		e.must(200, "GET", "/api/v1/workspaces/studio-a/outbox?limit=1&cursor="+p1.NextCursor, e.tokA, nil).decode(t, &p2)
		if len(p2.Messages) != 1 || p2.Messages[0].ID != recv.ID || p2.NextCursor != "" {
			t.Fatalf("second page: %+v", p2)
		}
		if r := e.do("GET", "/api/v1/workspaces/studio-a/outbox?limit=500", e.tokA, nil); r.status != 422 {
			t.Errorf("limit 500: %d %s", r.status, r.body)
		}
		if r := e.do("GET", "/api/v1/workspaces/studio-a/outbox?cursor=@@", e.tokA, nil); r.status != 422 {
			t.Errorf("bad cursor: %d %s", r.status, r.body)
		}

		// Tenancy: another workspace's outbox is not found; anonymous is 401.
		if r := e.do("GET", "/api/v1/workspaces/studio-b/outbox", e.tokA, nil); r.status != 404 || r.code() != "not_found" {
			t.Errorf("B's outbox as A: %d %s", r.status, r.body)
		}
		if r := e.do("GET", "/api/v1/workspaces/studio-a/outbox", "", nil); r.status != 401 {
			t.Errorf("anonymous: %d %s", r.status, r.body)
		}
		var lb outboxListJSON
		e.must(200, "GET", "/api/v1/workspaces/studio-b/outbox", e.tokB, nil).decode(t, &lb)
		if len(lb.Messages) != 1 || lb.Messages[0].BookingID == bk.ID {
			t.Errorf("B's outbox: %+v", lb)
		}
	})
}

// The outbox page: linked from the admin navigation, no-store, each message
// with its state and body; it says plainly when nothing is being sent.
func TestOutboxPage(t *testing.T) {
	t.Parallel()
	eachPageStore(t, func(t *testing.T, e *pageEnv) {
		quietNotices(t, e.db, e.A, e.B)
		e.book("studio-a", e.A.InPerson, e.A.Lin.ID, pgAt(2, 10, 0), "Lee Mei")
		b := e.browser(t)
		home := b.login("owner@a.example")
		if href := home.attr(`nav.admin-nav a[href="/admin/studio-a/outbox"]`, "href"); href == "" {
			t.Fatalf("no outbox link in the admin navigation:\n%s", home.HTML)
		}
		p := b.get("/admin/studio-a/outbox").wantStatus(http.StatusOK)
		p.checkWellFormed("zh-TW")
		if cc := p.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q", cc)
		}
		p.wantText("h1", "寄件匣")
		p.wantText(`nav.admin-nav a[aria-current="page"]`, "寄件匣")
		p.wantText("#outbox-not-sending", "DAOYUE_SMTP_URL")
		p.wantCount("tr.outbox-row", 1)
		p.wantText(`tr.outbox-row[data-kind="received"]`, "收到預約")
		p.wantText(`tr.outbox-row [data-status="kept"]`, "未寄出(保留)")
		p.wantText("tr.outbox-row", "lee.mei@client.example")
		p.wantText("tr.outbox-row details summary", "已收到預約:"+e.A.InPerson.Name)
		p.wantText("tr.outbox-row .mail-body", "Lee Mei 您好:")
		if body := p.text(".mail-body"); strings.Contains(body, notify.MaskedToken) || strings.Contains(body, "/b/") {
			t.Errorf("no sealed token without a keyring, so no manage link at all: %s", body)
		}

		b.lang = "en"
		en := b.get("/admin/studio-a/outbox").wantStatus(http.StatusOK)
		en.checkWellFormed("en")
		en.wantText("h1", "Outbox")
		en.wantText(`tr.outbox-row [data-status="kept"]`, "Kept, not sent")
		en.wantText("tr.outbox-row .mail-body", "Lee Mei 您好:") // the message keeps the booking's language

		if p := b.get("/admin/studio-b/outbox"); p.Status != http.StatusNotFound {
			t.Errorf("B's outbox as A: %d", p.Status)
		}
		anon := e.browser(t)
		if resp := anon.raw("GET", "/admin/studio-a/outbox", nil); resp.StatusCode != http.StatusSeeOther ||
			!strings.HasPrefix(resp.Header.Get("Location"), "/admin/login") {
			t.Errorf("anonymous: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
}

// A confirmation of an online booking holds the join link: the studio's
// own members see it in their outbox (API and page), another studio does
// not, and the manage link's secret is masked for everyone.
func TestOutboxConfirmationForMembersOnly(t *testing.T) {
	t.Parallel()
	eachZoomStore(t, func(t *testing.T, e *zoomEnv) {
		e.app.Mail.BaseURL = e.ts.URL // as serve sets it
		e.connectDefault(e.A.Lin.ID, e.zLin.ID)
		bk := e.book("studio-a", e.A.Online, e.A.Lin.ID, pgAt(1, 10, 0), "Online Client")
		got := e.wait("studio-a", bk.Booking.ID, "its meeting", func(b *daoyue.Booking) bool { return b.Meeting.Status == daoyue.MeetingCreated })
		// The confirmation was written in the transaction that recorded the meeting.
		var l outboxListJSON
		e.api.must(200, "GET", "/api/v1/workspaces/studio-a/outbox", e.api.tokA, nil).decode(t, &l)
		if len(l.Messages) != 1 || l.Messages[0].Kind != "confirmed" {
			t.Fatalf("outbox: %+v", l)
		}
		body := l.Messages[0].Body
		if !strings.Contains(body, got.Meeting.JoinURL) || !strings.Contains(body, got.Meeting.Passcode) {
			t.Errorf("the confirmation lacks the join link:\n%s", body)
		}
		if strings.Contains(body, bk.ManageToken) || !strings.Contains(body, e.ts.URL+"/b/"+notify.MaskedToken) {
			t.Errorf("manage link not masked:\n%s", body)
		}
		if r := e.api.do("GET", "/api/v1/workspaces/studio-a/outbox", e.api.tokB, nil); r.status != 404 ||
			strings.Contains(string(r.body), got.Meeting.JoinURL) {
			t.Errorf("A's outbox as B: %d %s", r.status, r.body)
		}
		b := e.browser(t)
		b.login("owner@a.example")
		p := b.get("/admin/studio-a/outbox").wantStatus(http.StatusOK)
		p.wantText(".mail-body", got.Meeting.JoinURL)
		p.wantNoText(bk.ManageToken)
		ob := e.browser(t)
		ob.login("owner@b.example")
		if p := ob.get("/admin/studio-a/outbox"); p.Status != http.StatusNotFound || strings.Contains(p.HTML, got.Meeting.JoinURL) {
			t.Errorf("A's outbox page as B: %d", p.Status)
		}
	})
}
