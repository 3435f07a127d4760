package e2e

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// meetingSync bounds how long a booking's meeting may take to reach Zoom:
// the sync job runs right after the change's transaction commits.
const meetingSync = 20 * time.Second

// The seed's "Marketplace reviewer test flow", steps 1–8, exactly as a
// Zoom reviewer reads them in English, on the sandbox as the first start
// (or a reset) leaves it. No other step: no manual accept, no 設為預設.
func TestReviewerFlow(t *testing.T) {
	needE2E(t)
	p := startProduct(t)
	const slug = "zoom-review"
	const client = "Marketplace Reviewer Test Booking"

	// Not a step of the flow: the state a reviewer finds after the sandbox
	// reset, pictured in the seed (an empty pending queue), in both languages.
	shots := newTab(t, "screenshots", "zh-TW", desktop)
	signIn(shots, p.Base, reviewEmail, reviewPassword)
	for _, lang := range []string{"en", "zh-TW"} {
		shots.open(p.Base + "/admin/" + slug + "/bookings?tab=pending&lang=" + lang)
		shots.lang = lang
		if got := shots.attr(".tabs a.active", "href"); !strings.HasSuffix(got, "tab=pending") {
			t.Fatalf("pending tab not shown: %s", got)
		}
		if n := shots.text(".tabs a.active .count"); n != "0" {
			t.Fatalf("pending queue after the sandbox reset: %s bookings, want 0", n)
		}
		shots.waitVisible("main p.empty")
		shots.shot("reviewer-bookings-empty-pending")
	}

	r := newTab(t, "reviewer", "en", desktop)

	// 1. Sign in at /admin/login with the reviewer account.
	signIn(r, p.Base, reviewEmail, reviewPassword)

	// 2. Open /admin/zoom-review/availability.
	r.open(p.Base + "/admin/" + slug + "/availability")
	if st := r.attr("#zoom-status", "data-status"); st != "not_connected" {
		t.Fatalf("the sandbox starts with Zoom %q, want not_connected", st)
	}

	// 3. Click 連結 Zoom (Connect Zoom) and authorize with the test Zoom
	// account; the review practitioner is already Zoom-by-default.
	if got := r.text("#zoom-connect"); got != "Connect Zoom" && got != "連結 Zoom" {
		t.Fatalf("the connect button says %q", got)
	}
	r.clickTo("#zoom-connect")
	authorizeInZoom(r, p.Base+"/zoomsim/", "")
	if !strings.HasPrefix(r.path(), "/admin/"+slug+"/availability") {
		t.Fatalf("after Zoom's consent the reviewer is on %s, want the availability page", r.location())
	}
	r.waitVisible(`#zoom-status[data-status="connected"]`)
	if !r.has("#zoom-is-default") {
		t.Fatal("the review practitioner is connected but Zoom is not its default meeting tool")
	}
	if r.has("#zoom-default") {
		t.Fatal("a separate Set as default step is offered to the reviewer")
	}
	if got := r.text(".flash-ok"); !strings.Contains(got, "Zoom connected") {
		t.Fatalf("after connecting the page says %q", got)
	}

	// 4. Open /w/zoom-review.
	r.open(p.Base + "/w/" + slug)

	// 5. Submit a booking for Zoom Review Online Session.
	if got := r.text("main"); !strings.Contains(got, "Zoom Review Online Session") {
		t.Fatalf("the public page does not offer Zoom Review Online Session:\n%s", got)
	}
	token := bookFirstFreeTime(r, client, "reviewer.client@example.com")
	// The page's script answered the proof-of-work challenge at production
	// difficulty with no extra step: the booking is not marked unchecked.
	if n := p.count(t, `SELECT COUNT(*) FROM audit WHERE action = 'booking.submitted' AND details LIKE '%unchecked%'`); n != 0 {
		t.Errorf("%d bookings from the browser went without the proof of work", n)
	}

	// 6. After submission, open /admin/zoom-review/bookings.
	r.open(p.Base + "/admin/" + slug + "/bookings")

	// 7. Switch to the Upcoming / 已排程 tab if needed, then open the new
	// booking from the list.
	if !strings.HasSuffix(r.attr(".tabs a.active", "href"), "tab=upcoming") {
		r.clickTo(`.tabs a[href$="tab=upcoming"]`)
	}
	if got := r.text(".tabs a.active"); !strings.Contains(got, "Upcoming") {
		t.Fatalf("selected tab %q, want Upcoming", got)
	}
	detail := r.hrefOf("tr.booking-row", client)
	r.clickTo(`a.row-link[href="` + detail + `"]`)

	// 8. The booking is already confirmed and the private meeting details
	// show the Zoom join URL, meeting ID and passcode.
	if !r.has(".booking-head .badge-confirmed") {
		t.Fatalf("the booking is not confirmed: %s", r.text(".booking-head"))
	}
	m := waitForMeeting(r)

	// The meeting is real: the simulated Zoom holds it under that ID.
	if !strings.HasPrefix(m.JoinURL, p.Base+"/zoomsim/j/"+m.ID+"?") {
		t.Fatalf("join URL %s is not the simulated Zoom's meeting %s", m.JoinURL, m.ID)
	}
	z := zoomMeeting(t, m.JoinURL)
	if !z.Exists || z.Minutes != 30 {
		t.Fatalf("Zoom's meeting %s: %+v, want a 30-minute meeting", m.ID, z)
	}

	t.Run("meeting details stay private", func(t *testing.T) {
		assertNoMeetingDetails(t, p, m, "/b/"+token, "/w/"+slug)
	})

	// The two states the seed pictures after a booking, in both languages:
	// the booking under Upcoming, and its detail with the meeting fields.
	for _, lang := range []string{"en", "zh-TW"} {
		shots.open(p.Base + "/admin/" + slug + "/bookings?lang=" + lang)
		shots.lang = lang
		if !strings.HasSuffix(shots.attr(".tabs a.active", "href"), "tab=upcoming") {
			t.Fatalf("%s: the bookings page does not open on Upcoming with nothing pending", lang)
		}
		if !shots.has(`tr.booking-row .badge-confirmed`) || !shots.has(`tr.booking-row .meeting-cell [data-status="created"]`) {
			t.Fatalf("%s: the upcoming row is not confirmed with its meeting: %s", lang, shots.text("tr.booking-row"))
		}
		shots.shot("reviewer-bookings-upcoming")
		shots.open(p.Base + detail)
		if got := shots.attr("#meeting-status", "data-status"); got != "created" {
			t.Fatalf("%s: meeting status %q", lang, got)
		}
		shots.shot("reviewer-booking-detail-meeting")
	}
}

