package app_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/demo"
	"github.com/daoyue/daoyue/internal/testenv"
	"github.com/daoyue/daoyue/jobs"
	"github.com/daoyue/daoyue/secret"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// The app's rules, tested directly (not through HTTP): what each booking
// change does to the booking, its slot, its messages and its meeting, and
// who may make it.

// monday is Monday 2030-01-07 08:00 in Taipei; bookings are made a day on.
var monday = time.Date(2030, 1, 7, 0, 0, 0, 0, time.UTC)

var taipei, _ = time.LoadLocation("Asia/Taipei")

func at(day, hour int) time.Time { return time.Date(2030, 1, 7+day, hour, 0, 0, 0, taipei) }

type fixture struct {
	t     *testing.T
	env   *testenv.Env
	a     *app.App
	st    *demo.Studio
	owner context.Context
}

func setup(t *testing.T, db *store.DB, zoom bool) *fixture {
	t.Helper()
	o := testenv.Options{Start: monday}
	if zoom {
		o.Zoom = true
		o.Jobs = &jobs.Options{PollInterval: 20 * time.Millisecond, SweepInterval: 200 * time.Millisecond, RetryBase: 50 * time.Millisecond}
	}
	env := testenv.New(t, db, o)
	f := &fixture{t: t, env: env, a: env.App}
	f.st = env.Studio("studio", "甲工作室", "owner@a.example", "owner password 1")
	f.owner = env.As("owner@a.example")
	return f
}

func (f *fixture) book(svc *daoyue.Service, p *daoyue.Practitioner, start time.Time, email string) *app.Booked {
	f.t.Helper()
	b, err := f.a.Book(context.Background(), "studio", app.BookInput{ServiceID: svc.ID, PractitionerID: p.ID, Start: start,
		Client: daoyue.Client{Name: "王小明", Email: email}})
	if err != nil {
		f.t.Fatalf("book %v: %v", start, err)
	}
	return b
}

func (f *fixture) status(id string) daoyue.Status {
	f.t.Helper()
	d, err := f.a.Booking(f.owner, "studio", id)
	if err != nil {
		f.t.Fatal(err)
	}
	return d.Booking.Status
}

// mails lists the client's messages about booking id, oldest first (the
// studio's notices aside: see web/notices_test.go).
func (f *fixture) mails(id string) []daoyue.MailKind {
	f.t.Helper()
	ob, err := f.a.Outbox(f.owner, "studio", "", 200)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []daoyue.MailKind
	for i := len(ob.Messages) - 1; i >= 0; i-- {
		if ob.Messages[i].BookingID == id && ob.Messages[i].Kind != daoyue.MailNotice {
			out = append(out, ob.Messages[i].Kind)
		}
	}
	return out
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if !daoyue.IsCode(err, code) {
		t.Fatalf("got %v, want %s", err, code)
	}
}

func TestAcceptAndDecline(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db, false)
		bk := f.book(f.st.InPerson, f.st.Lin, at(2, 10), "a@example.com")
		if bk.Booking.Status != daoyue.StatusPending {
			t.Fatalf("a manual-confirm booking starts %s", bk.Booking.Status)
		}
		d, err := f.a.Accept(f.owner, "studio", bk.Booking.ID)
		if err != nil || d.Booking.Status != daoyue.StatusConfirmed {
			t.Fatalf("accept: %v %v", err, d)
		}
		_, err = f.a.Accept(f.owner, "studio", bk.Booking.ID)
		wantCode(t, err, daoyue.ETRANSITION)
		if got := f.mails(bk.Booking.ID); len(got) != 2 || got[0] != daoyue.MailReceived || got[1] != daoyue.MailConfirmed {
			t.Errorf("emails: %v", got)
		}

		// Declining frees the slot for someone else.
		other := f.book(f.st.InPerson, f.st.Lin, at(3, 10), "b@example.com")
		if _, err := f.a.Decline(f.owner, "studio", other.Booking.ID, "full"); err != nil {
			t.Fatal(err)
		}
		if f.status(other.Booking.ID) != daoyue.StatusDeclined {
			t.Fatal("not declined")
		}
		f.book(f.st.InPerson, f.st.Lin, at(3, 10), "c@example.com")
		_, err = f.a.Decline(f.owner, "studio", other.Booking.ID, "again")
		wantCode(t, err, daoyue.ETRANSITION)

		// A pay-first service's booking waits for payment once accepted.
		pay := f.book(f.st.PayFirst, f.st.Chen, at(2, 14), "d@example.com")
		if pay.Booking.Status != daoyue.StatusAwaitingPayment {
			t.Fatalf("pay-first: %s", pay.Booking.Status)
		}
	})
}

