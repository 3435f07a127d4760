package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/daoyue/daoyue"
)

func itoa(n int) string { return strconv.Itoa(n) }

// ctxAs is a context acting as the member with email.
func ctxAs(t *testing.T, e *pageEnv, email string) context.Context {
	t.Helper()
	var u *daoyue.User
	err := e.db.View(t.Context(), func(tx daoyue.Tx) error {
		var err error
		u, err = tx.UserByEmail(t.Context(), email)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return daoyue.WithActor(t.Context(), daoyue.Actor{Kind: daoyue.ActorMember, UserID: u.ID, Label: u.Email})
}

func TestPageLogin(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		b := e.browser(t)
		// An admin page sends a visitor to sign in and back.
		resp := b.raw(http.MethodGet, "/admin/studio-a/bookings?tab=past", nil)
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/login?next="+url.QueryEscape("/admin/studio-a/bookings?tab=past") {
			t.Fatalf("unauthenticated admin page: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		login := b.get("/admin/studio-a/bookings?tab=past").wantStatus(http.StatusOK)
		login.checkWellFormed("zh-TW")
		login.wantText("h1", "登入導約後台")

		// Wrong password: a clear message, the email kept, the next page kept.
		bad := b.submit(login, "form", url.Values{"email": {"owner@a.example"}, "password": {"wrong password!"}})
		bad.wantStatus(http.StatusUnauthorized)
		bad.wantText("#page-error", msg("zh-TW", "error.login_failed"))
		if v := bad.attr("input[name=email]", "value"); v != "owner@a.example" {
			t.Errorf("email not kept: %q", v)
		}
		if v := bad.attr("input[name=password]", "value"); v != "" {
			t.Errorf("password echoed back")
		}
		if v := bad.attr("input[name=next]", "value"); v != "/admin/studio-a/bookings?tab=past" {
			t.Errorf("next lost: %q", v)
		}

		// Success: an HttpOnly, SameSite=Lax session cookie, then back to next.
		resp = b.raw(http.MethodPost, "/admin/login", url.Values{"email": {"OWNER@a.example"}, "password": {pgPassword}, "next": {"/admin/studio-a/bookings?tab=past"}})
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/studio-a/bookings?tab=past" {
			t.Fatalf("login: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		var session *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "daoyue_session" {
				session = c
			}
		}
		if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" || session.Secure {
			t.Fatalf("session cookie = %+v", session)
		}
		if d := time.Until(session.Expires); d < 13*24*time.Hour && session.Expires.Sub(pgNow) != 14*24*time.Hour {
			t.Errorf("session expires %v", session.Expires)
		}
		past := b.get("/admin/studio-a/bookings?tab=past").wantStatus(http.StatusOK)
		past.wantText(".user-email", "owner@a.example")
		past.wantText(`nav.tabs a[aria-current=page]`, "過去")

		// Sign out deletes the session: the admin page asks for sign-in again.
		out := b.submit(past, `form[action="/admin/logout"]`, nil).wantStatus(http.StatusOK)
		out.wantText(".flash-ok", msg("zh-TW", "flash.signed_out"))
		if !strings.HasPrefix(b.get("/admin/studio-a/bookings").URL, "/admin/login") {
			t.Error("still signed in after sign-out")
		}

		// Without next: the only workspace's bookings.
		if p := e.browser(t).login("owner@a.example"); p.URL != "/admin/studio-a/bookings" {
			t.Errorf("landed on %s", p.URL)
		}
		// next must be a local path.
		for _, evil := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example"} {
			resp := e.browser(t).raw(http.MethodPost, "/admin/login", url.Values{"email": {"owner@a.example"}, "password": {pgPassword}, "next": {evil}})
			resp.Body.Close()
			if loc := resp.Header.Get("Location"); loc != "/admin/studio-a/bookings" {
				t.Errorf("next=%q redirected to %q", evil, loc)
			}
		}

		// A member of two workspaces chooses.
		if _, err := e.app.EnsureMember(t.Context(), "studio-b", "owner@a.example", "", "", daoyue.RoleStaff); err != nil {
			t.Fatal(err)
		}
		two := e.browser(t)
		ch := two.login("owner@a.example")
		if ch.URL != "/admin" {
			t.Fatalf("two workspaces landed on %s", ch.URL)
		}
		ch.wantCount("a.link-card", 2)
		ch.checkWellFormed("zh-TW")

		// Throttled after repeated failures, in the visitor's language.
		en := e.browser(t)
		en.lang = "en"
		for i := 0; i < 5; i++ {
			en.post("/admin/login", url.Values{"email": {"owner@b.example"}, "password": {"nope nope nope"}}).wantStatus(http.StatusUnauthorized)
		}
		th := en.post("/admin/login", url.Values{"email": {"owner@b.example"}, "password": {pgPassword}}).wantStatus(http.StatusTooManyRequests)
		th.wantText("#page-error", "Too many sign-in attempts")
		th.checkWellFormed("en")
	})
}