// signIn signs in at /admin/login and lands in the backend.
func signIn(b *tab, base, email, password string) {
	b.t.Helper()
	b.open(base + "/admin/login")
	b.fill("#f-email", email)
	b.fill("#f-password", password)
	b.clickTo(`form[action="/admin/login"] button[type="submit"]`)
	if !strings.HasPrefix(b.path(), "/admin/") {
		b.fail("sign in", errorf("still on %s", b.location()))
	}
}

// authorizeInZoom answers Zoom's consent page: as the test account with
// the user id given ("" keeps the first one), Allow.
func authorizeInZoom(b *tab, zoomBase, userID string) {
	b.t.Helper()
	if loc := b.location(); !strings.HasPrefix(loc, zoomBase) {
		b.fail("reach Zoom's consent page", errorf("on %s, want %s…", loc, zoomBase))
	}
	b.waitVisible("#allow")
	if got := b.text("h1"); !strings.Contains(got, "DaoYue would like to access your Zoom account") {
		b.fail("read Zoom's consent page", errorf("heading %q", got))
	}
	if userID != "" {
		b.do("choose the Zoom account", clickAction(`input[name="user"][value="`+userID+`"]`))
	}
	b.clickTo("#allow")
}

// bookFirstFreeTime books the first free time of the service on the page
// and returns the booking's manage token.
func bookFirstFreeTime(b *tab, name, email string) string {
	b.t.Helper()
	b.clickTo(".time-grid a.btn-time")
	b.waitVisible("form.book-form")
	b.fill("#f-name", name)
	b.fill("#f-email", email)
	b.clickTo(`form.book-form button[type="submit"]`)
	path := b.path()
	if !strings.HasPrefix(path, "/b/") {
		b.fail("submit the booking", errorf("landed on %s, want /b/{token}", b.location()))
	}
	b.waitVisible(".flash-ok")
	return strings.TrimPrefix(path, "/b/")
}

