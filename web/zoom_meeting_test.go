package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
)

// When a meeting cannot be made the booking says why in plain words, with
// the action that fixes it: a link to the host's online meeting tools and a
// Retry button. A meeting deleted in Zoom comes back on the next change,
// and the page says the link changed.
func TestZoomMeetingStatesOnPages(t *testing.T) {
	t.Parallel()
	eachZoomStore(t, func(t *testing.T, e *zoomEnv) {
		A := e.A
		b := e.browser(t)
		b.login("owner@a.example")
		detailPath := func(id string) string { return "/admin/studio-a/bookings/" + id }

		// Chen has no Zoom: no meeting, and the page says what to do.
		bk := e.book("studio-a", A.Online, A.Chen.ID, pgAt(1, 10, 0), "No Zoom Yet")
		d := b.get(detailPath(bk.Booking.ID)).wantStatus(http.StatusOK)
		d.checkWellFormed("zh-TW")
		if got := d.attr("#meeting-status", "data-status"); got != "needs_setup" {
			t.Errorf("status %q", got)
		}
		d.wantText("#meeting-status", "未設定 Zoom")
		d.wantText(".meeting-status", msg("zh-TW", i18n.MeetingReasonKey(daoyue.ReasonHostNoZoom)))
		d.wantText("#meeting-retry", "重試")
		if href := d.attr("#meeting-fix", "href"); href != "/admin/studio-a/availability?practitioner="+A.Chen.ID+"#meeting-tools" {
			t.Errorf("fix link %q", href)
		}
		d.wantText("#meeting-fix", "陳志明")
		d.wantCount("#meeting-join-url", 0)
		m, _ := e.apiMeeting("studio-a", bk.Booking.ID, e.api.tokA)
		if m.Status != "none" || m.StatusMessage != i18n.T(i18n.ZH, i18n.MeetingReasonKey(daoyue.ReasonHostNoZoom), nil) || m.JoinURL != "" {
			t.Errorf("API: %+v", m)
		}
		m, _ = e.apiMeeting("studio-a", bk.Booking.ID, e.api.tokA, "Accept-Language", "en")
		if m.StatusMessage != i18n.T(i18n.EN, i18n.MeetingReasonKey(daoyue.ReasonHostNoZoom), nil) {
			t.Errorf("API in English: %q", m.StatusMessage)
		}
		list := b.get("/admin/studio-a/bookings?tab=upcoming")
		list.wantText("tr.booking-row:contains('No Zoom Yet') .meeting-cell", "未設定 Zoom")
		// Retry before anything is fixed: still says why.
		d = b.submit(d, `form[action$="/meeting/retry"]`, nil)
		d.wantText(".flash-ok", msg("zh-TW", "flash.meeting_retry"))
		d.wantText(".meeting-status", msg("zh-TW", i18n.MeetingReasonKey(daoyue.ReasonHostNoZoom)))
		d.wantText(".history", msg("zh-TW", "audit.meeting.retry"))

		// Following the link: connect, then set as default; the booking
		// gets its meeting by itself.
		fix := b.click(d, "#meeting-fix")
		fix = b.connectVia(fix, e.zChen.ID)
		fix.wantText(".flash-ok", "已連結 Zoom")
		b.get(detailPath(bk.Booking.ID)).wantText(".meeting-status", msg("zh-TW", i18n.MeetingReasonKey(daoyue.ReasonHostNotDefault)))
		fix = b.submit(fix, `form[action$="/zoom/default"]`, nil)
		fix.wantText(".flash-ok", msg("zh-TW", "flash.zoom_default"))
		got := e.wait("studio-a", bk.Booking.ID, "its meeting", func(b *daoyue.Booking) bool { return b.Meeting.Status == daoyue.MeetingCreated })
		d = b.get(detailPath(bk.Booking.ID))
		d.wantText("#meeting-join-url", got.Meeting.JoinURL)
		d.wantCount("#meeting-retry", 0)
		d.wantCount("#meeting-fix", 0)
		// Nothing to retry now.
		r := e.api.do("POST", "/api/v1/workspaces/studio-a/bookings/"+bk.Booking.ID+"/meeting/retry", e.api.tokA, nil)
		if r.status != http.StatusConflict || r.code() != "invalid_transition" || r.apiErr().Message != i18n.T(i18n.ZH, "error.meeting_no_retry", nil) {
			t.Errorf("retry of a created meeting: %d %s", r.status, r.body)
		}

		// Zoom refuses a create: failed, 需處理, and Retry makes it.
		e.sim.FailNext(1, http.StatusBadRequest)
		bk2 := e.book("studio-a", A.Online, A.Chen.ID, pgAt(2, 10, 0), "Zoom Refused")
		e.wait("studio-a", bk2.Booking.ID, "a failed sync", func(b *daoyue.Booking) bool { return b.Meeting.Status == daoyue.MeetingFailed })
		d = b.get(detailPath(bk2.Booking.ID))
		if got := d.attr("#meeting-status", "data-status"); got != "failed" {
			t.Errorf("failed status %q", got)
		}
		d.wantText("#meeting-status", "需處理")
		d.wantText(".meeting-status", msg("zh-TW", i18n.MeetingReasonKey(daoyue.ReasonZoomRejected)))
		d.wantCount("#meeting-fix", 0)
		b.get("/admin/studio-a/bookings?tab=upcoming").wantText("tr.booking-row:contains('Zoom Refused') .meeting-cell", "需處理")
		var rd bookingDetailJSON
		e.api.must(200, "POST", "/api/v1/workspaces/studio-a/bookings/"+bk2.Booking.ID+"/meeting/retry", e.api.tokA, nil).decode(t, &rd)
		if rd.Meeting.Status != "pending" && rd.Meeting.Status != "created" {
			t.Errorf("after retry: %+v", rd.Meeting)
		}
		got2 := e.wait("studio-a", bk2.Booking.ID, "its meeting", func(b *daoyue.Booking) bool { return b.Meeting.Status == daoyue.MeetingCreated })

		// Deleted in Zoom, then rescheduled: made again, and said so.
		e.sim.DeleteMeetingAsHost(got2.Meeting.ZoomID)
		e.api.must(200, "POST", "/api/v1/workspaces/studio-a/bookings/"+bk2.Booking.ID+"/reschedule", e.api.tokA, map[string]any{"start": pgAt(2, 14, 0).Format(time.RFC3339)})
		again := e.wait("studio-a", bk2.Booking.ID, "a new meeting", func(b *daoyue.Booking) bool {
			return b.Meeting.Status == daoyue.MeetingCreated && b.Meeting.Recreated
		})
		if again.Meeting.ZoomID == got2.Meeting.ZoomID {
			t.Fatal("same meeting ID after it was deleted in Zoom")
		}
		m, _ = e.apiMeeting("studio-a", bk2.Booking.ID, e.api.tokA)
		if !m.Recreated || m.JoinURL != again.Meeting.JoinURL || m.MeetingID != strconv.FormatInt(again.Meeting.ZoomID, 10) {
			t.Errorf("API after recreate: %+v", m)
		}
		d = b.get(detailPath(bk2.Booking.ID))
		d.wantText("#meeting-recreated", msg("zh-TW", "msg.meeting.recreated_alert"))
		d.wantText("#meeting-join-url", again.Meeting.JoinURL)
		d.wantNoText(got2.Meeting.JoinURL)
		d.checkWellFormed("zh-TW")

		// An approved cancellation deletes it in Zoom.
		e.api.must(200, "POST", "/api/v1/workspaces/studio-a/bookings/"+bk2.Booking.ID+"/cancel", e.api.tokA, map[string]any{"reason": "x"})
		e.wait("studio-a", bk2.Booking.ID, "deleted", func(b *daoyue.Booking) bool { return b.Meeting.Status == daoyue.MeetingDeleted })
		if _, ok := e.sim.Meeting(again.Meeting.ZoomID); ok {
			t.Error("the meeting is still in Zoom")
		}
		d = b.get(detailPath(bk2.Booking.ID))
		d.wantText("#meeting-status", "會議已刪除")
		d.wantCount("#meeting-join-url", 0)
		b.get("/admin/studio-a/bookings?tab=cancelled").wantText("tr.booking-row:contains('Zoom Refused') .meeting-cell", "會議已刪除")

		// The card says when Zoom needs re-authorization, with 重新連結.
		e.sim.RevokeUser(e.zChen.ID)
		e.sim.ExpireAccessTokens()
		bk3 := e.book("studio-a", A.Online, A.Chen.ID, pgAt(3, 10, 0), "Needs Reauth")
		e.wait("studio-a", bk3.Booking.ID, "a failed sync", func(b *daoyue.Booking) bool { return b.Meeting.Status == daoyue.MeetingFailed })
		d = b.get(detailPath(bk3.Booking.ID))
		d.wantText(".meeting-status", msg("zh-TW", i18n.MeetingReasonKey(daoyue.ReasonNeedsReauth)))
		card := b.click(d, "#meeting-fix")
		if got := card.attr("#zoom-status", "data-status"); got != "needs_reauth" {
			t.Fatalf("card status %q", got)
		}
		card.wantText("#zoom-status", "需要重新連結")
		card.wantText("#zoom-connect", "重新連結")
		card.wantCount("#zoom-disconnect", 1)
		card.checkWellFormed("zh-TW")
		card = b.connectVia(card, e.zChen.ID)
		if got := card.attr("#zoom-status", "data-status"); got != "connected" {
			t.Errorf("after reconnect: %q", got)
		}
		// Reconnecting syncs the booking by itself, as its note promised.
		e.wait("studio-a", bk3.Booking.ID, "its meeting", func(b *daoyue.Booking) bool { return b.Meeting.Status == daoyue.MeetingCreated })
	})
}