func TestCancelAndReschedule(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db, false)
		bk := f.book(f.st.Online, f.st.Lin, at(2, 10), "a@example.com")
		taken := f.book(f.st.Online, f.st.Lin, at(2, 14), "b@example.com")

		// Moving onto a taken time changes nothing.
		_, err := f.a.Reschedule(f.owner, "studio", bk.Booking.ID, at(2, 14))
		wantCode(t, err, daoyue.ESLOT)
		d, err := f.a.Booking(f.owner, "studio", bk.Booking.ID)
		if err != nil || !d.Booking.Start.Equal(at(2, 10)) {
			t.Fatalf("after a refused move: %v %v", err, d.Booking.Start)
		}
		if d, err = f.a.Reschedule(f.owner, "studio", bk.Booking.ID, at(3, 11)); err != nil || !d.Booking.Start.Equal(at(3, 11)) {
			t.Fatalf("move: %v", err)
		}
		// The old time is free again.
		f.book(f.st.Online, f.st.Lin, at(2, 10), "c@example.com")

		if _, err := f.a.Cancel(f.owner, "studio", taken.Booking.ID, "ill"); err != nil {
			t.Fatal(err)
		}
		if f.status(taken.Booking.ID) != daoyue.StatusCancelled {
			t.Fatal("not cancelled")
		}
		got := f.mails(taken.Booking.ID)
		if len(got) == 0 || got[len(got)-1] != daoyue.MailCancelled {
			t.Errorf("emails: %v", got)
		}
		f.book(f.st.Online, f.st.Lin, at(2, 14), "d@example.com")
		_, err = f.a.Cancel(f.owner, "studio", taken.Booking.ID, "twice")
		wantCode(t, err, daoyue.ETRANSITION)
	})
}

func TestRequestApproval(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db, false)
		bk := f.book(f.st.Online, f.st.Lin, at(2, 10), "a@example.com")
		ctx := context.Background()
		if _, err := f.a.RequestReschedule(ctx, bk.ManageToken, at(4, 15)); err != nil {
			t.Fatal(err)
		}
		// The requested time is held: nobody else can take it.
		_, err := f.a.Book(ctx, "studio", app.BookInput{ServiceID: f.st.Online.ID, PractitionerID: f.st.Lin.ID, Start: at(4, 15),
			Client: daoyue.Client{Name: "X", Email: "x@example.com"}})
		wantCode(t, err, daoyue.ESLOT)
		d, err := f.a.Booking(f.owner, "studio", bk.Booking.ID)
		if err != nil || d.OpenRequest() == nil {
			t.Fatalf("the request: %v", err)
		}
		if d, err = f.a.ApproveRequest(f.owner, "studio", bk.Booking.ID, d.OpenRequest().ID); err != nil || !d.Booking.Start.Equal(at(4, 15)) {
			t.Fatalf("approve: %v", err)
		}

		// A rejected cancel request leaves the booking as it was.
		if _, err := f.a.RequestCancel(ctx, bk.ManageToken, "busy"); err != nil {
			t.Fatal(err)
		}
		d, _ = f.a.Booking(f.owner, "studio", bk.Booking.ID)
		if d, err = f.a.RejectRequest(f.owner, "studio", bk.Booking.ID, d.OpenRequest().ID, "please come"); err != nil || d.Booking.Status != daoyue.StatusConfirmed {
			t.Fatalf("reject: %v %v", err, d.Booking.Status)
		}
	})
}

