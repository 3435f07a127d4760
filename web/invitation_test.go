package web

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/notify"
	"github.com/daoyue/daoyue/notify/smtptest"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// Invitations, read from a real SMTP server: the messages the app queues
// in its outbox are claimed and delivered through the app's own ClaimMail,
// DeliverMail and RecordMailSent, as the outbox's sender would; account
// mail jobs are recorded and delivered through DeliverAccountMail.

type testMailbox struct {
	e       *pageEnv
	srv     *smtptest.Server
	mu      sync.Mutex
	account []daoyue.AccountMailJob
}

func (e *pageEnv) withMail(t *testing.T) *testMailbox {
	t.Helper()
	mb := &testMailbox{e: e, srv: smtptest.NewServer(t, smtptest.Options{})}
	sender, err := notify.NewSMTP(mb.srv.URL(), "DaoYue <no-reply@daoyue.test>")
	if err != nil {
		t.Fatal(err)
	}
	e.app.Mail = app.Mail{BaseURL: e.ts.URL, From: sender.From(), Sender: sender}
	e.db.SetEnqueuer(func(_ context.Context, _ *sql.Tx, job daoyue.Job) error {
		mb.mu.Lock()
		defer mb.mu.Unlock()
		if j, ok := job.(daoyue.AccountMailJob); ok {
			mb.account = append(mb.account, j)
		}
		return nil
	})
	return mb
}

// deliver sends every queued message and returns what arrived, parsed.
func (mb *testMailbox) deliver(t *testing.T) []*smtptest.Parsed {
	t.Helper()
	mb.mu.Lock()
	account := mb.account
	mb.account = nil
	mb.mu.Unlock()
	claims, err := mb.e.app.ClaimMail(context.Background(), 1000, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	var sent []*app.ClaimedMail
	for _, c := range claims {
		ok, err := mb.e.app.DeliverMail(context.Background(), c, true, 0)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			sent = append(sent, c)
		}
	}
	if err := mb.e.app.RecordMailSent(context.Background(), sent); err != nil {
		t.Fatal(err)
	}
	for _, j := range account {
		if err := mb.e.app.DeliverAccountMail(context.Background(), j); err != nil {
			t.Fatal(err)
		}
	}
	var out []*smtptest.Parsed
	for _, r := range mb.srv.Messages() {
		out = append(out, r.Parse(t))
	}
	return out
}

var inviteLinkRE = regexp.MustCompile(`https?://[^\s"<>]+/invite/[a-z0-9]+`)

// link returns the invitation link of the newest email to `to`, as a path.
func (mb *testMailbox) link(t *testing.T, to string) string {
	t.Helper()
	return mb.linkMatching(t, to, inviteLinkRE)
}

// linkMatching returns the link re finds in the newest email to `to`, as
// a path; the text and HTML parts must carry the same one.
func (mb *testMailbox) linkMatching(t *testing.T, to string, re *regexp.Regexp) string {
	t.Helper()
	inviteLinkRE := re
	msgs := mb.deliver(t)
	for i := len(msgs) - 1; i >= 0; i-- {
		if !strings.Contains(msgs[i].Header.Get("To"), to) {
			continue
		}
		l := inviteLinkRE.FindString(msgs[i].Text)
		if l == "" {
			t.Fatalf("no invitation link in the email to %s:\n%s", to, msgs[i].Text)
		}
		if html := inviteLinkRE.FindString(msgs[i].HTML); html != l {
			t.Errorf("HTML link %q, text link %q", html, l)
		}
		u, _ := url.Parse(l)
		return u.Path
	}
	t.Fatalf("no email to %s", to)
	return ""
}

// signIn posts the sign-in form with a password and reports whether it
// signed in.
func (b *browser) signIn(email, password string) bool {
	b.t.Helper()
	p := b.post("/admin/login", url.Values{"email": {email}, "password": {password}})
	return p.Status == http.StatusOK && strings.HasPrefix(p.URL, "/admin/") && !strings.HasPrefix(p.URL, "/admin/login")
}