// The bookings list: tabs with counts, the pending tab first when it has
// items, rows with words for every status, and pagination.
func TestPageAdminTabs(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		b := e.browser(t)
		b.login("owner@a.example")
		empty := b.get("/admin/studio-a/bookings")
		empty.wantText(`nav.tabs a[aria-current=page]`, "已排程 0")
		empty.wantText(".empty", msg("zh-TW", "msg.empty_tab.upcoming"))

		e.book("studio-a", e.A.InPerson, e.A.Lin.ID, pgAt(1, 10, 0), "Pending One")
		e.book("studio-a", e.A.InPerson, e.A.Chen.ID, pgAt(1, 10, 0), "Pending Two")
		e.book("studio-a", e.A.Online, e.A.Lin.ID, pgAt(2, 10, 0), "Confirmed One")
		e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, pgAt(2, 14, 0), "Unpaid One")
		e.book("studio-b", e.B.Online, e.B.Lin.ID, pgAt(2, 10, 0), "Other Studio")

		p := b.get("/admin/studio-a/bookings").wantStatus(http.StatusOK)
		p.checkWellFormed("zh-TW")
		tabs := map[string]string{}
		p.Doc.Find("nav.tabs a").Each(func(i int, s *goquery.Selection) { tabs[strings.Join(strings.Fields(s.Text()), " ")] = "" })
		for _, want := range []string{"待確認 2", "已排程 2", "過去 0", "已取消 0"} {
			if _, ok := tabs[want]; !ok {
				t.Errorf("tabs %v lack %q", tabs, want)
			}
		}
		p.wantText(`nav.tabs a[aria-current=page]`, "待確認 2")
		p.wantCount("tr.booking-row", 2)
		row := p.Doc.Find("tr.booking-row:contains('Pending One')")
		for _, want := range []string{"2030年1月8日(二) 10:00", "工作室團體課體驗", "林雅婷", "待確認", "無需會議"} {
			if !strings.Contains(row.Text(), want) {
				t.Errorf("row %q lacks %q", strings.Join(strings.Fields(row.Text()), " "), want)
			}
		}
		p.wantNoText("Other Studio")

		up := b.get("/admin/studio-a/bookings?tab=upcoming")
		up.wantCount("tr.booking-row", 2)
		up.wantText("tr.booking-row:contains('Confirmed One') .badge", "已排程")
		up.wantText("tr.booking-row:contains('Confirmed One') .meeting-cell", "未設定 Zoom")
		up.wantText("tr.booking-row:contains('Unpaid One') .badge", "待付款")
		detail := b.click(up, "tr.booking-row:contains('Unpaid One') a.row-link")
		detail.wantText("h1", "Unpaid One")

		// English.
		en := b.get("/admin/studio-a/bookings?tab=upcoming&lang=en")
		en.checkWellFormed("en")
		en.wantText(`nav.tabs a[aria-current=page]`, "Upcoming 2")
		en.wantText("tr.booking-row:contains('Confirmed One') .badge", "Confirmed")
		en.wantText("tr.booking-row:contains('Confirmed One') td", "Wed, 9 Jan 2030, 10:00")
		b.get("/admin/studio-a/bookings?lang=zh-TW")

		// Cursor pagination: 30 confirmed bookings make two pages of 25.
		pracs := []string{e.A.Lin.ID, e.A.Chen.ID}
		for i := 0; i < 30; i++ {
			day := []int{3, 4, 7, 8}[i/8]
			e.book("studio-a", e.A.Online, pracs[i%2], pgAt(day, 9+2*((i/2)%4), 0), "Many")
		}
		first := b.get("/admin/studio-a/bookings?tab=upcoming")
		first.wantCount("tr.booking-row", 25)
		second := b.click(first, "nav.pager a[rel=next]")
		second.wantCount("tr.booking-row", 7)
		second.wantCount("nav.pager a[rel=next]", 0)
		if first.text("tr.booking-row td") == second.text("tr.booking-row td") {
			t.Error("second page repeats the first")
		}
		b.get("/admin/studio-a/bookings?tab=nonsense").wantStatus(http.StatusNotFound)
	})
}

