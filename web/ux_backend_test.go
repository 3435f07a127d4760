package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/store/storetest"
)

// The studio's backend as issue 13's walk-through found it: the words of
// the services list, a priced service paid at the studio, "Syncing" that
// settles by itself, the meeting to delete in Zoom by hand, the Zoom
// account bound elsewhere, and the error page.
func TestBackendWalkthroughFixes(t *testing.T) {
	t.Parallel()
	e := newZoomEnv(t, storetest.NewSQLite(t))
	A := e.A
	b := e.browser(t)
	b.login("owner@a.example")
	detailPath := func(id string) string { return "/admin/studio-a/bookings/" + id }

	// The services list heads its name column 名稱 (a thing's name), not 姓名.
	sv := b.get("/admin/studio-a/services").wantStatus(http.StatusOK)
	sv.wantText("table thead th:first-child", "名稱")
	if strings.Contains(sv.text("table thead"), "姓名") {
		t.Errorf("services list heads a column 姓名: %q", sv.text("table thead"))
	}

	// A priced service not paid in advance: the price and "paid at the
	// studio", never "No payment needed".
	inPerson := e.book("studio-a", A.InPerson, A.Lin.ID, pgAt(1, 10, 0), "Pays At Studio")
	d := b.get(detailPath(inPerson.Booking.ID)).wantStatus(http.StatusOK)
	d.wantText("#payment-status", msg("zh-TW", "label.pay_at_studio"))
	d.wantNoText(msg("zh-TW", "status.payment.not_required"))
	b.lang = "en"
	d = b.get(detailPath(inPerson.Booking.ID) + "?lang=en")
	d.wantText("#payment-status", "Paid at the studio")
	d.wantNoText("No payment needed")
	b.lang = ""
	b.get(detailPath(inPerson.Booking.ID) + "?lang=zh-TW")

	// Chen connects Zoom and sets it as default.
	card := b.get("/admin/studio-a/availability?practitioner=" + A.Chen.ID)
	card = b.connectVia(card, e.zChen.ID)
	if set := b.submit(card, `form[action$="/zoom/default"]`, nil); set.Status != http.StatusOK {
		t.Fatalf("setting Zoom as the default: %d", set.Status)
	}

	// A Zoom account already connected here is refused naming the
	// practitioner it is connected to.
	lin := b.get("/admin/studio-a/availability?practitioner=" + A.Lin.ID)
	lin = b.connectVia(lin, e.zChen.ID)
	lin.wantText("#page-error", A.Chen.Name)

	// "Syncing" while Zoom is slow: the page carries the poll URL, the
	// tiny status answer says it has not settled, then that it has; the
	// page then shows the meeting and polls no more.
	e.sim.SetLatency(1500 * time.Millisecond)
	online := e.book("studio-a", A.Online, A.Chen.ID, pgAt(1, 14, 0), "Zoom Slow")
	d = b.get(detailPath(online.Booking.ID))
	poll := d.attr("#meeting", "data-poll")
	if poll != detailPath(online.Booking.ID)+"/meeting-status" {
		t.Fatalf("syncing page polls %q", poll)
	}
	var st struct {
		Status  string `json:"status"`
		Settled bool   `json:"settled"`
	}
	getJSON := func(br *browser, path string, v any) int {
		resp := br.raw(http.MethodGet, path, nil)
		defer resp.Body.Close()
		if v != nil && resp.StatusCode == 200 {
			if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
				t.Fatal(err)
			}
		}
		return resp.StatusCode
	}
	if code := getJSON(b, poll, &st); code != 200 || st.Settled {
		t.Fatalf("while syncing: %d %+v", code, st)
	}
	// Members only: a visitor and another studio's owner learn nothing.
	if code := getJSON(e.browser(t), poll, nil); code != http.StatusUnauthorized {
		t.Errorf("visitor polled: %d", code)
	}
	other := e.browser(t)
	other.login("owner@b.example")
	if code := getJSON(other, poll, nil); code != http.StatusNotFound && code != http.StatusForbidden {
		t.Errorf("another studio polled: %d", code)
	}
	e.sim.SetLatency(0)
	created := e.wait("studio-a", online.Booking.ID, "its meeting", func(b *daoyue.Booking) bool {
		return b.Meeting.Status == daoyue.MeetingCreated && b.Meeting.Version == b.Meeting.SyncedVersion
	})
	if code := getJSON(b, poll, &st); code != 200 || !st.Settled || st.Status != "created" {
		t.Fatalf("after the sync: %d %+v", code, st)
	}
	d = b.get(detailPath(online.Booking.ID))
	d.wantCount("#meeting[data-poll]", 0)
	d.wantText("#meeting-join-url", created.Meeting.JoinURL)

	// Disconnected, then cancelled: the page names the meeting to delete.
	card = b.get("/admin/studio-a/availability?practitioner=" + A.Chen.ID)
	b.submit(card, `form[action$="/zoom/disconnect"]`, nil)
	e.api.must(200, "POST", "/api/v1/workspaces/studio-a/bookings/"+online.Booking.ID+"/cancel", e.api.tokA, map[string]any{"reason": "x"})
	e.wait("studio-a", online.Booking.ID, "the delete refused", func(b *daoyue.Booking) bool {
		return b.Meeting.Reason == daoyue.ReasonDisconnectedDelete
	})
	d = b.get(detailPath(online.Booking.ID))
	d.wantText("#meeting-delete-in-zoom", strconv.FormatInt(created.Meeting.ZoomID, 10))
	d.wantText("#meeting-delete-in-zoom", A.Online.Name+" · Zoom Slow")
	d.wantText("#meeting-delete-in-zoom", "14:00")
	d.checkWellFormed("zh-TW")

	// The error page: words for a headline, and back into the backend.
	nf := b.get("/admin/studio-a/bookings/bk_nothing").wantStatus(http.StatusNotFound)
	nf.wantText("h1", msg("zh-TW", "page.error.not_found"))
	nf.wantCount(".error-code", 0)
	if href := nf.attr("#error-home", "href"); href != "/admin/studio-a" {
		t.Errorf("backend error page goes back to %q", href)
	}
	for _, c := range []struct {
		err  error
		head string
	}{
		{daoyue.Errorf(daoyue.EINVALID, "error.invalid"), "page.error.invalid"},
		{daoyue.Errorf(daoyue.ETRANSITION, "error.transition"), "page.error.conflict"},
	} {
		r := httptest.NewRequest(http.MethodPost, "/admin/studio-a/bookings/x/accept", nil)
		r = r.WithContext(context.WithValue(r.Context(), userKey, &daoyue.User{ID: "u", Email: "owner@a.example"}))
		w := httptest.NewRecorder()
		e.srv.pageError(w, r, c.err)
		body := w.Body.String()
		h1 := body[strings.Index(body, "<h1>")+4 : strings.Index(body, "</h1>")]
		if h1 != msg("zh-TW", c.head) {
			t.Errorf("%d page headline %q", w.Code, h1)
		}
		if !strings.Contains(body, `href="/admin/studio-a"`) || !strings.Contains(body, msg("zh-TW", "page.error.status", "status", w.Code)) {
			t.Errorf("%d page: no way back into the backend or no small status: %s", w.Code, body)
		}
	}
}
