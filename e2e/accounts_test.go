package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue/notify/smtptest"
)

// Accounts in a real browser on the real binary, with the emails read from
// an SMTP server the binary sends to: a new studio signs up, verifies its
// email, follows the onboarding checklist (hours, a service, 連結 Zoom and
// 設為預設) to its first booking, which gets its Zoom meeting; then it
// invites a colleague, who accepts and sets their own password; then the
// owner forgets the password and resets it.
func TestAccountsJourney(t *testing.T) {
	needE2E(t)
	mail := smtptest.NewServer(t, smtptest.Options{})
	p := startProduct(t, "DAOYUE_SMTP_URL="+mail.URL(), "DAOYUE_SIGNUP=open")
	const (
		email    = "yun@tide.example"
		password = "tide studio secret 2030"
		slug     = "tide"
	)

	// Sign up.
	owner := newTab(t, "new studio owner", "zh-TW", desktop)
	owner.open(p.Base + "/signup")
	owner.fill("#f-email", email)
	owner.fill("#f-password", password)
	owner.fill("#f-your-name", "潮汐老師")
	owner.fill("#f-studio-name", "潮汐瑜珈")
	owner.fill("#f-slug", slug)
	owner.fill("#f-time-zone", "Asia/Taipei")
	owner.clickTo(`form[action="/signup"] button[type="submit"]`)
	owner.waitVisible("#signup-sent")
	if code, _ := httpGet(t, p.Base+"/w/"+slug); code != 404 {
		t.Fatalf("the studio's page before verification: %d", code)
	}
	link := linkIn(t, mail, email, `/signup/[a-z0-9]+`)
	owner.open(p.Base + link)
	owner.clickTo(`form[action^="/signup/"] button[type="submit"]`)
	if !strings.HasPrefix(owner.path(), "/admin/"+slug+"/bookings") {
		t.Fatalf("after verifying: %s", owner.location())
	}
	owner.waitVisible("#onboarding")
	owner.shot("accounts-1-checklist")
	for _, item := range []string{"#setup-hours", "#setup-service", "#setup-zoom", "#setup-share"} {
		if cls := owner.attr(item, "class"); cls != "todo" {
			t.Fatalf("%s starts %q", item, cls)
		}
	}

	// 1. Hours: every day, all day.
	owner.clickTo("#setup-hours a")
	for day := 0; day < 7; day++ {
		owner.fill("#w"+itoa(day)+"-0-s", "00:00")
		owner.fill("#w"+itoa(day)+"-0-e", "23:30")
	}
	owner.clickTo(`form[action$="/weekly"] button[type="submit"]`)
	owner.waitVisible(".flash-ok")

	// 2. A service: online, 30 minutes, confirmed at once.
	owner.open(p.Base + "/admin/" + slug + "/bookings")
	owner.clickTo("#setup-service a")
	owner.fill("#f-name", "線上一對一")
	owner.fill("#f-duration-minutes", "30")
	owner.fill("#f-min-notice-minutes", "0")
	owner.do("choose online, auto-confirmed, the practitioner",
		clickAction(`input[name="mode"][value="online"]`),
		clickAction(`input[name="confirmation"][value="auto"]`),
		clickAction(`input[name="practitioner_ids"]`))
	owner.clickTo(`form.service-form button[type="submit"]`)
	owner.waitVisible(".flash-ok")

	// 3. 連結 Zoom, then 設為預設.
	owner.open(p.Base + "/admin/" + slug + "/bookings")
	owner.clickTo("#setup-zoom a")
	owner.clickTo("#zoom-connect")
	authorizeInZoom(owner, p.Base+"/zoomsim/", "")
	owner.waitVisible(`#zoom-status[data-status="connected"]`)
	owner.clickTo("#zoom-default")
	owner.open(p.Base + "/admin/" + slug + "/bookings")
	for _, item := range []string{"#setup-hours", "#setup-service", "#setup-zoom"} {
		if cls := owner.attr(item, "class"); cls != "done" {
			t.Fatalf("%s after it was done: %q\n%s", item, cls, owner.text("#onboarding"))
		}
	}

	// 4. The first booking, on the studio's own page, gets its meeting.
	client := newTab(t, "first client", "zh-TW", phone)
	client.open(owner.attr("#booking-link", "href"))
	bookFirstFreeTime(client, "第一位客人", "first@client.example")
	owner.open(p.Base + "/admin/" + slug + "/bookings")
	if owner.has("#onboarding") {
		t.Fatalf("the checklist after the first booking: %s", owner.text("#onboarding"))
	}
	owner.clickTo(`table a[href*="/bookings/bk_"]`)
	waitForMeeting(owner)
	owner.shot("accounts-2-first-booking")

	// Invite a colleague, who sets their own password.
	owner.open(p.Base + "/admin/" + slug + "/members")
	owner.fill("#f-email", "wen@tide.example")
	owner.clickTo(`form[action$="/members"] button[type="submit"]`)
	owner.waitVisible("#invitations")
	invite := linkIn(t, mail, "wen@tide.example", `/invite/[a-z0-9]+`)
	wen := newTab(t, "invited colleague", "zh-TW", desktop)
	wen.open(p.Base + invite)
	wen.fill("#f-name", "文")
	wen.fill("#f-password", "wen's own passphrase")
	wen.clickTo(`form[action^="/invite/"] button[type="submit"]`)
	if !strings.HasPrefix(wen.path(), "/admin/"+slug+"/bookings") {
		t.Fatalf("after accepting: %s", wen.location())
	}

	// The owner forgets the password.
	forgot := newTab(t, "owner without a password", "zh-TW", desktop)
	forgot.open(p.Base + "/admin/login")
	forgot.clickTo("#forgot-link")
	forgot.fill("#f-email", email)
	forgot.clickTo(`form[action="/admin/forgot"] button[type="submit"]`)
	forgot.waitVisible(".flash-ok")
	reset := linkIn(t, mail, email, `/reset/[a-z0-9]+`)
	forgot.open(p.Base + reset)
	forgot.fill("#f-password", "a new tide secret 2031")
	forgot.clickTo(`form[action^="/reset/"] button[type="submit"]`)
	if !strings.HasPrefix(forgot.path(), "/admin/") || strings.HasPrefix(forgot.path(), "/admin/login") {
		t.Fatalf("after the reset: %s", forgot.location())
	}
	// The old session (the first tab) has ended.
	owner.open(p.Base + "/admin/" + slug + "/bookings")
	if !strings.HasPrefix(owner.path(), "/admin/login") {
		t.Errorf("the old session survived the reset: %s", owner.location())
	}
}

// linkIn waits for the newest email to `to` whose text holds a link
// matching pathRE, and returns the link's path.
func linkIn(t *testing.T, srv *smtptest.Server, to, pathRE string) string {
	t.Helper()
	re := regexp.MustCompile(`https?://[^\s"<>/]+(` + pathRE + `)`)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		msgs := srv.Messages()
		for i := len(msgs) - 1; i >= 0; i-- {
			if !strings.Contains(strings.Join(msgs[i].To, ","), to) {
				continue
			}
			if m := re.FindStringSubmatch(msgs[i].Parse(t).Text); m != nil {
				return m[1]
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no email to %s with a link like %s", to, pathRE)
	return ""
}

func itoa(i int) string { return string(rune('0' + i)) }