// Every action of the detail page, posted as a form, answered with a
// redirect and a message; refused actions show the localized reason.
func TestPageAdminActions(t *testing.T) {
	t.Parallel()
	eachPageStore(t, func(t *testing.T, e *pageEnv) {
		b := e.browser(t)
		b.login("owner@a.example")
		detail := func(id string) *page { return b.get("/admin/studio-a/bookings/" + id).wantStatus(http.StatusOK) }

		// Accept a pending booking.
		p1 := e.book("studio-a", e.A.InPerson, e.A.Lin.ID, pgAt(1, 10, 0), "Accept Me")
		d := detail(p1.Booking.ID)
		if d.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("detail Cache-Control = %q", d.Header.Get("Cache-Control"))
		}
		d.checkWellFormed("zh-TW")
		d.wantText(".meeting-status", "實體服務,不需要線上會議")
		d.wantCount(`form[action$="/payment"]`, 0)
		d = b.submit(d, `form[action$="/accept"]`, nil)
		d.wantText(".flash-ok", "已接受預約")
		d.wantText(".booking-head .badge", "已排程")
		d.wantCount(`form[action$="/accept"]`, 0)
		d.wantText(".history", "接受預約")
		d.wantText(".history", "客戶 Accept Me")

		// Accepting again (a stale form) is refused with the reason.
		again := b.post("/admin/studio-a/bookings/"+p1.Booking.ID+"/accept", nil)
		again.wantStatus(http.StatusConflict)
		again.wantText("#page-error", "這筆預約目前的狀態(已排程)不能執行「接受預約」")
		again.checkWellFormed("zh-TW")

		// Decline with a reason.
		p2 := e.book("studio-a", e.A.InPerson, e.A.Chen.ID, pgAt(1, 10, 0), "Decline Me")
		d = b.submit(detail(p2.Booking.ID), `form[action$="/decline"]`, url.Values{"reason": {"老師請假"}})
		d.wantText(".flash-ok", "已婉拒預約")
		d.wantText(".booking-head .badge", "已婉拒")
		d.wantCount("#cancel", 0)
		d.wantCount("#reschedule", 0)
		d.wantText(".meeting-status", msg("zh-TW", "meeting.note.in_person"))

		// Record a payment: confirmed and paid.
		p3 := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, pgAt(2, 14, 0), "Pay Me")
		d = detail(p3.Booking.ID)
		d.wantText(".meeting-status", "預約成立後才會建立 Zoom 會議")
		bad := b.submit(d, `form[action$="/payment"]`, url.Values{"method": {"bitcoin"}, "note": {"kept note"}})
		bad.wantStatus(http.StatusUnprocessableEntity)
		bad.wantText("#e-method", msg("zh-TW", "error.choice"))
		if v := bad.attr("#f-note", "value"); v != "kept note" {
			t.Errorf("payment note not kept: %q", v)
		}
		if bad.count("details.disclosure[open] #f-method") != 1 {
			t.Error("payment form with an error is folded away")
		}
		d = b.submit(d, `form[action$="/payment"]`, url.Values{"method": {"bank_transfer"}, "note": {"末五碼 12345"}})
		d.wantText(".flash-ok", "已記錄付款")
		d.wantText(".booking-head .badge", "已排程")
		d.wantText("#pay-h + dl", "已付款")
		d.wantText("#pay-h + dl", "銀行轉帳")
		d.wantText(".meeting-status", msg("zh-TW", "meeting.note.host_no_zoom"))
		twice := b.post("/admin/studio-a/bookings/"+p3.Booking.ID+"/payment", url.Values{"method": {"cash"}})
		twice.wantStatus(http.StatusConflict)
		twice.wantText("#page-error", msg("zh-TW", "error.already_paid"))

		// Reschedule directly: pick a date, then a free time.
		p4 := e.book("studio-a", e.A.Online, e.A.Chen.ID, pgAt(1, 10, 0), "Move Me")
		d = detail(p4.Booking.ID)
		d.wantText("#reschedule legend", "2030年1月8日(二)")
		if d.count(`#reschedule input[type=radio][value="2030-01-08T10:30:00+08:00"]`) != 1 {
			t.Error("10:30 (overlapping the booking's own time) not offered")
		}
		wed := b.get("/admin/studio-a/bookings/" + p4.Booking.ID + "?date=2030-01-09")
		d = b.submit(wed, `form[action$="/reschedule"]`, url.Values{"start": {"2030-01-09T15:00:00+08:00"}})
		d.wantText(".flash-ok", "預約已改期")
		d.wantText(".booking-head", "2030年1月9日(三) 15:00–16:00")
		d.wantText(".history", "改期")
		// No time chosen: the message by the time choice.
		none := b.submit(d, `form[action$="/reschedule"]`, url.Values{})
		none.wantStatus(http.StatusUnprocessableEntity)
		none.wantText("#e-start", msg("zh-TW", "error.required"))

		// Cancel directly.
		d = b.submit(detail(p4.Booking.ID), `form[action$="/cancel"]`, url.Values{"reason": {"客戶來電取消"}})
		d.wantText(".flash-ok", "預約已取消")
		d.wantText(".booking-head .badge", "已取消")
		d.wantText(".meeting-status", msg("zh-TW", "meeting.note.cancelled"))

		// Approve a client's reschedule request; reject a cancel request.
		p5 := e.book("studio-a", e.A.Online, e.A.Chen.ID, pgAt(3, 10, 0), "Ask Me")
		if _, err := e.app.RequestReschedule(t.Context(), p5.ManageToken, pgAt(3, 14, 0)); err != nil {
			t.Fatal(err)
		}
		d = detail(p5.Booking.ID)
		d.wantText(".card-attention", "改期到 2030年1月10日(四) 14:00")
		d = b.submit(d, `form[action$="/approve"]`, nil)
		d.wantText(".flash-ok", msg("zh-TW", "flash.request_approved"))
		d.wantText(".booking-head", "2030年1月10日(四) 14:00")
		d.wantText(".request-list", "已核准")
		if _, err := e.app.RequestCancel(t.Context(), p5.ManageToken, "不想上了"); err != nil {
			t.Fatal(err)
		}
		d = b.submit(detail(p5.Booking.ID), `form[action$="/reject"]`, url.Values{"message": {"請改期而不是取消"}})
		d.wantText(".flash-ok", msg("zh-TW", "flash.request_rejected"))
		d.wantText(".booking-head .badge", "已排程")
		d.wantText(".request-list", "請改期而不是取消")
		d.wantCount(".card-attention", 0)

		// The client sees the decisions on the manage page.
		m := e.browser(t).get("/b/" + p5.ManageToken)
		m.wantText(".request-list", "未核准")
		m.wantText(".request-list", "工作室回覆:請改期而不是取消")

		// English flash and history.
		b.get("/admin/studio-a/bookings?lang=en")
		p6 := e.book("studio-a", e.A.InPerson, e.A.Lin.ID, pgAt(2, 10, 0), "English")
		d = b.submit(detail(p6.Booking.ID), `form[action$="/accept"]`, nil)
		d.checkWellFormed("en")
		d.wantText(".flash-ok", "Booking accepted.")
		d.wantText(".history", "Accepted the booking")
	})
}