func TestExpiry(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db, false)
		bk := f.book(f.st.PayFirst, f.st.Chen, at(2, 14), "a@example.com")
		if n, err := f.a.ExpireDue(context.Background()); err != nil || n != 0 {
			t.Fatalf("expired before the deadline: %d %v", n, err)
		}
		f.env.Clock.Advance(bk.Booking.PaymentDueAt.Sub(monday) + time.Minute)
		if n, err := f.a.ExpireDue(context.Background()); err != nil || n != 1 {
			t.Fatalf("expire: %d %v", n, err)
		}
		if f.status(bk.Booking.ID) != daoyue.StatusExpired {
			t.Fatal("not expired")
		}
		got := f.mails(bk.Booking.ID)
		if got[len(got)-1] != daoyue.MailExpired {
			t.Errorf("emails: %v", got)
		}
		f.book(f.st.PayFirst, f.st.Chen, at(2, 14), "b@example.com") // the slot is free again
	})
}

// Removing the app in the Zoom Marketplace: the host's tokens go at once,
// and the meeting details of its bookings are purged; the bookings stay.
func TestDeauthorization(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db, true)
		users := f.env.Sim.Users()
		authURL, err := f.a.ConnectZoom(f.owner, "studio", f.st.Lin.ID)
		if err != nil {
			t.Fatal(err)
		}
		back, err := f.env.Sim.Consent(context.Background(), authURL, users[0].ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.a.CompleteZoom(f.owner, back.Query().Get("state"), back.Query().Get("code")); err != nil {
			t.Fatal(err)
		}
		if _, err := f.a.SetZoomDefault(f.owner, "studio", f.st.Lin.ID); err != nil {
			t.Fatal(err)
		}
		bk := f.book(f.st.Online, f.st.Lin, at(2, 10), "a@example.com")
		deadline := time.Now().Add(15 * time.Second)
		for {
			d, err := f.a.Booking(f.owner, "studio", bk.Booking.ID)
			if err != nil {
				t.Fatal(err)
			}
			if d.Booking.Meeting.ShowDetails() {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no meeting: %+v", d.Booking.Meeting)
			}
			time.Sleep(20 * time.Millisecond)
		}
		if err := f.a.ZoomDeauthorized(context.Background(), "event-1", users[0].ID); err != nil {
			t.Fatal(err)
		}
		d, err := f.a.Booking(f.owner, "studio", bk.Booking.ID)
		if err != nil {
			t.Fatal(err)
		}
		m := d.Booking.Meeting
		if m.Status != daoyue.MeetingPurged || m.JoinURL != "" || m.Passcode != "" || m.ZoomID != 0 || d.Booking.Status != daoyue.StatusConfirmed {
			t.Fatalf("after deauthorization: %s %+v", d.Booking.Status, m)
		}
		sts, err := f.a.ZoomConnections(f.owner, "studio")
		if err != nil {
			t.Fatal(err)
		}
		if st := sts[f.st.Lin.ID]; st.Status == "connected" {
			t.Errorf("Lin is still connected: %+v", st)
		}
	})
}

// Who may: staff run bookings; a practitioner member only their own.
func TestBookingAccess(t *testing.T) {
	t.Parallel()
	f := setup(t, storetest.NewSQLite(t), false)
	ctx := context.Background()
	if _, err := f.a.EnsureMember(ctx, "studio", "staff@a.example", "", "staff password 1", daoyue.RoleStaff); err != nil {
		t.Fatal(err)
	}
	bk := f.book(f.st.InPerson, f.st.Chen, at(2, 10), "a@example.com")
	if _, err := f.a.Accept(f.env.As("staff@a.example"), "studio", bk.Booking.ID); err != nil {
		t.Fatalf("staff accept: %v", err)
	}
	_, err := f.a.Cancel(context.Background(), "studio", bk.Booking.ID, "")
	wantCode(t, err, daoyue.EUNAUTHENTICATED)
}

