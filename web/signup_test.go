package web

import (
	"context"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/internal/testenv"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// Sign-up over real HTTP, with its emails read from the in-process SMTP
// server: nothing exists until the emailed link is used; the link works
// once and expires; an address with an account gets a note, not a link,
// and the form answers alike; slugs are checked on the form and again at
// verification; closed sign-up says so; the per-address limit answers 429.

var signupLinkRE = regexp.MustCompile(`https?://[^\s"<>]+/signup/[a-z0-9]+`)

// newSignupEnv is the page fixture with sign-up open or closed.
func newSignupEnv(t *testing.T, db *store.DB, open bool) *pageEnv {
	t.Helper()
	te := testenv.New(t, db, testenv.Options{Start: pgNow})
	// Behind a "proxy" on loopback, so a test may speak from several addresses.
	te.Serve(New(Config{App: te.App, Store: db, Log: te.Log, BaseURL: te.Front.URL, Signup: open,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}}))
	return pageEnvOn(t, te)
}

func eachSignupStore(t *testing.T, fn func(t *testing.T, e *pageEnv)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) { fn(t, newSignupEnv(t, db, true)) })
}

const signupPassword = "lotus flowers in spring"

func signupForm(email, slug string) url.Values {
	return url.Values{"email": {email}, "password": {signupPassword}, "your_name": {"林美玲"},
		"studio_name": {"蓮花瑜珈"}, "slug": {slug}, "time_zone": {"Asia/Taipei"}}
}

func TestSignupVerifies(t *testing.T) {
	eachSignupStore(t, func(t *testing.T, e *pageEnv) {
		mb := e.withMail(t)
		b := e.browser(t)
		home := b.get("/").wantStatus(http.StatusOK)
		login := b.get("/admin/login")
		if home.count("#signup-cta") != 1 || login.count("#signup-link") != 1 {
			t.Fatal("home or login page does not link to /signup")
		}
		form := b.click(home, "#signup-cta").wantStatus(http.StatusOK)
		form.checkWellFormed("zh-TW")
		e.browser(t).get("/w/lotus").wantStatus(http.StatusNotFound)

		sent := b.submit(form, `form[action="/signup"]`, signupForm("Mei@Lotus.example", "lotus"))
		if sent.Status != http.StatusOK || sent.URL != "/signup/sent" {
			t.Fatalf("after the form: %d %s\n%s", sent.Status, sent.URL, sent.visible())
		}
		sent.wantText("#signup-sent", msg("zh-TW", "page.signup.sent"))
		// Nothing exists before the link is used.
		e.browser(t).get("/w/lotus").wantStatus(http.StatusNotFound)
		if e.browser(t).signIn("mei@lotus.example", signupPassword) {
			t.Fatal("signed in before verifying")
		}

		link := mb.linkMatching(t, "mei@lotus.example", signupLinkRE)
		p := b.get(link).wantStatus(http.StatusOK)
		p.checkWellFormed("zh-TW")
		p.wantText("h1", "蓮花瑜珈")
		p.wantText("#signup-link", "/w/lotus")
		done := b.submit(p, `form[action^="/signup/"]`, nil)
		if done.Status != http.StatusOK || done.URL != "/admin/lotus/bookings" {
			t.Fatalf("after verifying: %d %s\n%s", done.Status, done.URL, done.visible())
		}
		done.wantText(".flash-ok", msg("zh-TW", "flash.signup_done"))
		done.wantCount("#onboarding li.todo", 4)
		done.wantText("#booking-link", e.ts.URL+"/w/lotus")
		done.checkWellFormed("zh-TW")
		e.browser(t).get("/w/lotus").wantStatus(http.StatusOK).wantText("h1", "蓮花瑜珈")
		// The first practitioner is the person, so hours can be set at once.
		b.get("/admin/lotus/availability").wantStatus(http.StatusOK).wantText("#weekly-h", "林美玲")

		// The link works once.
		gone := e.browser(t).get(link)
		gone.wantStatus(http.StatusNotFound)
		gone.wantText("main", msg("zh-TW", "error.signup_gone"))
		e.browser(t).post(link, url.Values{}).wantStatus(http.StatusNotFound)
		if !e.browser(t).signIn("mei@lotus.example", signupPassword) {
			t.Fatal("the chosen password does not sign in")
		}

		// A link expires.
		e.browser(t).post("/signup", signupForm("kai@river.example", "river"))
		late := mb.linkMatching(t, "kai@river.example", signupLinkRE)
		e.app.Now = func() time.Time { return pgNow.Add(daoyue.SignupTTL + time.Minute) }
		e.browser(t).get(late).wantStatus(http.StatusNotFound).wantText("main", msg("zh-TW", "error.signup_gone"))
		e.browser(t).post(late, url.Values{}).wantStatus(http.StatusNotFound)
		e.app.Now = func() time.Time { return pgNow }
		e.browser(t).get("/w/river").wantStatus(http.StatusNotFound)
	})
}