// A member of studio A gets the 404 page for every admin page and action of
// studio B, exactly as for a studio that does not exist.
func TestPageTenancy(t *testing.T) {
	t.Parallel()
	eachPageStore(t, func(t *testing.T, e *pageEnv) {
		bB := e.book("studio-b", e.B.InPerson, e.B.Lin.ID, pgAt(1, 10, 0), "B Client")
		a := e.browser(t)
		a.login("owner@a.example")
		id, pid, sid := bB.Booking.ID, e.B.Lin.ID, e.B.Online.ID
		gets := []string{
			"/admin/studio-b", "/admin/studio-b/bookings", "/admin/studio-b/bookings?tab=cancelled",
			"/admin/studio-b/bookings/" + id, "/admin/studio-b/availability", "/admin/studio-b/availability?practitioner=" + pid,
			"/admin/studio-b/practitioners", "/admin/studio-b/practitioners/" + pid, "/admin/studio-b/services",
			"/admin/studio-b/services/new", "/admin/studio-b/services/" + sid, "/admin/studio-b/members",
			"/admin/nowhere/bookings",
			// B's objects through A's workspace.
			"/admin/studio-a/bookings/" + id, "/admin/studio-a/practitioners/" + pid, "/admin/studio-a/services/" + sid,
			"/admin/studio-a/availability?practitioner=" + pid,
		}
		for _, path := range gets {
			p := a.get(path)
			if p.Status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", path, p.Status)
				continue
			}
			p.wantText("h1", "找不到這個頁面")
			p.wantNoText("B Client")
			p.wantNoText("乙工作室")
		}
		posts := []string{
			"/admin/studio-b/bookings/" + id + "/accept", "/admin/studio-b/bookings/" + id + "/decline",
			"/admin/studio-b/bookings/" + id + "/cancel", "/admin/studio-b/bookings/" + id + "/payment",
			"/admin/studio-b/bookings/" + id + "/reschedule", "/admin/studio-b/bookings/" + id + "/requests/rq_x/approve",
			"/admin/studio-b/bookings/" + id + "/requests/rq_x/reject",
			"/admin/studio-b/availability/" + pid + "/weekly", "/admin/studio-b/availability/" + pid + "/overrides",
			"/admin/studio-b/availability/" + pid + "/overrides/2030-01-08/delete",
			"/admin/studio-b/practitioners", "/admin/studio-b/practitioners/" + pid,
			"/admin/studio-b/services", "/admin/studio-b/services/" + sid,
			"/admin/studio-b/members", "/admin/studio-b/members/us_x/role", "/admin/studio-b/members/us_x/remove",
			"/admin/studio-a/bookings/" + id + "/accept", "/admin/studio-a/bookings/" + id + "/cancel",
			"/admin/studio-a/availability/" + pid + "/weekly", "/admin/studio-a/services/" + sid,
		}
		for _, path := range posts {
			p := a.post(path, url.Values{"reason": {"x"}, "method": {"cash"}, "name": {"x"}, "role": {"staff"}, "email": {"x@y.example"}})
			if p.Status != http.StatusNotFound {
				t.Errorf("POST %s: %d, want 404", path, p.Status)
			}
		}
		// Nothing changed in B.
		d, err := e.app.Booking(ctxAs(t, e, "owner@b.example"), "studio-b", id)
		if err != nil {
			t.Fatal(err)
		}
		if d.Booking.Status != daoyue.StatusPending {
			t.Errorf("B's booking is %s", d.Booking.Status)
		}
		// A visitor posting to an admin action is refused without a change.
		v := e.browser(t).post("/admin/studio-b/bookings/"+id+"/accept", nil)
		if v.Status != http.StatusUnauthorized {
			t.Errorf("anonymous POST: %d", v.Status)
		}
	})
}