// meeting is what the booking detail shows of a Zoom meeting.
type meeting struct {
	JoinURL, ID, Passcode string
}

// waitForMeeting reloads the booking detail until its meeting is created
// (the sync job runs after the booking's transaction), and reads the
// private details.
func waitForMeeting(b *tab) meeting {
	b.t.Helper()
	b.eventually("see the meeting created", meetingSync, func() bool {
		st := b.attr("#meeting-status", "data-status")
		if st == "failed" || st == "needs_setup" {
			b.fail("wait for the meeting", errorf("meeting status %q: %s", st, b.text("#meeting")))
		}
		return st == "created"
	})
	m := meeting{JoinURL: b.attr("#meeting-join-url", "href"), ID: b.text("#meeting-id"), Passcode: b.text("#meeting-passcode")}
	m.ID = strings.ReplaceAll(m.ID, " ", "")
	if m.JoinURL == "" || !regexp.MustCompile(`^\d{9,11}$`).MatchString(m.ID) || m.Passcode == "" {
		b.fail("read the private meeting details", errorf("join URL %q, meeting ID %q, passcode %q", m.JoinURL, m.ID, m.Passcode))
	}
	if got := b.text("#meeting-join-url"); got != m.JoinURL {
		b.fail("read the join URL", errorf("link text %q, href %q", got, m.JoinURL))
	}
	return m
}

// zoomJoin is what the simulated Zoom's join page says of a meeting.
type zoomJoin struct {
	Exists  bool
	Start   time.Time
	Minutes int
	Topic   string
}

var joinWhen = regexp.MustCompile(`<p id="when">([^<]+) \(([^)]+)\), (\d+) minutes</p>`)
var joinTopic = regexp.MustCompile(`<h1 id="topic">([^<]*)</h1>`)

// zoomMeeting opens a join URL as an attendee would: 200 with the
// meeting's time, or 404 when Zoom has no such meeting.
func zoomMeeting(t *testing.T, joinURL string) zoomJoin {
	t.Helper()
	code, body := httpGet(t, joinURL)
	switch code {
	case 404:
		return zoomJoin{}
	case 200:
	default:
		t.Fatalf("join page %s: HTTP %d", joinURL, code)
	}
	m := joinWhen.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("join page without a time:\n%s", body)
	}
	loc, err := time.LoadLocation(m[2])
	if err != nil {
		t.Fatal(err)
	}
	start, err := time.ParseInLocation("Mon 2 Jan 2006 15:04 MST", m[1], loc)
	if err != nil {
		t.Fatalf("join page time %q: %v", m[1], err)
	}
	z := zoomJoin{Exists: true, Start: start}
	z.Minutes = atoi(m[3])
	if tm := joinTopic.FindStringSubmatch(body); tm != nil {
		z.Topic = tm[1]
	}
	return z
}

// assertNoMeetingDetails checks that the client's manage page and the
// public pages never carry the private meeting details: in the browser
// (after JavaScript ran) and as plain HTTP.
func assertNoMeetingDetails(t *testing.T, p *product, m meeting, paths ...string) {
	t.Helper()
	c := newTab(t, "client", "zh-TW", phone)
	u, _ := url.Parse(m.JoinURL)
	secrets := map[string]string{"join URL": m.JoinURL, "join path": u.Path, "meeting ID": m.ID, "passcode": m.Passcode,
		"passcode in the link": u.Query().Get("pwd")}
	for _, path := range paths {
		c.open(p.Base + path)
		_, raw := httpGet(t, p.Base+path)
		for what, s := range secrets {
			if s == "" {
				continue
			}
			if strings.Contains(c.html(), s) || strings.Contains(raw, s) {
				t.Errorf("%s shows the %s", path, what)
			}
		}
	}
}