// The cross-studio takeover of the accounts issue, step by step: studio A
// "adds" amy@b.example with a password of A's choosing; studio B later adds
// Amy; A's password must not open B's backend (nor anything else).
func TestInvitationNoCrossStudioTakeover(t *testing.T) {
	eachPageStore(t, func(t *testing.T, e *pageEnv) {
		mb := e.withMail(t)
		const chosenByA = "chosen by studio A"
		a := e.browser(t)
		a.login("owner@a.example")
		// The old form's fields: a password for somebody else is not taken.
		added := a.post("/admin/studio-a/members", url.Values{"email": {"amy@b.example"}, "name": {"Amy"}, "password": {chosenByA}, "role": {"admin"}})
		added.wantText(".flash-ok", msg("zh-TW", "flash.invitation_sent"))
		added.wantText("#invitations", "amy@b.example")
		if a2 := e.browser(t); a2.signIn("amy@b.example", chosenByA) {
			t.Fatal("A's chosen password signs in")
		}

		b := e.browser(t)
		b.login("owner@b.example")
		b.post("/admin/studio-b/members", url.Values{"email": {"amy@b.example"}, "password": {"chosen by studio B"}, "role": {"admin"}}).
			wantText(".flash-ok", msg("zh-TW", "flash.invitation_sent"))

		// Amy reads B's email and joins with her own password.
		amy := e.browser(t)
		inv := amy.get(mb.link(t, "amy@b.example")).wantStatus(http.StatusOK)
		inv.wantText("h1", "乙工作室")
		joined := amy.submit(inv, `form[action^="/invite/"]`, url.Values{"name": {"Amy"}, "password": {"amy's very own password"}})
		if !strings.HasPrefix(joined.URL, "/admin/studio-b/bookings") {
			t.Fatalf("joined: landed on %s", joined.URL)
		}
		joined.wantText(".flash-ok", msg("zh-TW", "flash.invitation_accepted"))

		// A's password opens nothing, and A's backend never had Amy.
		attacker := e.browser(t)
		if attacker.signIn("amy@b.example", chosenByA) {
			t.Fatal("A's chosen password signs in to Amy's account")
		}
		if r := attacker.get("/admin/studio-b/bookings"); !strings.HasPrefix(r.URL, "/admin/login") {
			t.Fatalf("B's bookings without Amy's password: %s", r.URL)
		}
		a.get("/admin/studio-a/members").wantText("#invitations", "amy@b.example") // still only invited
		if !e.browser(t).signIn("amy@b.example", "amy's very own password") {
			t.Fatal("Amy's own password does not sign in")
		}
		// A's outbox shows the invitation without its link's secret.
		ob := a.get("/admin/studio-a/outbox").wantStatus(http.StatusOK)
		if strings.Contains(ob.HTML, "/invite/") && !strings.Contains(ob.HTML, "/invite/"+notify.MaskedToken) {
			t.Fatalf("A's outbox shows an invitation link:\n%s", ob.visible())
		}
	})
}