// Staff see setup pages read-only and are refused changes; owners and
// admins edit availability, practitioners, services and members by form.
func TestPageSetup(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		b := e.browser(t)
		b.login("owner@a.example")
		lin := e.A.Lin.ID

		// Weekly hours: two windows on Monday, Sunday added, Saturday removed.
		av := b.get("/admin/studio-a/availability?practitioner=" + lin).wantStatus(http.StatusOK)
		av.checkWellFormed("zh-TW")
		av.wantText(".tool-card", "尚未連結")
		if v := av.attr(`input[name=start_1]`, "value"); v != "09:00" {
			t.Fatalf("Monday starts %q", v)
		}
		form := url.Values{}
		for d := 0; d < 7; d++ {
			form["start_"+itoa(d)] = []string{""}
			form["end_"+itoa(d)] = []string{""}
		}
		form["start_1"], form["end_1"] = []string{"09:00", "14:00"}, []string{"12:00", "18:30"}
		form["start_0"], form["end_0"] = []string{"10:00"}, []string{"12:00"}
		saved := b.submit(av, `form[action$="/weekly"]`, form)
		saved.wantText(".flash-ok", msg("zh-TW", "flash.hours_saved"))
		if got := saved.Doc.Find(`input[name=start_1]`).Length(); got != 3 {
			t.Errorf("Monday shows %d start inputs, want 2 + a blank", got)
		}
		p, _ := e.app.Practitioner(ctxAs(t, e, "owner@a.example"), "studio-a", lin)
		if len(p.Weekly) != 3 {
			t.Errorf("weekly = %+v", p.Weekly)
		}
		// Bad input: the message, and what was typed is kept.
		form["start_2"], form["end_2"] = []string{"9點"}, []string{"18:00"}
		badp := b.submit(av, `form[action$="/weekly"]`, form).wantStatus(http.StatusUnprocessableEntity)
		badp.wantText("#e-weekly", msg("zh-TW", "error.hours"))
		if v := badp.attr(`input[name=start_2]`, "value"); v != "9點" {
			t.Errorf("typed value not kept: %q", v)
		}
		badp.checkWellFormed("zh-TW")
		form["start_2"], form["end_2"] = []string{"10:00", "11:00"}, []string{"12:00", "13:00"}
		b.submit(av, `form[action$="/weekly"]`, form).wantStatus(http.StatusUnprocessableEntity).wantText("#e-weekly", msg("zh-TW", "error.hours_overlap"))

		// Date overrides: a day off, listed, then removed.
		ov := b.submit(av, `form[action$="/overrides"]`, url.Values{"date": {"2030-01-15"}, "kind": {"off"}})
		ov.wantText(".flash-ok", msg("zh-TW", "flash.override_saved"))
		ov.wantText(".override-list", "2030年1月15日(二) 休息")
		ov2 := b.submit(ov, `form[action$="/overrides"]`, url.Values{"date": {"2030-01-19"}, "kind": {"hours"}, "start1": {"13:00"}, "end1": {"15:00"}})
		ov2.wantText(".override-list", "2030年1月19日(六) 13:00–15:00")
		noHours := b.submit(ov2, `form[action$="/overrides"]`, url.Values{"date": {"2030-01-20"}, "kind": {"hours"}})
		noHours.wantStatus(http.StatusUnprocessableEntity).wantText("#e-ranges", msg("zh-TW", "error.required"))
		rm := b.submit(ov2, `form[action$="/overrides/2030-01-15/delete"]`, nil)
		rm.wantText(".flash-ok", msg("zh-TW", "flash.override_removed"))
		rm.wantCount(`.override-list li`, 1)
		// The public page follows: Lin is off... no: 15 Jan is back to weekly hours; 19 Jan (Saturday) has 13:00.
		pub := e.browser(t).get("/w/studio-a?service=" + e.A.Online.ID + "&practitioner=" + lin + "&date=2030-01-19")
		pub.wantText("a.btn-time", "13:00")

		// Practitioners: create, then edit with an error, then fix.
		pr := b.get("/admin/studio-a/practitioners")
		pr.checkWellFormed("zh-TW")
		pr.wantCount("table tbody tr", 2)
		created := b.submit(pr, `form[action="/admin/studio-a/practitioners"]`, url.Values{"name": {"黃老師"}, "email": {"huang@example.com"}, "bio": {"鋼琴"}, "active": {"on"}})
		created.wantText(".flash-ok", msg("zh-TW", "flash.practitioner_created"))
		created.wantText("h1", "黃老師")
		bad := b.submit(created, "form.form", url.Values{"name": {"黃老師"}, "email": {"not mail"}, "bio": {"鋼琴"}})
		bad.wantStatus(http.StatusUnprocessableEntity)
		bad.wantText("#e-email", msg("zh-TW", "error.email"))
		if bad.attr("#f-email", "aria-describedby") == "" {
			t.Error("email error not tied to its input")
		}
		ok := b.submit(created, "form.form", url.Values{"name": {"黃大師"}, "email": {"huang@example.com"}, "bio": {"鋼琴"}})
		ok.wantText(".flash-ok", msg("zh-TW", "flash.saved"))
		ok.wantText("h1", "黃大師")
		if ok.attr("input[name=active]", "checked") != "" || ok.count("input[name=active][checked]") != 0 {
			t.Error("unticked active box is still ticked")
		}

		// Services: every field through the form.
		sv := b.get("/admin/studio-a/services")
		sv.checkWellFormed("zh-TW")
		sv.wantCount("table tbody tr", 3)
		nw := b.click(sv, `a[href="/admin/studio-a/services/new"]`)
		nw.checkWellFormed("zh-TW")
		full := url.Values{
			"name": {"鋼琴個別課"}, "description": {"60 分鐘"}, "active": {"on"},
			"duration_minutes": {"50"}, "slot_step_minutes": {"60"}, "buffer_before_minutes": {"5"}, "buffer_after_minutes": {"5"},
			"min_notice_minutes": {"1440"}, "horizon_days": {"30"}, "mode": {"online"}, "online_instructions": {"以 Zoom 上課"},
			"location": {""}, "meeting_host": {"designated"}, "designated_host_id": {e.A.Chen.ID},
			"price.amount": {"1500"}, "price.currency": {"twd"}, "confirmation": {"manual"}, "payment": {"before_confirmation"},
			"payment_deadline_minutes": {"720"}, "practitioner_ids": {e.A.Lin.ID, e.A.Chen.ID},
		}
		badSvc := url.Values{}
		for k, v := range full {
			badSvc[k] = v
		}
		badSvc["duration_minutes"] = []string{"1"}
		badSvc["horizon_days"] = []string{"abc"}
		badSvc["practitioner_ids"] = nil
		r := b.submit(nw, "form.service-form", badSvc).wantStatus(http.StatusUnprocessableEntity)
		r.wantText("#e-horizon-days", msg("zh-TW", "error.number"))
		if v := r.attr("#f-name", "value"); v != "鋼琴個別課" {
			t.Errorf("name not kept: %q", v)
		}
		badSvc["horizon_days"] = []string{"30"}
		r = b.submit(nw, "form.service-form", badSvc).wantStatus(http.StatusUnprocessableEntity)
		r.wantText("#e-duration-minutes", msg("zh-TW", "error.duration"))
		r.wantText("#e-practitioner-ids", msg("zh-TW", "error.practitioners_required"))
		r.checkWellFormed("zh-TW")
		list := b.submit(nw, "form.service-form", full)
		list.wantText(".flash-ok", msg("zh-TW", "flash.service_created"))
		list.wantText("table", "鋼琴個別課")
		edit := b.click(list, "table a:contains('鋼琴個別課')")
		for sel, want := range map[string]string{
			"#f-duration-minutes": "50", "#f-slot-step-minutes": "60", "#f-buffer-before-minutes": "5", "#f-min-notice-minutes": "1440",
			"#f-price-amount": "1500", "#f-price-currency": "TWD", "#f-payment-deadline-minutes": "720",
		} {
			if v := edit.attr(sel, "value"); v != want {
				t.Errorf("%s = %q, want %q", sel, v, want)
			}
		}
		for _, sel := range []string{`input[name=mode][value=online][checked]`, `input[name=confirmation][value=manual][checked]`,
			`input[name=payment][value=before_confirmation][checked]`, `input[name=meeting_host][value=designated][checked]`,
			`option[value="` + e.A.Chen.ID + `"][selected]`, `input[name=practitioner_ids][value="` + e.A.Lin.ID + `"][checked]`} {
			if edit.count(sel) != 1 {
				t.Errorf("edit form lacks %s", sel)
			}
		}
		full["name"] = []string{"鋼琴個別課(進階)"}
		full["active"] = nil
		saved = b.submit(edit, "form.service-form", full)
		saved.wantText(".flash-ok", msg("zh-TW", "flash.saved"))
		if b.get("/admin/studio-a/services").count("tr:contains('鋼琴個別課(進階)') .badge-neutral") != 1 {
			t.Error("deactivated service not shown inactive")
		}

		// Members: invite a new person as staff (the email carries the
		// link; they choose their own password), change the role, remove.
		mb := e.withMail(t)
		mp := b.get("/admin/studio-a/members")
		mp.checkWellFormed("zh-TW")
		badInvite := b.submit(mp, `form[action="/admin/studio-a/members"]`, url.Values{"email": {"staff@"}, "role": {"staff"}})
		badInvite.wantStatus(http.StatusUnprocessableEntity)
		badInvite.wantText("#e-email", msg("zh-TW", "error.email"))
		if v := badInvite.attr("#f-email", "value"); v != "staff@" {
			t.Errorf("email not kept: %q", v)
		}
		invited := b.submit(mp, `form[action="/admin/studio-a/members"]`, url.Values{"email": {"staff@a.example"}, "role": {"staff"}})
		invited.wantText(".flash-ok", msg("zh-TW", "flash.invitation_sent"))
		invited.checkWellFormed("zh-TW")
		newcomer := e.browser(t)
		newcomer.submit(newcomer.get(mb.link(t, "staff@a.example")), `form[action^="/invite/"]`, url.Values{"name": {"小助手"}, "password": {pgPassword}})
		added := b.get("/admin/studio-a/members")
		added.wantText("tr:contains('staff@a.example')", "工作人員")

		// The staff member: read-only setup, bookings work, changes refused.
		s := e.browser(t)
		s.login("staff@a.example")
		for _, path := range []string{"/admin/studio-a/availability", "/admin/studio-a/practitioners", "/admin/studio-a/members", "/admin/studio-a/services/" + e.A.Online.ID} {
			p := s.get(path).wantStatus(http.StatusOK)
			p.checkWellFormed("zh-TW")
			p.wantText("main", msg("zh-TW", "msg.read_only"))
			if n := p.count(`main form[method=post]`); n != 0 {
				t.Errorf("staff sees %d forms on %s", n, path)
			}
		}
		s.post("/admin/studio-a/practitioners", url.Values{"name": {"x"}}).wantStatus(http.StatusForbidden).wantText("h1", "沒有權限")
		s.post("/admin/studio-a/availability/"+lin+"/weekly", url.Values{}).wantStatus(http.StatusForbidden)

		uid := strings.TrimSuffix(strings.TrimPrefix(added.attr(`tr:contains('staff@a.example') form[action$="/role"]`, "action"), "/admin/studio-a/members/"), "/role")
		role := b.post("/admin/studio-a/members/"+uid+"/role", url.Values{"role": {"admin"}})
		role.wantText(".flash-ok", msg("zh-TW", "flash.role_changed"))
		role.wantText("tr:contains('staff@a.example')", "管理員")
		gone := b.submit(role, `tr:contains('staff@a.example') form[action$="/remove"]`, nil)
		gone.wantText(".flash-ok", msg("zh-TW", "flash.member_removed"))
		gone.wantNoText("staff@a.example")
		// The last owner cannot be removed.
		own := b.submit(gone, `tr:contains('owner@a.example') form[action$="/remove"]`, nil)
		own.wantStatus(http.StatusConflict)
		own.wantText("#page-error", msg("zh-TW", "error.last_owner"))
	})
}
