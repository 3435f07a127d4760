package e2e

import (
	"strings"
	"testing"
	"time"
)

// The seed's Chinese steps, in Chinese, on the demo studio: 新增 Zoom 連結
// (老師設定 → a practitioner → 線上會議工具 → 連結 Zoom → Allow → 已連結 →
// 設為預設); 使用 Zoom 建立預約會議 with a service that needs the studio's
// confirmation (the booking gets its meeting when the studio accepts it);
// a reschedule and a cancellation that the client requests and the studio
// approves, each moving or deleting the same Zoom meeting; 解除 Zoom 連結.
func TestStudioZoomJourney(t *testing.T) {
	needE2E(t)
	p := startProduct(t)
	const slug = "demo"
	const practitioner = "林雅婷"
	const service = "線上個別諮詢(需確認)"
	const client = "王小明"

	owner := newTab(t, "studio owner", "zh-TW", desktop)
	signIn(owner, p.Base, demoEmail, demoPassword)

	// 新增 Zoom 連結 1–2: 登入導約後台,打開「老師設定」,選擇要管理的老師。
	owner.clickTo(`.admin-nav a[href="/admin/` + slug + `/practitioners"]`)
	if got := owner.text("h1"); got != "老師設定" {
		t.Fatalf("the practitioners page is titled %q, want 老師設定", got)
	}
	owner.clickTo(`a[href="` + owner.hrefOf(`table a[href*="/practitioners/"]`, practitioner) + `"]`)
	settings := owner.path()
	pid := settings[strings.LastIndex(settings, "/")+1:]

	// 3. 在「線上會議工具」區塊點選「連結 Zoom」。
	if got := owner.text("#tools-h"); got != "線上會議工具" {
		t.Fatalf("the meeting tools section is titled %q", got)
	}
	if got := owner.text("#zoom-status"); !strings.Contains(got, "尚未連結") {
		t.Fatalf("Zoom state before connecting: %q", got)
	}
	if got := owner.text("#zoom-connect"); got != "連結 Zoom" {
		t.Fatalf("the connect button says %q", got)
	}
	owner.clickTo("#zoom-connect")
	// 4. 在 Zoom 授權頁確認權限,點選 Allow。
	authorizeInZoom(owner, p.Base+"/zoomsim/", "")
	// 5. 回到導約後,確認 Zoom 狀態顯示為已連結。
	if owner.path() != settings {
		t.Fatalf("after Zoom the owner is on %s, want back on %s", owner.location(), settings)
	}
	owner.waitVisible(`#zoom-status[data-status="connected"]`)
	if got := owner.text("#zoom-status"); !strings.Contains(got, "已連結") {
		t.Fatalf("Zoom state after connecting: %q", got)
	}
	if got := owner.text("#zoom-account"); !strings.Contains(got, "meiling.lin@example.com") {
		t.Fatalf("connected Zoom account shown as %q", got)
	}
	// 6. 需要預設使用 Zoom 時,點選「設為預設」。
	if got := owner.text("#zoom-default"); got != "設為預設" {
		t.Fatalf("the default button says %q", got)
	}
	owner.clickTo("#zoom-default")
	owner.waitVisible("#zoom-is-default")
	if got := owner.text("#zoom-is-default"); got != "預設線上會議工具" {
		t.Fatalf("default tag %q", got)
	}
	owner.shot("practitioner-settings-zoom-connected")
	owner.setLang("en")
	owner.shot("practitioner-settings-zoom-connected")
	owner.setLang("zh-TW")
	// The 老師設定 list says so too.
	owner.open(p.Base + "/admin/" + slug + "/practitioners")
	row := `tr:has(a[href$="/practitioners/` + pid + `"]) .zoom-cell`
	if got := owner.attr(row, "data-status"); got != "connected" || !strings.Contains(owner.text(row), "已連結") {
		t.Fatalf("the 老師設定 list shows %s's Zoom as %q (%s)", practitioner, owner.text(row), got)
	}

	// A studio adds an online service that needs its confirmation.
	owner.open(p.Base + "/admin/" + slug + "/services/new")
	owner.fill("#f-name", service)
	owner.fill("#f-description", "以 Zoom 進行的 60 分鐘諮詢,工作室確認後成立。")
	owner.do("choose online", clickAction(`input[name="mode"][value="online"]`))
	owner.do("choose manual confirmation", clickAction(`input[name="confirmation"][value="manual"]`))
	owner.do("choose the practitioner", clickAction(`input[name="practitioner_ids"][value="`+pid+`"]`))
	owner.clickTo(`form.service-form button[type="submit"]`)
	if owner.path() != "/admin/"+slug+"/services" || !strings.Contains(owner.text("main"), service) {
		t.Fatalf("service not created: on %s", owner.location())
	}

	// 使用 Zoom 3: 客戶送出預約申請;需要人工確認的服務由工作室在後台接受。
	c := newTab(t, "client", "zh-TW", phone)
	c.open(p.Base + "/w/" + slug)
	c.clickTo(`a.service-card[href="` + c.hrefOf("a.service-card", service) + `"]`)
	bookedToken := bookFirstFreeTime(c, client, "xiaoming@example.com")
	if !c.has(".status-card .badge-pending") {
		t.Fatalf("a manual-confirm booking is not pending: %s", c.text(".status-card"))
	}
	manage := "/b/" + bookedToken

	owner.open(p.Base + "/admin/" + slug + "/bookings")
	if !strings.HasSuffix(owner.attr(".tabs a.active", "href"), "tab=pending") {
		t.Fatalf("the bookings page does not open on 待確認 with a booking waiting")
	}
	detail := owner.hrefOf("tr.booking-row", client)
	owner.clickTo(`a.row-link[href="` + detail + `"]`)
	if got := owner.attr("#meeting-status", "data-status"); got == "created" {
		t.Fatal("a pending booking already has a meeting")
	}
	owner.clickTo(`form[action$="/accept"] button[type="submit"]`)
	// 4–5. 正式成立時建立排程會議;私密會議資訊包含 join URL、meeting id 與 passcode。
	if !owner.has(".booking-head .badge-confirmed") {
		t.Fatalf("after 接受預約 the booking is %s", owner.text(".booking-head"))
	}
	m := waitForMeeting(owner)
	first := zoomMeeting(t, m.JoinURL)
	if !first.Exists || first.Minutes != 60 {
		t.Fatalf("Zoom's meeting after accept: %+v", first)
	}

	t.Run("meeting details stay private", func(t *testing.T) {
		assertNoMeetingDetails(t, p, m, manage, "/w/"+slug)
	})

	// 改期: the client asks for another day on the manage page …
	c.open(p.Base + manage)
	if got := c.text(".status-card"); !strings.Contains(got, "已排程") {
		t.Fatalf("the client's page after accept: %q", got)
	}
	c.clickTo(`#reschedule a[href*="reschedule=1"]`)
	pickOtherDay(c)
	newStartValue := c.attr(`form[action$="/reschedule"] input[name="start"]`, "value")
	newStart, err := time.Parse(time.RFC3339, newStartValue)
	if err != nil {
		t.Fatal(err)
	}
	c.do("pick the new time", clickAction(`form[action$="/reschedule"] input[name="start"]`))
	c.clickTo(`form[action$="/reschedule"] button[type="submit"]`)
	c.waitVisible(".request.open")

	// … and the studio approves it in the booking detail: the same Zoom
	// meeting moves.
	owner.open(p.Base + detail)
	owner.clickTo(`form[action$="/approve"] button[type="submit"]`)
	var moved zoomJoin
	owner.eventually("see the meeting moved", meetingSync, func() bool {
		if owner.attr("#meeting-status", "data-status") != "created" {
			return false
		}
		moved = zoomMeeting(t, m.JoinURL)
		return moved.Exists && moved.Start.Equal(newStart)
	})
	if got := waitForMeeting(owner); got.ID != m.ID {
		t.Fatalf("the reschedule made meeting %s, want the same meeting %s moved", got.ID, m.ID)
	}
	if moved.Minutes != 60 {
		t.Fatalf("moved meeting lasts %d minutes", moved.Minutes)
	}

	// 取消: the client asks to cancel; the studio approves; the meeting goes.
	c.open(p.Base + manage)
	c.fill("#f-reason", "臨時有事,抱歉。")
	c.clickTo(`form[action$="/cancel"] button[type="submit"]`)
	c.waitVisible(".request.open")
	owner.open(p.Base + detail)
	owner.clickTo(`form[action$="/approve"] button[type="submit"]`)
	if !owner.has(".booking-head .badge-cancelled") {
		t.Fatalf("after approving the cancellation the booking is %s", owner.text(".booking-head"))
	}
	owner.eventually("see the meeting deleted", meetingSync, func() bool {
		return owner.attr("#meeting-status", "data-status") == "deleted" && !zoomMeeting(t, m.JoinURL).Exists
	})
	if owner.has("#meeting-join-url") {
		t.Fatal("a deleted meeting's join URL is still shown")
	}

	// 解除 Zoom 連結: 老師設定 → the practitioner → 解除連結 → 尚未連結.
	owner.open(p.Base + settings)
	owner.clickTo("#zoom-disconnect")
	owner.waitVisible(`#zoom-status[data-status="not_connected"]`)
	if got := owner.text("#zoom-status"); !strings.Contains(got, "尚未連結") {
		t.Fatalf("after 解除連結 the card says %q", got)
	}
	if got := owner.text(".flash-ok"); !strings.Contains(got, "已解除 Zoom 連結") {
		t.Fatalf("after 解除連結 the page says %q", got)
	}
	if n := p.count(t, `SELECT COUNT(*) FROM zoom_connections WHERE practitioner_id = ?`, pid); n != 0 {
		t.Fatalf("%d Zoom connections remain for the practitioner after 解除連結", n)
	}
}

// pickOtherDay moves the manage page's reschedule calendar to a free day
// other than the selected one, so the new time differs from the booked one.
func pickOtherDay(c *tab) {
	c.t.Helper()
	c.waitVisible(".calendar")
	other := `.calendar a.cal-day.free:not(.selected)`
	if !c.has(other) {
		c.clickTo(`.cal-head a.cal-nav:last-of-type`)
	}
	c.clickTo(other)
	c.waitVisible(`form[action$="/reschedule"] input[name="start"]`)
}
