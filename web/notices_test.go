package web

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/demo"
	"github.com/daoyue/daoyue/internal/testenv"
	"github.com/daoyue/daoyue/notify/smtptest"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// quietNotices turns the studios' notices off (every member's choices, no
// email on the practitioners' forms), for tests that count the client's
// messages only.
func quietNotices(t *testing.T, db *store.DB, studios ...*demo.Studio) {
	t.Helper()
	ctx := context.Background()
	off := map[daoyue.NoticeKind]bool{}
	for _, k := range daoyue.NoticeKinds {
		off[k] = false
	}
	err := db.Update(ctx, func(tx daoyue.Tx) error {
		for _, st := range studios {
			ms, err := tx.ListMembers(ctx, st.Workspace.ID)
			if err != nil {
				return err
			}
			for _, m := range ms {
				if err := tx.SetNoticePrefs(ctx, m.WorkspaceID, m.UserID, off); err != nil {
					return err
				}
			}
			for _, p := range []*daoyue.Practitioner{st.Lin, st.Chen} {
				p.Email = ""
				if err := tx.UpdatePractitioner(ctx, p); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Each notice goes to the people who get it and no one else, read over
// real SMTP: the owner, the admin, the practitioner member linked to the
// booking's practitioner; not the other practitioner, not another
// studio, not a member who turned it off, not staff (who opt in). Then a
// confirmed booking's reminder goes once, and not after a cancellation.
func TestNoticesAndReminders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		te := testenv.New(t, db, testenv.Options{Start: pgNow})
		te.Serve(New(Config{App: te.App, Store: db, Log: te.Log, BaseURL: te.Front.URL}))
		e := pageEnvOn(t, te)
		mb := e.withMail(t)
		ctx := context.Background()
		for _, m := range []struct {
			email string
			role  daoyue.Role
		}{{"admin@a.example", daoyue.RoleAdmin}, {"quiet@a.example", daoyue.RoleAdmin}, {"staff@a.example", daoyue.RoleStaff},
			{"lin@a.example", daoyue.RoleStaff}, {"chen@a.example", daoyue.RoleStaff}} {
			if _, err := e.app.EnsureMember(ctx, "studio-a", m.email, "", pgPassword, m.role); err != nil {
				t.Fatal(err)
			}
		}
		err := db.Update(ctx, func(tx daoyue.Tx) error {
			for email, pid := range map[string]string{"lin@a.example": e.A.Lin.ID, "chen@a.example": e.A.Chen.ID} {
				u, err := tx.UserByEmail(ctx, email)
				if err != nil {
					return err
				}
				if err := tx.PutMember(ctx, &daoyue.Member{WorkspaceID: e.A.Workspace.ID, UserID: u.ID, Role: daoyue.RolePractitioner,
					PractitionerID: pid, CreatedAt: pgNow}); err != nil {
					return err
				}
			}
			u, err := tx.UserByEmail(ctx, "quiet@a.example")
			if err != nil {
				return err
			}
			return tx.SetNoticePrefs(ctx, e.A.Workspace.ID, u.ID, map[daoyue.NoticeKind]bool{daoyue.NoticeAwaitingAcceptance: false})
		})
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		fresh := func() []*smtptest.Parsed {
			t.Helper()
			all := mb.deliver(t)
			out := all[seen:]
			seen = len(all)
			return out
		}
		recipients := func(subject string) []string {
			t.Helper()
			var out []string
			for _, m := range fresh() {
				if strings.Contains(m.Subject, subject) {
					out = append(out, m.Header.Get("To"))
				}
			}
			slices.Sort(out)
			return out
		}
		want := func(got []string, addrs ...string) {
			t.Helper()
			var w []string
			for _, a := range addrs {
				w = append(w, "<"+a+">")
			}
			slices.Sort(w)
			if strings.Join(got, " ") != strings.Join(w, " ") {
				t.Errorf("to %v, want %v", got, w)
			}
		}

		// A booking of Lin that waits for acceptance.
		bk := e.book("studio-a", e.A.InPerson, e.A.Lin.ID, pgAt(2, 10, 0), "Lee Mei")
		want(recipients("新預約待確認"), "owner@a.example", "admin@a.example", "lin@a.example")
		// Lin's member account is linked: the form's email is not used;
		// the notice links to the booking and carries no manage link.
		// A request of the client: "request received" to the client, the
		// notice to the studio.
		if _, err := e.app.Accept(te.As("owner@a.example"), "studio-a", bk.Booking.ID); err != nil {
			t.Fatal(err)
		}
		fresh()
		if _, err := e.app.RequestCancel(ctx, bk.ManageToken, "不想上了"); err != nil {
			t.Fatal(err)
		}
		msgs := fresh()
		var notice, received int
		for _, m := range msgs {
			switch {
			case strings.Contains(m.Subject, "客人申請變更預約"):
				notice++
				if strings.Contains(m.Text, "/b/") || !strings.Contains(m.Text, "/admin/studio-a/bookings/"+bk.Booking.ID) {
					t.Errorf("notice links:\n%s", m.Text)
				}
			case strings.Contains(m.Subject, "已收到您的申請") && m.Header.Get("To") == "<lee.mei@client.example>":
				received++
			}
		}
		if notice != 4 || received != 1 { // owner, admin, quiet (did not turn this one off), lin
			t.Errorf("%d request notices, %d client messages", notice, received)
		}

		// Chen's booking without a member account for Chen: the form's email.
		err = db.Update(ctx, func(tx daoyue.Tx) error {
			u, err := tx.UserByEmail(ctx, "chen@a.example")
			if err != nil {
				return err
			}
			return tx.DeleteMember(ctx, e.A.Workspace.ID, u.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		e.book("studio-a", e.A.InPerson, e.A.Chen.ID, pgAt(2, 14, 0), "Wang Da")
		want(recipients("新預約待確認"), "owner@a.example", "admin@a.example", e.A.Chen.Email)

		// Reminders: a confirmed online booking gets one at 24 h and at 1 h.
		on := e.book("studio-a", e.A.Online, e.A.Lin.ID, pgAt(3, 10, 0), "Chou Yi")
		fresh()
		e.app.Now = func() time.Time { return pgAt(2, 10, 30) }
		if n, err := e.app.SendReminders(ctx); err != nil || n != 1 {
			t.Fatalf("sent %d reminders, %v", n, err)
		}
		want(recipients("預約提醒"), "chou.yi@client.example")
		if n, _ := e.app.SendReminders(ctx); n != 0 {
			t.Errorf("a second sweep sent %d", n)
		}
		// Cancelled: the 1 h reminder is dropped.
		if _, err := e.app.Cancel(te.As("owner@a.example"), "studio-a", on.Booking.ID, ""); err != nil {
			t.Fatal(err)
		}
		e.app.Now = func() time.Time { return pgAt(3, 9, 30) }
		if n, _ := e.app.SendReminders(ctx); n != 0 {
			t.Errorf("a cancelled booking got %d reminders", n)
		}
	})
}

// The account page shows which notices the member gets in each studio,
// all on for an owner; turning one off stops it.
func TestNoticePreferencesPage(t *testing.T) {
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		mb := e.withMail(t)
		b := e.browser(t)
		b.login("owner@a.example")
		p := b.get("/admin/account").wantStatus(200)
		p.checkWellFormed("zh-TW")
		form := `form.notice-prefs[data-slug="studio-a"]`
		if n := p.count(form + ` input[name=notice]`); n != 6 { // every kind but the agenda
			t.Fatalf("%d notice choices for the owner:\n%s", n, p.HTML)
		}
		if n := p.count(form + ` input[name=notice]:checked`); n != 6 {
			t.Errorf("%d on by default, want all", n)
		}
		p = b.submit(p, form, url.Values{"notice": {"request", "payment"}})
		p.wantStatus(200)
		if n := p.count(form + ` input[name=notice]:checked`); n != 2 {
			t.Errorf("%d on after saving two", n)
		}
		e.book("studio-a", e.A.InPerson, e.A.Lin.ID, pgAt(2, 10, 0), "Lee Mei")
		for _, m := range mb.deliver(t) {
			if strings.Contains(m.Header.Get("To"), "owner@a.example") {
				t.Errorf("the owner turned %q off and got it", m.Subject)
			}
		}
	})
}

// The daily notices: a practitioner's agenda in the morning, once; a Zoom
// connection needing re-authorization, daily (not hourly) until fixed. And
// a reschedule moves the reminders.
func TestDailyNoticesAndMovedReminders(t *testing.T) {
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		mb := e.withMail(t)
		ctx := context.Background()
		seen := 0
		fresh := func() []*smtptest.Parsed {
			t.Helper()
			all := mb.deliver(t)
			out := all[seen:]
			seen = len(all)
			return out
		}
		to := func(subject string) []string {
			t.Helper()
			var out []string
			for _, m := range fresh() {
				if strings.Contains(m.Subject, subject) {
					out = append(out, m.Header.Get("To"))
				}
			}
			slices.Sort(out)
			return out
		}
		var ownerID string
		if err := e.db.View(ctx, func(tx daoyue.Tx) error {
			u, err := tx.UserByEmail(ctx, "owner@a.example")
			if err == nil {
				ownerID = u.ID
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		owner := daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorMember, UserID: ownerID, Label: "owner@a.example"})

		// Lin's bookings today (Monday; it is 08:00 in Taipei) and Thursday.
		e.book("studio-a", e.A.Online, e.A.Lin.ID, pgAt(0, 10, 0), "Chou Yi")
		later := e.book("studio-a", e.A.Online, e.A.Lin.ID, pgAt(3, 10, 0), "Lee Mei")
		fresh()
		if n, err := e.app.DailyNotices(ctx); err != nil || n != 1 {
			t.Fatalf("%d daily notices, %v", n, err)
		}
		// Lin has no member account: the practitioner form's email.
		if got := to("今日預約"); strings.Join(got, " ") != "<"+e.A.Lin.Email+">" {
			t.Errorf("agenda to %v", got)
		}
		if n, _ := e.app.DailyNotices(ctx); n != 0 {
			t.Errorf("the agenda went again: %d", n)
		}

		// Zoom re-authorization: today, not again within the day, again tomorrow.
		err := e.db.Update(ctx, func(tx daoyue.Tx) error {
			return tx.PutZoomConnection(ctx, &daoyue.ZoomConnection{ID: daoyue.NewID("zc"), WorkspaceID: e.A.Workspace.ID,
				PractitionerID: e.A.Chen.ID, ZoomUserID: "zu-chen", Status: daoyue.ConnNeedsReauth, IsDefault: true,
				ExpiresAt: pgNow, CreatedAt: pgNow, UpdatedAt: pgNow})
		})
		if err != nil {
			t.Fatal(err)
		}
		reauth := func(at time.Time) int {
			t.Helper()
			e.app.Now = func() time.Time { return at }
			if _, err := e.app.DailyNotices(ctx); err != nil {
				t.Fatal(err)
			}
			return len(to("Zoom 需要重新連結"))
		}
		if n := reauth(pgAt(0, 9, 0)); n != 2 { // the owner and Chen's form email
			t.Errorf("%d re-authorization notices, want 2", n)
		}
		if n := reauth(pgAt(0, 10, 0)); n != 0 {
			t.Errorf("an hour later: %d more", n)
		}
		if n := reauth(pgAt(1, 9, 0)); n != 2 {
			t.Errorf("the next day: %d, want 2", n)
		}

		// Moved from Thursday 10:00 to 14:00: no reminder at Wednesday 10:30,
		// one at 14:30.
		e.app.Now = func() time.Time { return pgNow }
		if _, err := e.app.Reschedule(owner, "studio-a", later.Booking.ID, pgAt(3, 14, 0)); err != nil {
			t.Fatal(err)
		}
		e.app.Now = func() time.Time { return pgAt(2, 10, 30) }
		if n, _ := e.app.SendReminders(ctx); n != 0 {
			t.Errorf("%d reminders at the old time", n)
		}
		e.app.Now = func() time.Time { return pgAt(2, 14, 30) }
		if n, _ := e.app.SendReminders(ctx); n != 1 {
			t.Errorf("%d reminders at the new time", n)
		}
		if got := to("預約提醒"); len(got) != 1 || got[0] != "<lee.mei@client.example>" {
			t.Errorf("reminder to %v", got)
		}
	})
}

// Payments and expiries reach the studio; a rejected request reaches the
// client with the studio's words.
func TestPaymentExpiryAndRejectionMessages(t *testing.T) {
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		mb := e.withMail(t)
		ctx := context.Background()
		var ownerID string
		if err := e.db.View(ctx, func(tx daoyue.Tx) error {
			u, err := tx.UserByEmail(ctx, "owner@a.example")
			if err == nil {
				ownerID = u.ID
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		owner := daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorMember, UserID: ownerID, Label: "owner@a.example"})
		seen := 0
		subjects := func() map[string][]string {
			t.Helper()
			all := mb.deliver(t)
			out := map[string][]string{}
			for _, m := range all[seen:] {
				out[m.Header.Get("To")] = append(out[m.Header.Get("To")], m.Subject)
			}
			seen = len(all)
			return out
		}
		has := func(got map[string][]string, to, subject string) bool {
			for _, s := range got["<"+to+">"] {
				if strings.Contains(s, subject) {
					return true
				}
			}
			return false
		}

		// Pay first (Chen's service): paid by hand → the payment notice.
		paid := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, pgAt(2, 10, 0), "Lee Mei")
		subjects()
		if _, err := e.app.RecordPayment(owner, "studio-a", paid.Booking.ID, "cash", ""); err != nil {
			t.Fatal(err)
		}
		got := subjects()
		for _, to := range []string{"owner@a.example", e.A.Chen.Email} {
			if !has(got, to, "已收到款項") {
				t.Errorf("no payment notice to %s: %v", to, got)
			}
		}
		if has(got, e.A.Lin.Email, "已收到款項") || has(got, "owner@b.example", "已收到款項") {
			t.Errorf("a payment notice to someone else: %v", got)
		}

		// Unpaid past its deadline → the expiry notice.
		e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, pgAt(2, 14, 0), "Wang Da")
		subjects()
		e.app.Now = func() time.Time { return pgNow.Add(25 * time.Hour) }
		if n, err := e.app.ExpireDue(ctx); err != nil || n != 1 {
			t.Fatalf("expired %d, %v", n, err)
		}
		got = subjects()
		if !has(got, "owner@a.example", "預約逾期未付款") || !has(got, e.A.Chen.Email, "預約逾期未付款") {
			t.Errorf("expiry notices: %v", got)
		}

		// A request rejected with a message: the client reads it.
		v, err := e.app.RequestCancel(ctx, paid.ManageToken, "")
		if err != nil {
			t.Fatal(err)
		}
		subjects()
		if _, err := e.app.RejectRequest(owner, "studio-a", paid.Booking.ID, v.Requests[len(v.Requests)-1].ID, "這週無法取消,請見諒"); err != nil {
			t.Fatal(err)
		}
		all := mb.deliver(t)
		var found bool
		for _, m := range all[seen:] {
			if strings.Contains(m.Subject, "工作室無法接受您的申請") && strings.Contains(m.Text, "這週無法取消,請見諒") &&
				m.Header.Get("To") == "<lee.mei@client.example>" {
				found = true
			}
		}
		if !found {
			t.Error("no rejection message with the studio's words to the client")
		}
	})
}