// Nothing a studio does tells it whether an email has an account
// elsewhere: inviting B's owner and an unknown address answer alike.
func TestInvitationRevealsNoAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		shape := func(r *apiResp) string {
			m := r.m(t)
			delete(m, "id")
			delete(m, "email")
			return r.header.Get("Content-Type") + " " + strings.Join(keysOf(m), ",") + " " + m["role"].(string) + " " + m["status"].(string) + " " + m["expires_at"].(string)
		}
		known := e.do("POST", "/api/v1/workspaces/studio-a/invitations", e.tokA, map[string]any{"email": "owner@b.example", "role": "owner"})
		unknown := e.do("POST", "/api/v1/workspaces/studio-a/invitations", e.tokA, map[string]any{"email": "nobody@elsewhere.example", "role": "owner"})
		if known.status != 201 || unknown.status != 201 || shape(known) != shape(unknown) {
			t.Fatalf("known %d %s\nunknown %d %s", known.status, known.body, unknown.status, unknown.body)
		}
		// B's owner is not A's member until she accepts.
		var l struct{ Members []memberJSON }
		e.must(200, "GET", "/api/v1/workspaces/studio-a/members", e.tokA, nil).decode(t, &l)
		if len(l.Members) != 1 {
			t.Fatalf("members after inviting: %+v", l.Members)
		}
		if r := e.do("GET", "/api/v1/workspaces/studio-a", e.tokB, nil); r.status != 404 {
			t.Fatalf("B's owner reads A before accepting: %d", r.status)
		}
	})
}