// An address with an account gets an email that says so, with no
// verification link, and the form's answer is the same as for a new one.
func TestSignupExistingEmail(t *testing.T) {
	eachSignupStore(t, func(t *testing.T, e *pageEnv) {
		mb := e.withMail(t)
		known := e.browser(t).post("/signup", signupForm("owner@a.example", "sneaky"))
		unknown := e.browser(t).post("/signup", signupForm("new@elsewhere.example", "fresh"))
		if known.Status != unknown.Status || known.URL != unknown.URL || known.visible() != unknown.visible() {
			t.Fatalf("known: %d %s %q\nunknown: %d %s %q", known.Status, known.URL, known.visible(), unknown.Status, unknown.URL, unknown.visible())
		}
		msgs := mb.deliver(t)
		var note string
		for _, m := range msgs {
			if strings.Contains(m.Header.Get("To"), "owner@a.example") {
				note = m.Text + m.HTML
			}
		}
		if note == "" || signupLinkRE.MatchString(note) || !strings.Contains(note, "/admin/login") || !strings.Contains(note, "/admin/forgot") {
			t.Fatalf("the email to an existing account:\n%s", note)
		}
		if !strings.Contains(note, msg("zh-TW", "mail.signup_exists.lead")) {
			t.Fatalf("the note does not say the account exists:\n%s", note)
		}
		e.browser(t).get("/w/sneaky").wantStatus(http.StatusNotFound)
		if !e.browser(t).signIn("owner@a.example", pgPassword) {
			t.Fatal("the existing account's password changed")
		}
	})
}

// A taken or reserved slug is refused on the form; one taken between the
// sign-up and its verification is asked for again on the link's page.
func TestSignupSlugs(t *testing.T) {
	eachSignupStore(t, func(t *testing.T, e *pageEnv) {
		mb := e.withMail(t)
		b := e.browser(t)
		taken := b.post("/signup", signupForm("a@one.example", "studio-a"))
		taken.wantStatus(http.StatusUnprocessableEntity)
		taken.wantText("#e-slug", msg("zh-TW", "error.slug_taken"))
		if got := taken.attr("#f-email", "value"); got != "a@one.example" {
			t.Errorf("the form lost the email: %q", got)
		}
		reserved := b.post("/signup", signupForm("a@one.example", "admin"))
		reserved.wantStatus(http.StatusUnprocessableEntity)
		reserved.wantText("#e-slug", msg("zh-TW", "error.slug"))
		weak := b.post("/signup", url.Values{"email": {"a@one.example"}, "password": {"password123"}, "studio_name": {"x"}, "slug": {"fine"}})
		weak.wantText("#e-password", msg("zh-TW", "error.password_common"))
		if len(mb.deliver(t)) != 0 {
			t.Fatal("a refused sign-up sent an email")
		}

		b.post("/signup", signupForm("a@one.example", "lotus")).wantStatus(http.StatusOK)
		link := mb.linkMatching(t, "a@one.example", signupLinkRE)
		if err := e.app.CreateWorkspace(context.Background(), &daoyue.Workspace{Slug: "lotus", Name: "Someone else"}); err != nil {
			t.Fatal(err)
		}
		p := b.get(link).wantStatus(http.StatusOK)
		p.wantText("#e-slug", msg("zh-TW", "error.slug_taken_since"))
		p.checkWellFormed("zh-TW")
		again := b.submit(p, `form[action^="/signup/"]`, url.Values{"slug": {"lotus"}})
		again.wantStatus(http.StatusUnprocessableEntity)
		again.wantText("#e-slug", msg("zh-TW", "error.slug_taken"))
		done := b.submit(p, `form[action^="/signup/"]`, url.Values{"slug": {"lotus-taipei"}})
		if done.URL != "/admin/lotus-taipei/bookings" {
			t.Fatalf("after choosing another slug: %d %s\n%s", done.Status, done.URL, done.visible())
		}
		e.browser(t).get("/w/lotus-taipei").wantStatus(http.StatusOK)
	})
}