// A meeting that cannot be made reaches the studio with the fix, once.
func TestMeetingFailedNotice(t *testing.T) {
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		mb := e.withMail(t)
		ctx := context.Background()
		err := e.db.Update(ctx, func(tx daoyue.Tx) error {
			return tx.PutZoomConnection(ctx, &daoyue.ZoomConnection{ID: daoyue.NewID("zc"), WorkspaceID: e.A.Workspace.ID,
				PractitionerID: e.A.Lin.ID, ZoomUserID: "zu-lin", Status: daoyue.ConnNeedsReauth, IsDefault: true,
				ExpiresAt: pgNow, CreatedAt: pgNow, UpdatedAt: pgNow})
		})
		if err != nil {
			t.Fatal(err)
		}
		e.book("studio-a", e.A.Online, e.A.Lin.ID, pgAt(2, 10, 0), "Lee Mei")
		var to []string
		for _, m := range mb.deliver(t) {
			if strings.Contains(m.Subject, "無法建立或更新 Zoom 會議") {
				to = append(to, m.Header.Get("To"))
				if !strings.Contains(m.Text, "重新連結") || strings.Contains(m.Text, "/b/") {
					t.Errorf("the notice lacks the fix, or carries the manage link:\n%s", m.Text)
				}
			}
		}
		slices.Sort(to)
		if strings.Join(to, " ") != "<"+e.A.Lin.Email+"> <owner@a.example>" {
			t.Errorf("meeting failure notices to %v", to)
		}
	})
}

// Erasing a client's data erases the studio's notices that name them.
func TestEraseClientErasesNotices(t *testing.T) {
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		ctx := context.Background()
		e.book("studio-a", e.A.InPerson, e.A.Lin.ID, pgAt(2, 10, 0), "Lee Mei")
		var ownerID string
		if err := e.db.View(ctx, func(tx daoyue.Tx) error {
			u, err := tx.UserByEmail(ctx, "owner@a.example")
			if err == nil {
				ownerID = u.ID
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		owner := daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorMember, UserID: ownerID, Label: "owner@a.example"})
		names := func() int {
			ob, err := e.app.Outbox(owner, "studio-a", "", 200)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, m := range ob.Messages {
				if m.Kind == daoyue.MailNotice && strings.Contains(m.Text+m.Subject, "Lee Mei") {
					n++
				}
			}
			return n
		}
		if n := names(); n != 2 { // the owner, Lin's form email
			t.Fatalf("%d notices name the client before", n)
		}
		if _, err := e.app.EraseClient(owner, "studio-a", "lee.mei@client.example"); err != nil {
			t.Fatal(err)
		}
		if n := names(); n != 0 {
			t.Errorf("%d notices still name the client", n)
		}
	})
}