// The meeting column's words, for every status.
func TestZoomMeetingWords(t *testing.T) {
	t.Parallel()
	online := func(st daoyue.MeetingStatus, reason daoyue.MeetingReason) *daoyue.Booking {
		return &daoyue.Booking{Online: true, Status: daoyue.StatusConfirmed, Meeting: daoyue.Meeting{Status: st, Reason: reason}}
	}
	for _, c := range []struct {
		b          *daoyue.Booking
		zh, en, cl string
	}{
		{&daoyue.Booking{Online: false}, "無需會議", "Not needed", ""},
		{online("", ""), "—", "—", ""},
		{online(daoyue.MeetingNone, daoyue.ReasonNotConfirmed), "—", "—", ""},
		{online(daoyue.MeetingNone, daoyue.ReasonHostNoZoom), "未設定 Zoom", "Zoom not set up", "needs_setup"},
		{online(daoyue.MeetingNone, daoyue.ReasonHostNotDefault), "未設定 Zoom", "Zoom not set up", "needs_setup"},
		{online(daoyue.MeetingPending, daoyue.ReasonSyncing), "同步中", "Syncing", "pending"},
		{online(daoyue.MeetingCreated, daoyue.ReasonCreated), "會議已建立", "Meeting ready", "created"},
		{online(daoyue.MeetingFailed, daoyue.ReasonNeedsReauth), "需處理", "Needs attention", "failed"},
		{online(daoyue.MeetingDeleted, daoyue.ReasonDeleted), "會議已刪除", "Meeting deleted", "deleted"},
		{online(daoyue.MeetingPurged, daoyue.ReasonZoomRemoved), "資料已清除", "Data erased", "purged"},
	} {
		for lang, want := range map[string]string{i18n.ZH: c.zh, i18n.EN: c.en} {
			word, class, _ := meetingCell(&view{Lang: lang}, c.b)
			if word != want || class != c.cl {
				t.Errorf("%s %+v: %q %q, want %q %q", lang, c.b.Meeting, word, class, want, c.cl)
			}
		}
	}
	// A legacy booking without a note keeps the booking's own reason.
	b := &daoyue.Booking{Online: true, Status: daoyue.StatusConfirmed}
	if got := meetingMessage(i18n.EN, b, &daoyue.Practitioner{Name: "Lin"}); !strings.Contains(got, "Lin") {
		t.Errorf("legacy message %q", got)
	}
}