// Closed sign-up says so and how to get a studio, sends nothing, and the
// home and login pages do not offer it.
func TestSignupClosed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newSignupEnv(t, db, false)
		mb := e.withMail(t)
		b := e.browser(t)
		if b.get("/").count("#signup-cta") != 0 || b.get("/admin/login").count("#signup-link") != 0 {
			t.Fatal("closed sign-up is offered")
		}
		p := b.get("/signup").wantStatus(http.StatusOK)
		p.wantText("#signup-closed", msg("zh-TW", "page.signup.closed"))
		p.wantText("main", "daoyue workspace create")
		p.checkWellFormed("zh-TW")
		p.wantCount(`form[action="/signup"]`, 0)
		r := b.post("/signup", signupForm("a@one.example", "lotus"))
		r.wantStatus(http.StatusForbidden)
		r.wantText("#signup-closed", msg("zh-TW", "page.signup.closed"))
		if len(mb.deliver(t)) != 0 {
			t.Fatal("closed sign-up sent an email")
		}
		b.get("/signup/0123456789abcdef").wantStatus(http.StatusForbidden)
		e.browser(t).get("/w/lotus").wantStatus(http.StatusNotFound)
	})
}

// One address may sign up a few times, then waits (429 with Retry-After);
// so may one email, from anywhere.
func TestSignupLimits(t *testing.T) {
	eachSignupStore(t, func(t *testing.T, e *pageEnv) {
		mb := e.withMail(t)
		b := e.browser(t)
		for i := range 5 {
			r := b.post("/signup", signupForm("p"+string(rune('a'+i))+"@one.example", "s"+string(rune('a'+i))))
			if r.URL != "/signup/sent" {
				t.Fatalf("sign-up %d: %d %s %s", i, r.Status, r.URL, r.visible())
			}
		}
		resp := b.raw(http.MethodPost, "/signup", signupForm("another@one.example", "another"))
		over := b.read(resp)
		over.wantStatus(http.StatusTooManyRequests)
		if over.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
		over.wantText("main", msg("zh-TW", "error.signup_throttled"))
		if n := len(mb.deliver(t)); n != 5 {
			t.Fatalf("%d emails, want 5", n)
		}
		// One email, from many addresses: three requests, then a wait.
		from := func(addr, email string) *page {
			req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/signup", strings.NewReader(signupForm(email, "x"+addr[len(addr)-1:]).Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", addr)
			return b.read(b.do(req))
		}
		for i, addr := range []string{"203.0.113.1", "203.0.113.2", "203.0.113.3"} {
			if r := from(addr, "target@victim.example"); r.Status != http.StatusSeeOther {
				t.Fatalf("request %d for one email: %d\n%s", i, r.Status, r.visible())
			}
		}
		r := from("203.0.113.4", "target@victim.example")
		r.wantStatus(http.StatusTooManyRequests)
		if r.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After for the email limit")
		}
		n := 0
		for _, m := range mb.deliver(t) {
			if strings.Contains(m.Header.Get("To"), "target@victim.example") {
				n++
			}
		}
		if n != 3 {
			t.Fatalf("%d emails to one address, want 3", n)
		}

		// Later the address may again.
		e.app.Now = func() time.Time { return pgNow.Add(2 * time.Hour) }
		if r := b.post("/signup", signupForm("another@one.example", "another")); r.URL != "/signup/sent" {
			t.Fatalf("after waiting: %d %s", r.Status, r.URL)
		}
	})
}

