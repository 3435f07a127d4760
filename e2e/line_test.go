package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// The LINE journey (issue 12), in development where LINE is the built-in
// simulator at /linesim: a client books a session the studio confirms,
// links LINE from the booking page (adds the account and sends the code on
// the simulator's page), gets the confirmation on LINE, asks for another
// time from My bookings, and is told on LINE once the studio approves.
func TestLineJourney(t *testing.T) {
	needE2E(t)
	p := startProduct(t)
	const slug = "demo"
	const service = "工作室團體課體驗" // needs the studio's confirmation
	const client = "林美玲"
	const email = "meiling@example.com"

	// The studio's LINE card: the demo studio is connected to the simulator's channel.
	owner := newTab(t, "studio owner", "zh-TW", desktop)
	signIn(owner, p.Base, demoEmail, demoPassword)
	owner.open(p.Base + "/admin/" + slug + "/settings")
	owner.waitVisible("#line-account")
	if got := owner.text("#line-basic-id"); got != "@123calmy" {
		t.Fatalf("the LINE card shows basic id %q", got)
	}
	if got := owner.text("#line-webhook-url"); !strings.HasPrefix(got, p.Base+"/webhooks/line/lh") {
		t.Fatalf("the LINE card shows webhook URL %q", got)
	}
	if got := owner.text("#line-quota"); !strings.Contains(got, "/ 200") {
		t.Fatalf("the LINE card shows quota %q", got)
	}
	owner.shot("settings-line")

	// A client books; the studio has to confirm.
	c := newTab(t, "client", "zh-TW", phone)
	c.open(p.Base + "/w/" + slug)
	c.clickTo(`a.service-card[href="` + c.hrefOf("a.service-card", service) + `"]`)
	token := bookFirstFreeTime(c, client, email)
	manage := "/b/" + token

	// 用 LINE 接收通知: a code to send to the studio's account.
	c.clickTo("#line-link")
	c.waitVisible("#line-code")
	code := c.text("#line-code")
	if !regexp.MustCompile(`^DY-[A-Z2-9]{8}$`).MatchString(code) {
		t.Fatalf("link code %q", code)
	}
	if href := c.attr("#line-send", "href"); href != "https://line.me/R/oaMessage/@123calmy/?"+code {
		t.Fatalf("the open-LINE link is %q", href)
	}
	c.shot("line-link-code")
	simURL := c.attr("#line-simulated a", "href")
	if !strings.HasPrefix(simURL, p.Base+"/linesim") {
		t.Fatalf("the simulator link is %q", simURL)
	}

	// In "LINE" (the simulator's page): add the account, send the code.
	ln := newTab(t, "LINE", "zh-TW", desktop)
	ln.open(simURL)
	user := `.users > .user:nth-child(1)`
	if got := ln.text(user + " h3"); !strings.Contains(got, client) {
		t.Fatalf("the simulator's first user is %q", got)
	}
	ln.clickTo(user + ` form[action="sim/follow"] button`)
	chat := func() string { return ln.text(user + " .chat") }
	if !strings.Contains(chat(), "用 LINE 接收通知") {
		t.Fatalf("no follow reply in LINE: %q", chat())
	}
	ln.fill(user+` input[name="text"]`, code)
	ln.clickTo(user + ` form[action="sim/send"] button`)
	ln.eventually("see the account linked", 10*time.Second, func() bool { ln.reload(); return strings.Contains(chat(), "已綁定") })
	c.open(p.Base + manage)
	if got := c.text("#line-state"); !strings.Contains(got, "已綁定") {
		t.Fatalf("the manage page says %q after linking", got)
	}

	// The studio accepts: the confirmation comes on LINE, with a button to the booking.
	owner.open(p.Base + "/admin/" + slug + "/bookings")
	detail := owner.hrefOf("tr.booking-row", client)
	owner.clickTo(`a.row-link[href="` + detail + `"]`)
	owner.clickTo(`form[action$="/accept"] button[type="submit"]`)
	ln.eventually("see the confirmation on LINE", 20*time.Second, func() bool {
		ln.reload()
		return strings.Contains(chat(), "預約已成立")
	})
	if href := ln.attr(user+` .chat a[href*="/b/"]`, "href"); href != p.Base+manage {
		t.Fatalf("the LINE card's button opens %q, want the manage page", href)
	}
	ln.shot("line-confirmation")

	// My bookings: the emailed sign-in link (the development mailbox), then a new time.
	c.open(p.Base + "/w/" + slug + "/my")
	c.fill(`input[name="email"]`, email)
	c.clickTo(`form[action="/w/` + slug + `/my"] button[type="submit"]`)
	c.waitVisible("#my-sent")
	mail := newTab(t, "mailbox", "zh-TW", desktop)
	mail.open(p.Base + "/devmail/")
	// The link is sent from the outbox, so it may arrive a moment after "sent".
	mail.eventually("see the sign-in link arrive", 20*time.Second, func() bool {
		return strings.Contains(mail.text("main, body"), "預約清單連結")
	})
	mail.clickTo(`a[href="` + mail.hrefOf("a[id^=mail-]", "預約清單連結") + `"]`)
	link := mail.hrefOf("a", "/my/")
	c.open(link)
	c.clickTo("#my-open")
	c.waitVisible("#my-upcoming")
	if got := c.text("#line-state"); !strings.Contains(got, "已綁定") {
		t.Fatalf("My bookings says %q of LINE", got)
	}
	c.clickTo(`#my-upcoming a[href="` + manage + `"]`)
	c.clickTo(`#reschedule a[href*="reschedule=1"]`)
	pickOtherDay(c)
	c.do("pick the new time", clickAction(`form[action$="/reschedule"] input[name="start"]`))
	c.clickTo(`form[action$="/reschedule"] button[type="submit"]`)
	c.waitVisible(".request.open")
	ln.eventually("see the request received on LINE", 20*time.Second, func() bool {
		ln.reload()
		return strings.Contains(chat(), "已收到您的申請")
	})

	// The booking's practitioner is told of the request (the development
	// mailbox lists the notice to their address).
	mail.open(p.Base + "/devmail/")
	toPractitioner := regexp.MustCompile(`(lin|chen)@demo\.example\s*客人申請變更預約`)
	mail.eventually("see the practitioner told of the request", 20*time.Second, func() bool {
		mail.reload()
		return toPractitioner.MatchString(mail.text("main, body"))
	})

	// The studio approves: the client is told on LINE.
	owner.open(p.Base + detail)
	owner.clickTo(`form[action$="/approve"] button[type="submit"]`)
	ln.eventually("see the new time on LINE", 20*time.Second, func() bool {
		ln.reload()
		return strings.Contains(chat(), "預約已改期")
	})
	ln.shot("line-rescheduled")
	if n := p.count(t, `SELECT COUNT(*) FROM line_messages WHERE status = 'sent'`); n < 3 {
		t.Fatalf("%d LINE messages sent, want confirmation, request received and rescheduled", n)
	}
}