func keysOf(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// The link: single use, expiring, revocable, replaced by a resend, and
// only for the account it was sent to.
func TestInvitationLinks(t *testing.T) {
	eachPageStore(t, func(t *testing.T, e *pageEnv) {
		mb := e.withMail(t)
		owner := e.browser(t)
		owner.login("owner@a.example")
		invite := func(email, role string) string {
			t.Helper()
			owner.post("/admin/studio-a/members", url.Values{"email": {email}, "role": {role}}).wantText(".flash-ok", msg("zh-TW", "flash.invitation_sent"))
			return mb.link(t, email)
		}
		gone := func(path string) {
			t.Helper()
			p := e.browser(t).get(path)
			p.wantStatus(http.StatusNotFound)
			p.wantText("main", msg("zh-TW", "error.invitation_gone"))
		}

		// A new person: a short password changes nothing; then joins once.
		link := invite("new@a.example", "staff")
		p := e.browser(t)
		short := p.submit(p.get(link), `form[action^="/invite/"]`, url.Values{"name": {"新人"}, "password": {"short"}})
		short.wantStatus(http.StatusUnprocessableEntity)
		short.wantText("#e-password", msg("zh-TW", "error.password_short"))
		if e.browser(t).signIn("new@a.example", "short") {
			t.Fatal("an account was made from a refused form")
		}
		joined := p.submit(p.get(link), `form[action^="/invite/"]`, url.Values{"name": {"新人"}, "password": {"a good long password"}})
		if !strings.HasPrefix(joined.URL, "/admin/studio-a/bookings") {
			t.Fatalf("joined: %s", joined.URL)
		}
		owner.get("/admin/studio-a/members").wantText("tr:contains('new@a.example')", "工作人員")
		gone(link) // used

		// Expired.
		link = invite("late@a.example", "staff")
		now := pgNow
		e.app.Now = func() time.Time { return now.Add(daoyue.InvitationTTL + time.Minute) }
		gone(link)
		later := e.browser(t) // a week on, the owner signs in again (sessions end when idle)
		later.login("owner@a.example")
		later.get("/admin/studio-a/members").wantText("#invitations", msg("zh-TW", "invitation.expired"))
		e.app.Now = func() time.Time { return pgNow }

		// Resent: the old link stops, the new one works.
		old := invite("again@a.example", "staff")
		members := owner.get("/admin/studio-a/members")
		owner.submit(members, `tr:contains('again@a.example') form[action$="/resend"]`, nil).wantText(".flash-ok", msg("zh-TW", "flash.invitation_sent"))
		fresh := mb.link(t, "again@a.example")
		if fresh == old {
			t.Fatal("resend kept the link")
		}
		gone(old)
		e.browser(t).get(fresh).wantStatus(http.StatusOK)

		// Revoked.
		members = owner.get("/admin/studio-a/members")
		owner.submit(members, `tr:contains('again@a.example') form[action$="/revoke"]`, nil).wantText(".flash-ok", msg("zh-TW", "flash.invitation_revoked"))
		gone(fresh)

		// An existing account must sign in as itself to accept.
		link = invite("owner@b.example", "admin")
		other := e.browser(t)
		other.login("owner@a.example")
		page := other.get(link).wantStatus(http.StatusOK)
		page.wantText("#invite-other", "owner@b.example")
		refused := other.post(link, nil)
		refused.wantStatus(http.StatusForbidden)
		if r := e.browser(t).post(link, url.Values{"name": {"x"}, "password": {"an attempt at a password"}}); r.Status != http.StatusUnauthorized {
			t.Fatalf("accepting for an existing account without signing in: %d", r.Status)
		}
		bOwner := e.browser(t)
		signIn := bOwner.get(link)
		login := bOwner.click(signIn, `a[href^="/admin/login"]`)
		back := bOwner.submit(login, `form[action="/admin/login"]`, url.Values{"email": {"owner@b.example"}, "password": {pgPassword}})
		if back.URL != link {
			t.Fatalf("sign-in did not come back to the invitation: %s", back.URL)
		}
		done := bOwner.submit(back, `form[action^="/invite/"]`, nil)
		if !strings.HasPrefix(done.URL, "/admin/studio-a/bookings") {
			t.Fatalf("accepted: %s", done.URL)
		}
		gone(link)
	})
}

// Who may invite: staff may not; an admin may not invite an owner; another
// studio reaches nothing of this one's invitations.
func TestInvitationRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		ctx := context.Background()
		for _, m := range []struct {
			email string
			role  daoyue.Role
		}{{"staff@a.example", daoyue.RoleStaff}, {"admin@a.example", daoyue.RoleAdmin}} {
			if _, err := e.app.EnsureMember(ctx, "studio-a", m.email, "", apiPassword, m.role); err != nil {
				t.Fatal(err)
			}
		}
		staff, admin := e.token("staff@a.example"), e.token("admin@a.example")
		ws := "/api/v1/workspaces/studio-a/invitations"
		if r := e.do("POST", ws, staff, map[string]any{"email": "x@a.example", "role": "staff"}); r.status != 403 {
			t.Errorf("staff invites: %d %s", r.status, r.body)
		}
		if r := e.do("POST", ws, admin, map[string]any{"email": "x@a.example", "role": "owner"}); r.status != 403 {
			t.Errorf("admin invites an owner: %d %s", r.status, r.body)
		}
		var ownerInv, staffInv invitationJSON
		e.must(201, "POST", ws, e.tokA, map[string]any{"email": "boss@a.example", "role": "owner"}).decode(t, &ownerInv)
		e.must(201, "POST", ws, admin, map[string]any{"email": "helper@a.example", "role": "staff"}).decode(t, &staffInv)
		if r := e.do("DELETE", ws+"/"+ownerInv.ID, admin, nil); r.status != 403 {
			t.Errorf("admin revokes an owner's invitation: %d", r.status)
		}
		for _, tok := range []string{staff, e.tokB} {
			if r := e.do("POST", ws+"/"+staffInv.ID+"/resend", tok, nil); r.status != 403 && r.status != 404 {
				t.Errorf("resend by %s: %d", tok[:4], r.status)
			}
			if r := e.do("DELETE", ws+"/"+staffInv.ID, tok, nil); r.status != 403 && r.status != 404 {
				t.Errorf("revoke by %s: %d", tok[:4], r.status)
			}
		}
		var l struct{ Invitations []invitationJSON }
		e.must(200, "GET", ws, staff, nil).decode(t, &l)
		if len(l.Invitations) != 2 {
			t.Fatalf("invitations: %+v", l.Invitations)
		}
		e.must(200, "POST", ws+"/"+staffInv.ID+"/resend", admin, nil)
		e.must(204, "DELETE", ws+"/"+staffInv.ID, admin, nil)
		if r := e.do("DELETE", ws+"/"+staffInv.ID, admin, nil); r.status != 404 {
			t.Errorf("revoked twice: %d", r.status)
		}
	})
}