// signUp signs up and verifies a studio, and returns its owner's browser.
func signUp(t *testing.T, e *pageEnv, mb *testMailbox, email, slug string) *browser {
	t.Helper()
	b := e.browser(t)
	b.post("/signup", signupForm(email, slug)).wantStatus(http.StatusOK)
	p := b.get(mb.linkMatching(t, email, signupLinkRE)).wantStatus(http.StatusOK)
	if done := b.submit(p, `form[action^="/signup/"]`, nil); done.URL != "/admin/"+slug+"/bookings" {
		t.Fatalf("sign-up landed on %s", done.URL)
	}
	return b
}

// The onboarding checklist ticks each item as it is done, links to where
// it is done, and goes away once all are.
func TestOnboardingTicks(t *testing.T) {
	eachSignupStore(t, func(t *testing.T, e *pageEnv) {
		mb := e.withMail(t)
		b := signUp(t, e, mb, "mei@lotus.example", "lotus")
		ctx := ctxAs(t, e, "mei@lotus.example")
		ticked := func(want ...string) {
			t.Helper()
			p := b.get("/admin/lotus/bookings").wantStatus(http.StatusOK)
			for _, id := range []string{"hours", "service", "zoom", "share"} {
				done := false
				for _, w := range want {
					done = done || w == id
				}
				if got := p.count("#setup-" + id + ".done"); got != map[bool]int{true: 1, false: 0}[done] {
					t.Fatalf("%s done: %d, want %v\n%s", id, got, done, p.visible())
				}
			}
		}
		ticked()
		// Staff set nothing up: they see no checklist.
		if _, err := e.app.EnsureMember(context.Background(), "lotus", "staff@lotus.example", "Staff", "a staff member's passphrase", daoyue.RoleStaff); err != nil {
			t.Fatal(err)
		}
		staff := e.browser(t)
		if !staff.signIn("staff@lotus.example", "a staff member's passphrase") {
			t.Fatal("staff cannot sign in")
		}
		staff.get("/admin/lotus/bookings").wantStatus(http.StatusOK).wantCount("#onboarding", 0)
		p := b.get("/admin/lotus/bookings")
		var pid string
		if err := e.db.View(ctx, func(tx daoyue.Tx) error {
			ws, err := tx.WorkspaceBySlug(ctx, "lotus")
			if err != nil {
				return err
			}
			ps, err := tx.ListPractitioners(ctx, ws.ID)
			if err == nil && len(ps) == 1 {
				pid = ps[0].ID
			}
			return err
		}); err != nil || pid == "" {
			t.Fatalf("the first practitioner: %q %v", pid, err)
		}
		// Each item links to where it is done.
		if href := p.attr("#setup-hours a", "href"); !strings.HasPrefix(href, "/admin/lotus/availability?practitioner="+pid) {
			t.Errorf("hours link %q", href)
		}
		b.click(p, "#setup-hours a").wantStatus(http.StatusOK)
		b.click(p, "#setup-service a").wantStatus(http.StatusOK)
		b.click(p, "#setup-zoom a").wantStatus(http.StatusOK).wantText("main", "Zoom")
		p.wantCount(`button[data-copy="booking-link"]`, 1)

		weekly := []daoyue.WeeklyRule{{Weekday: time.Monday, Start: 9 * 60, End: 17 * 60}}
		if _, err := e.app.UpdatePractitioner(ctx, "lotus", pid, app.PractitionerUpdate{Weekly: &weekly}); err != nil {
			t.Fatal(err)
		}
		ticked("hours")
		svc := &daoyue.Service{Name: "一對一瑜珈", DurationMin: 60, SlotStep: 30, MinNoticeMin: 60, HorizonDays: 30, Location: "工作室",
			Price: daoyue.Money{Amount: 1000, Currency: "TWD"}, Confirmation: daoyue.ConfirmAuto, Payment: daoyue.PaymentNone,
			MeetingHost: daoyue.HostAssigned, PractitionerIDs: []string{pid}, Active: true}
		if err := e.app.CreateService(ctx, "lotus", svc); err != nil {
			t.Fatal(err)
		}
		ticked("hours", "service")
		conn := &daoyue.ZoomConnection{ID: daoyue.NewID("zc"), PractitionerID: pid, ZoomUserID: "zu-lotus", AccountLabel: "Mei <mei@lotus.example>",
			Status: daoyue.ConnConnected, CreatedAt: pgNow, UpdatedAt: pgNow, ExpiresAt: pgNow.Add(time.Hour)}
		put := func() {
			t.Helper()
			if err := e.db.Update(ctx, func(tx daoyue.Tx) error {
				ws, err := tx.WorkspaceBySlug(ctx, "lotus")
				if err != nil {
					return err
				}
				conn.WorkspaceID = ws.ID
				return tx.PutZoomConnection(ctx, conn)
			}); err != nil {
				t.Fatal(err)
			}
		}
		put() // connected, not the default yet
		ticked("hours", "service")
		conn.IsDefault = true
		put()
		ticked("hours", "service", "zoom")
		e.book("lotus", svc, pid, pgAt(0, 10, 0), "First Client")
		b.get("/admin/lotus/bookings").wantCount("#onboarding", 0)
	})
}