// Without Zoom configured the card says so instead of offering a button;
// with the simulator every page says Zoom is simulated.
func TestZoomCardUnconfiguredAndSimulatedBanner(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		b := e.browser(t)
		b.login("owner@a.example")
		for _, path := range []string{"/admin/studio-a/availability?practitioner=" + e.A.Lin.ID, "/admin/studio-a/practitioners/" + e.A.Lin.ID} {
			p := b.get(path).wantStatus(http.StatusOK)
			p.wantText("#zoom-unavailable", msg("zh-TW", "msg.zoom.not_configured"))
			p.wantCount("#zoom-connect", 0)
			p.wantCount("#zoom-simulated", 0)
		}
		p := b.post("/admin/studio-a/practitioners/"+e.A.Lin.ID+"/zoom/connect", url.Values{})
		p.wantText("#page-error", msg("zh-TW", "error.zoom_not_configured"))
		r := b.raw(http.MethodPost, "/api/v1/workspaces/studio-a/practitioners/"+e.A.Lin.ID+"/zoom/connect", nil)
		r.Body.Close()
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("API connect without Zoom: %d", r.StatusCode)
		}

		sim := New(Config{App: e.app, Store: e.db, Log: e.app.Log, BaseURL: e.ts.URL, ZoomSimulated: true})
		e.ts.Config.Handler = sim
		for lang, want := range map[string]string{"zh-TW": "Zoom 模擬器:本機開發用,不會連到真正的 Zoom", "en": "Zoom is simulated: development only, no real Zoom is contacted"} {
			for _, path := range []string{"/", "/w/studio-a", "/admin/studio-a/bookings"} {
				p := b.get(path + "?lang=" + lang)
				p.wantText("#zoom-simulated", want)
			}
		}
	})
}