// Two-factor secrets survive a key rotation: `keys reencrypt` re-seals
// them, and after the old key is gone the authenticator still signs in.
func TestTwoFactorSecretAfterKeyRotation(t *testing.T) {
	t.Parallel()
	f := setup(t, storetest.NewSQLite(t), false)
	owner := f.owner
	keyring := func(spec string) *secret.Keyring {
		k, err := secret.Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	k1, k2 := secret.NewSpec("k1"), secret.NewSpec("k2")
	f.a.Keys = keyring(k1)
	setupKey, err := f.a.BeginTwoFactor(owner)
	if err != nil {
		t.Fatal(err)
	}
	now := f.a.Now()
	code, _ := totp.GenerateCode(setupKey.Secret, now)
	if _, err := f.a.ConfirmTwoFactor(owner, code); err != nil {
		t.Fatal(err)
	}
	f.a.Keys = keyring(k2 + "," + k1)
	if n, err := f.a.ReencryptSecrets(context.Background()); err != nil || n != 1 {
		t.Fatalf("re-encrypted %d: %v", n, err)
	}
	f.a.Keys = keyring(k2)
	f.env.Clock.Advance(time.Minute)
	_, _, err = f.a.Login(context.Background(), "owner@a.example", "owner password 1", "session", "127.0.0.1")
	var second *app.SecondFactorNeeded
	if !errors.As(err, &second) {
		t.Fatalf("login: %v", err)
	}
	code, _ = totp.GenerateCode(setupKey.Secret, f.a.Now())
	if _, _, err := f.a.CompleteSignIn(context.Background(), second.Challenge, code, "session"); err != nil {
		t.Fatalf("after the rotation: %v", err)
	}
}

// Development mode's limits are the production ones, ten times looser.
func TestDevelopmentLimits(t *testing.T) {
	d, p := app.DevelopmentLimits, app.DefaultLimits
	if d.BookingsPerAddress.Free != 10*p.BookingsPerAddress.Free || d.BookingsPerEmail.Free != 10*p.BookingsPerEmail.Free ||
		d.BookingsPerWorkspace.Free != 10*p.BookingsPerWorkspace.Free || p.BookingsPerAddress.Free != 10 {
		t.Fatalf("development %+v, production %+v", d, p)
	}
}

// lostMembership is a store whose reads of a membership fail as when
// PostgreSQL goes away mid-transaction.
type lostMembership struct{ daoyue.Store }

func (s lostMembership) View(ctx context.Context, fn func(daoyue.Tx) error) error {
	return s.Store.View(ctx, func(tx daoyue.Tx) error { return fn(lostMemberTx{tx}) })
}

func (s lostMembership) Update(ctx context.Context, fn func(daoyue.Tx) error) error {
	return s.Store.Update(ctx, func(tx daoyue.Tx) error { return fn(lostMemberTx{tx}) })
}

type lostMemberTx struct{ daoyue.Tx }

func (lostMemberTx) Member(context.Context, string, string) (*daoyue.Member, error) {
	return nil, &daoyue.Error{Code: daoyue.EUNAVAILABLE, Key: "error.database_unavailable", Err: errors.New("unexpected EOF")}
}

// A member whose membership cannot be read because the database went away
// is told the database is unavailable (503), not that the studio or the
// booking does not exist (404): the fault test with PostgreSQL crashed
// mid-load read "not found" for a booking it had just made.
func TestMembershipReadFailureIsNotNotFound(t *testing.T) {
	t.Parallel()
	f := setup(t, storetest.NewSQLite(t), false)
	bk := f.book(f.st.InPerson, f.st.Chen, at(2, 10), "a@example.com")
	owner := f.owner
	if _, err := f.a.Booking(owner, "studio", bk.Booking.ID); err != nil {
		t.Fatalf("booking through the working store: %v", err)
	}
	broken := app.New(lostMembership{f.a.Store}, f.a.Log)
	_, err := broken.Booking(owner, "studio", bk.Booking.ID)
	wantCode(t, err, daoyue.EUNAVAILABLE)
	_, err = broken.Accept(owner, "studio", bk.Booking.ID)
	wantCode(t, err, daoyue.EUNAVAILABLE)
}