// Signing up with an address that has an account costs about the same as
// with a new one (the password is hashed either way): the medians of a few
// requests are within the same order of magnitude (a ratio, not a limit).
func TestSignupTiming(t *testing.T) {
	e := newSignupEnv(t, storetest.NewSQLite(t), true)
	e.withMail(t)
	i := 0
	ask := func(email string) func() {
		return func() {
			r := e.browser(t).raw(http.MethodPost, "/signup", signupForm(email, "timing"))
			r.Body.Close()
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("%s: %d", email, r.StatusCode)
			}
			// Start afresh so no limit is what answers.
			i++
			e.app.Now = func() time.Time { return pgNow.Add(time.Duration(i) * 2 * time.Hour) }
		}
	}
	sameOrderOfMagnitude(t, ask("owner@a.example"), ask("nobody@elsewhere.example"))
}

// In English throughout: the form, the email, the link's page and the
// checklist.
func TestSignupInEnglish(t *testing.T) {
	e := newSignupEnv(t, storetest.NewSQLite(t), true)
	mb := e.withMail(t)
	b := e.browser(t)
	b.lang = "en"
	form := b.get("/signup").wantStatus(http.StatusOK)
	form.checkWellFormed("en")
	form.wantText("h1", msg("en", "page.signup.heading"))
	b.submit(form, `form[action="/signup"]`, signupForm("sam@tide.example", "tide")).wantText("#signup-sent", msg("en", "page.signup.sent"))
	msgs := mb.deliver(t)
	if len(msgs) != 1 || msgs[0].Header.Get("Subject") != msg("en", "mail.signup.subject") {
		t.Fatalf("the email: %+v", msgs)
	}
	p := b.get(mb.linkMatching(t, "sam@tide.example", signupLinkRE)).wantStatus(http.StatusOK)
	p.checkWellFormed("en")
	done := b.submit(p, `form[action^="/signup/"]`, nil)
	done.wantText("#onboarding-h", msg("en", "page.onboarding.heading"))
	done.checkWellFormed("en")
}
