package jobs_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/demo"
	"github.com/daoyue/daoyue/internal/testenv"
	"github.com/daoyue/daoyue/jobs"
	"github.com/daoyue/daoyue/secret"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
	"github.com/daoyue/daoyue/zoom"
	"github.com/daoyue/daoyue/zoom/zoomsim"
)

// t0 is Tuesday 1 December 2026, 08:00 in Taipei.
var t0 = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// taipei returns 2 December 2026 (a Wednesday) at hh:mm in Taipei.
func taipei(hh, mm int) time.Time { return taipeiOn(2, hh, mm) }

// taipeiOn returns day December 2026 at hh:mm in Taipei.
func taipeiOn(day, hh, mm int) time.Time {
	loc, _ := time.LoadLocation("Asia/Taipei")
	return time.Date(2026, 12, day, hh, mm, 0, 0, loc)
}

// openRequest returns the client's open request of a booking.
func openRequest(t *testing.T, v *app.ClientView) string {
	t.Helper()
	for _, r := range v.Requests {
		if r.Status == daoyue.RequestOpen {
			return r.ID
		}
	}
	t.Fatal("no open request")
	return ""
}

type fixture struct {
	t     *testing.T
	env   *testenv.Env
	db    *store.DB
	clock *zoomsim.Clock
	sim   *zoomsim.Sim
	keys  *secret.Keyring
	a     *app.App
	run   *jobs.Runner // f.a's job runner
	st    *demo.Studio
	owner context.Context
	zlin  zoomsim.User        // Lin's Zoom account
	zchen zoomsim.User        // Chen's Zoom account
	logs  *testenv.SyncBuffer // everything every instance logged
}

// newApp is one more DaoYue instance: an App and its River runner on db.
func (f *fixture) newApp() *app.App { return f.env.NewApp() }

func setup(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	return setupWith(t, db, nil)
}

// setupWith is setup with the runner reporting to observer.
func setupWith(t *testing.T, db *store.DB, observer jobs.Observer) *fixture {
	t.Helper()
	e := testenv.New(t, db, testenv.Options{Start: t0, Zoom: true,
		Jobs: &jobs.Options{PollInterval: 20 * time.Millisecond, SweepInterval: 200 * time.Millisecond, RetryBase: 50 * time.Millisecond,
			StuckAfter: time.Second, Observer: observer}})
	f := &fixture{t: t, env: e, db: db, clock: e.Clock, sim: e.Sim, keys: e.Keys, a: e.App, run: e.Runner, zlin: e.ZoomLin, zchen: e.ZoomChen, logs: e.Logs}
	f.st = e.Studio("studio", "測試工作室", "owner@studio.test", "correct-horse-1")
	f.owner = e.As("owner@studio.test")
	quietStudio(t, f)
	return f
}

// connect runs the whole consent flow for practitioner p with Zoom user zu
// and sets Zoom as p's default tool.
func (f *fixture) connect(p *daoyue.Practitioner, zu zoomsim.User) {
	f.t.Helper()
	authURL, err := f.a.ConnectZoom(f.owner, "studio", p.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	back, err := f.sim.Consent(context.Background(), authURL, zu.ID, true)
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.a.CompleteZoom(f.owner, back.Query().Get("state"), back.Query().Get("code")); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.a.SetZoomDefault(f.owner, "studio", p.ID); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) book(svc *daoyue.Service, p *daoyue.Practitioner, start time.Time) *app.Booked {
	f.t.Helper()
	b, err := f.a.Book(context.Background(), "studio", app.BookInput{ServiceID: svc.ID, PractitionerID: p.ID, Start: start,
		Client: daoyue.Client{Name: "王小明", Email: "ming@example.com"}})
	if err != nil {
		f.t.Fatalf("book %v: %v", start, err)
	}
	return b
}

// wait polls the booking until cond holds; the meeting sync is asynchronous.
func (f *fixture) wait(id string, what string, cond func(*daoyue.Booking) bool) *daoyue.Booking {
	f.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		d, err := f.a.Booking(f.owner, "studio", id)
		if err != nil {
			f.t.Fatal(err)
		}
		if cond(d.Booking) {
			return d.Booking
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("booking %s: waited for %s; meeting is %+v", id, what, d.Booking.Meeting)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func created(b *daoyue.Booking) bool { return b.Meeting.Status == daoyue.MeetingCreated }

// settle waits until no sync is queued: every meeting version synced.
func (f *fixture) settle(ids ...string) {
	f.t.Helper()
	for _, id := range ids {
		f.wait(id, "the sync to settle", func(b *daoyue.Booking) bool {
			return b.Meeting.SyncedVersion >= b.Meeting.Version && b.Meeting.Status != daoyue.MeetingPending
		})
	}
}

// checkMeetings asserts Zoom holds exactly the meetings these bookings
// should have: one per booking that wants one, at its time, and no others.
func (f *fixture) checkMeetings(zu zoomsim.User, bookingIDs ...string) {
	f.t.Helper()
	want := map[int64]*daoyue.Booking{}
	for _, id := range bookingIDs {
		d, err := f.a.Booking(f.owner, "studio", id)
		if err != nil {
			f.t.Fatal(err)
		}
		b := d.Booking
		if b.Status == daoyue.StatusConfirmed {
			if !b.Meeting.ShowDetails() {
				f.t.Errorf("booking %s is confirmed but its meeting is %s (%s)", id, b.Meeting.Status, b.Meeting.Reason)
				continue
			}
			want[b.Meeting.ZoomID] = b
		} else if b.Meeting.Has() {
			f.t.Errorf("booking %s is %s but keeps meeting %d", id, b.Status, b.Meeting.ZoomID)
		}
	}
	got := f.sim.Meetings(zu.ID)
	if len(got) != len(want) {
		f.t.Errorf("Zoom holds %d meetings, want %d: %+v", len(got), len(want), got)
	}
	for _, m := range got {
		b, ok := want[m.ID]
		if !ok {
			f.t.Errorf("orphan meeting %d in Zoom", m.ID)
			continue
		}
		if !m.Start.Equal(b.Start) || m.Duration != int(b.End.Sub(b.Start).Minutes()) {
			f.t.Errorf("meeting %d at %v for %d min; booking at %v for %v", m.ID, m.Start, m.Duration, b.Start, b.End.Sub(b.Start))
		}
	}
}

func TestMeetingFollowsItsBooking(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.connect(f.st.Lin, f.zlin)
		bk := f.book(f.st.Online, f.st.Lin, taipei(10, 0))
		b := f.wait(bk.Booking.ID, "a meeting", created)
		m, ok := f.sim.Meeting(b.Meeting.ZoomID)
		if !ok {
			t.Fatalf("meeting %d not in Zoom", b.Meeting.ZoomID)
		}
		if !m.Start.Equal(taipei(10, 0)) || m.Duration != 60 || m.TimeZone != "Asia/Taipei" {
			t.Fatalf("meeting in Zoom: %+v", m)
		}
		if b.Meeting.JoinURL == "" || b.Meeting.Passcode == "" || b.Meeting.JoinURL != m.JoinURL {
			t.Fatalf("booking's private details: %+v", b.Meeting)
		}
		id := b.Meeting.ZoomID

		// Client asks to move; the meeting moves only on approval.
		v, err := f.a.RequestReschedule(context.Background(), bk.ManageToken, taipei(14, 0))
		if err != nil {
			t.Fatal(err)
		}
		if m, _ := f.sim.Meeting(id); !m.Start.Equal(taipei(10, 0)) {
			t.Fatalf("meeting moved before approval: %v", m.Start)
		}
		if _, err := f.a.ApproveRequest(f.owner, "studio", bk.Booking.ID, openRequest(t, v)); err != nil {
			t.Fatal(err)
		}
		b = f.wait(bk.Booking.ID, "the move", func(b *daoyue.Booking) bool { return created(b) && b.Meeting.Start.Equal(taipei(14, 0)) })
		if b.Meeting.ZoomID != id {
			t.Fatalf("reschedule made a new meeting %d (was %d)", b.Meeting.ZoomID, id)
		}
		if m, _ := f.sim.Meeting(id); !m.Start.Equal(taipei(14, 0)) {
			t.Fatalf("Zoom still has %v", m.Start)
		}

		// Client asks to cancel; approval deletes the meeting.
		v, err = f.a.RequestCancel(context.Background(), bk.ManageToken, "生病了")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.a.ApproveRequest(f.owner, "studio", bk.Booking.ID, openRequest(t, v)); err != nil {
			t.Fatal(err)
		}
		b = f.wait(bk.Booking.ID, "the delete", func(b *daoyue.Booking) bool { return b.Meeting.Status == daoyue.MeetingDeleted })
		if _, ok := f.sim.Meeting(id); ok || len(f.sim.Meetings(f.zlin.ID)) != 0 {
			t.Fatalf("meeting %d still in Zoom", id)
		}
		if b.Meeting.JoinURL != "" || b.Meeting.Passcode != "" {
			t.Fatalf("deleted meeting keeps details: %+v", b.Meeting)
		}
	})
}

// Manual-confirm and pay-first services create nothing before acceptance
// and before payment actually completes.
func TestNoMeetingBeforeConfirmation(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.connect(f.st.Lin, f.zlin)
		f.connect(f.st.Chen, f.zchen)
		manual := &daoyue.Service{Name: "線上諮詢(需確認)", DurationMin: 60, SlotStep: 30, HorizonDays: 30, Online: true,
			Price: daoyue.Money{Amount: 0, Currency: "TWD"}, Confirmation: daoyue.ConfirmManual, Payment: daoyue.PaymentNone,
			MeetingHost: daoyue.HostAssigned, PractitionerIDs: []string{f.st.Lin.ID}, Active: true}
		if err := f.a.CreateService(f.owner, "studio", manual); err != nil {
			t.Fatal(err)
		}
		pending := f.book(manual, f.st.Lin, taipei(10, 0))
		paid := f.book(f.st.PayFirst, f.st.Chen, taipei(11, 0)) // designated host: Chen
		f.settle(pending.Booking.ID, paid.Booking.ID)
		if n := len(f.sim.Meetings(f.zlin.ID)) + len(f.sim.Meetings(f.zchen.ID)); n != 0 {
			t.Fatalf("%d meetings before confirmation", n)
		}
		if _, err := f.a.Accept(f.owner, "studio", pending.Booking.ID); err != nil {
			t.Fatal(err)
		}
		f.wait(pending.Booking.ID, "a meeting after acceptance", created)

		f.settle(paid.Booking.ID)
		if n := len(f.sim.Meetings(f.zchen.ID)); n != 0 {
			t.Fatalf("a pay-first booking got a meeting before payment")
		}
		if _, err := f.a.RecordPayment(f.owner, "studio", paid.Booking.ID, "bank_transfer", "末五碼 12345"); err != nil {
			t.Fatal(err)
		}
		f.wait(paid.Booking.ID, "a meeting after payment", created)
		f.checkMeetings(f.zlin, pending.Booking.ID)
		f.checkMeetings(f.zchen, paid.Booking.ID)
	})
}

// An expired access token is refreshed, the refresh token rotates, and the
// old refresh token is refused by Zoom afterwards.
func TestExpiredTokenIsRefreshedAndRotated(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.connect(f.st.Lin, f.zlin)
		oldRefresh := f.refreshToken(f.st.Lin)
		f.clock.Advance(2 * time.Hour) // the 1-hour access token is dead
		bk := f.book(f.st.Online, f.st.Lin, taipei(15, 0))
		f.wait(bk.Booking.ID, "a meeting", created)
		newRefresh := f.refreshToken(f.st.Lin)
		if newRefresh == oldRefresh {
			t.Fatal("refresh token did not rotate")
		}
		_, err := f.a.Zoom.Client.Refresh(context.Background(), oldRefresh)
		if !zoom.IsInvalidGrant(err) {
			t.Fatalf("old refresh token: %v", err)
		}
		// Using the old token burned the grant at Zoom (as Zoom does), so
		// only check what DaoYue stored is the live one.
		if n := f.sim.LiveRefreshTokens(f.zlin.ID); n > 1 {
			t.Fatalf("%d live refresh tokens", n)
		}
	})
}

func (f *fixture) refreshToken(p *daoyue.Practitioner) string {
	f.t.Helper()
	c := f.connection(p)
	rt, err := f.keys.Decrypt(c.RefreshSealed, "zoom_connections/"+c.ID+"/refresh")
	if err != nil {
		f.t.Fatal(err)
	}
	return string(rt)
}

// Many syncs need a refresh at the same moment, on two instances: the lease
// lets exactly one refresh happen per expiry, so none burns another's token
// and the connection stays connected.
func TestConcurrentRefreshesDoNotBurnTokens(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.connect(f.st.Lin, f.zlin)
		f.newApp() // a second instance working the same queue
		f.clock.Advance(2 * time.Hour)
		var ids []string
		for _, day := range []int{2, 3} {
			for _, h := range []int{9, 11, 13, 15} {
				ids = append(ids, f.book(f.st.Online, f.st.Lin, taipeiOn(day, h, 0)).Booking.ID)
			}
		}
		for _, id := range ids {
			f.wait(id, "a meeting", created)
		}
		f.checkMeetings(f.zlin, ids...)
		if n := f.sim.Calls("POST", "/oauth/token"); n > 3 { // 1 exchange + ideally 1 refresh
			t.Errorf("%d token calls for one expiry", n)
		}
		if st, _ := f.a.ZoomConnections(f.owner, "studio"); st[f.st.Lin.ID].Status != "connected" {
			t.Fatalf("connection after concurrent refreshes: %+v", st[f.st.Lin.ID])
		}
	})
}

// Authorization revoked in Zoom: one refresh is tried, then the connection
// needs re-authorization and the booking says so; reconnecting heals it.
func TestRevokedAuthorization(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.connect(f.st.Lin, f.zlin)
		f.sim.RevokeUser(f.zlin.ID)
		bk := f.book(f.st.Online, f.st.Lin, taipei(10, 0))
		b := f.wait(bk.Booking.ID, "the failure", func(b *daoyue.Booking) bool { return b.Meeting.Status == daoyue.MeetingFailed })
		if b.Meeting.Reason != daoyue.ReasonNeedsReauth {
			t.Fatalf("note %q", b.Meeting.Reason)
		}
		if st, _ := f.a.ZoomConnections(f.owner, "studio"); st[f.st.Lin.ID].Status != "needs_reauth" {
			t.Fatalf("connection: %+v", st[f.st.Lin.ID])
		}
		f.connect(f.st.Lin, f.zlin) // 重新連結
		b = f.wait(bk.Booking.ID, "a meeting after reconnecting", created)
		f.checkMeetings(f.zlin, bk.Booking.ID)

		// Revoked again while the meeting exists: the move fails, and the
		// reconnect alone (no Retry click) moves the same meeting.
		f.sim.RevokeUser(f.zlin.ID)
		if _, err := f.a.Reschedule(f.owner, "studio", bk.Booking.ID, taipei(15, 0)); err != nil {
			t.Fatal(err)
		}
		f.wait(bk.Booking.ID, "the failure", func(b *daoyue.Booking) bool { return b.Meeting.Status == daoyue.MeetingFailed })
		f.connect(f.st.Lin, f.zlin)
		moved := f.wait(bk.Booking.ID, "the move after reconnecting", func(b *daoyue.Booking) bool {
			return created(b) && b.Meeting.Start.Equal(taipei(15, 0))
		})
		if moved.Meeting.ZoomID != b.Meeting.ZoomID {
			t.Fatalf("reconnecting made a new meeting %d (was %d)", moved.Meeting.ZoomID, b.Meeting.ZoomID)
		}
		f.checkMeetings(f.zlin, bk.Booking.ID)
	})
}

func TestRateLimitAndServerErrors(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.connect(f.st.Lin, f.zlin)
		f.sim.RateLimitNext(3, time.Second)
		a := f.book(f.st.Online, f.st.Lin, taipei(10, 0))
		f.wait(a.Booking.ID, "a meeting after 429s", created)
		f.sim.FailNext(3, 503)
		b := f.book(f.st.Online, f.st.Lin, taipei(13, 0))
		f.wait(b.Booking.ID, "a meeting after 503s", created)
		f.sim.FailNext(2, 500)
		if _, err := f.a.Reschedule(f.owner, "studio", b.Booking.ID, taipei(15, 0)); err != nil {
			t.Fatal(err)
		}
		f.wait(b.Booking.ID, "the move after 500s", func(b *daoyue.Booking) bool { return created(b) && b.Meeting.Start.Equal(taipei(15, 0)) })
		f.checkMeetings(f.zlin, a.Booking.ID, b.Booking.ID)
	})
}

// A meeting deleted by the host in Zoom is re-created on reschedule, and the
// booking says so.
func TestHostDeletedMeetingIsRecreated(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.connect(f.st.Lin, f.zlin)
		bk := f.book(f.st.Online, f.st.Lin, taipei(10, 0))
		old := f.wait(bk.Booking.ID, "a meeting", created).Meeting.ZoomID
		f.sim.DeleteMeetingAsHost(old)
		if _, err := f.a.Reschedule(f.owner, "studio", bk.Booking.ID, taipei(16, 0)); err != nil {
			t.Fatal(err)
		}
		b := f.wait(bk.Booking.ID, "a new meeting", func(b *daoyue.Booking) bool { return created(b) && b.Meeting.ZoomID != old })
		if !b.Meeting.Recreated || b.Meeting.Reason != daoyue.ReasonRecreated {
			t.Fatalf("booking does not say the meeting was re-created: %+v", b.Meeting)
		}
		f.checkMeetings(f.zlin, bk.Booking.ID)
	})
}

// Zoom is down while bookings are made, moved and cancelled; once it is back
// every booking ends with exactly the meetings it should have.
func TestZoomDownThenBack(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.connect(f.st.Lin, f.zlin)
		f.sim.SetDown(true)
		var ids []string
		for _, h := range []int{9, 11, 13} {
			ids = append(ids, f.book(f.st.Online, f.st.Lin, taipei(h, 0)).Booking.ID)
		}
		if _, err := f.a.Reschedule(f.owner, "studio", ids[1], taipei(16, 0)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.a.Cancel(f.owner, "studio", ids[2], "改期"); err != nil {
			t.Fatal(err)
		}
		f.wait(ids[0], "a retry in progress", func(b *daoyue.Booking) bool {
			return b.Meeting.Reason == daoyue.ReasonRetrying && b.Meeting.Attempts >= 2
		})
		f.sim.SetDown(false)
		f.settle(ids...)
		f.checkMeetings(f.zlin, ids...)
		if n := f.sim.Calls("POST", "/v2/users/me/meetings"); n < 2 {
			t.Fatalf("create calls: %d", n)
		}
	})
}

// Quick changes in a row cannot run out of order, duplicate or orphan a
// meeting: the one job per booking ends at the latest state.
func TestRapidChangesEndAtLatestState(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.connect(f.st.Lin, f.zlin)
		f.sim.SetLatency(30 * time.Millisecond)
		var ids []string
		var wg sync.WaitGroup
		for i, h := range []int{9, 12} {
			id := f.book(f.st.Online, f.st.Lin, taipei(h, 0)).Booking.ID
			ids = append(ids, id)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, m := range []int{30, 0} {
					if _, err := f.a.Reschedule(f.owner, "studio", id, taipei(h+1, m)); err != nil {
						t.Error(fmt.Sprint(i, err))
					}
				}
			}()
		}
		wg.Wait()
		f.settle(ids...)
		f.checkMeetings(f.zlin, ids...)
	})
}

// A booking changed while Zoom answers its create gets a second round in
// the same run; the run holds the booking's lease through it, so no other
// run (here the change's own job) works on the booking meanwhile.
func TestLeaseHeldThroughASecondRound(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.connect(f.st.Lin, f.zlin)
		f.sim.SetLatency(300 * time.Millisecond)
		id := f.book(f.st.Online, f.st.Lin, taipei(9, 0)).Booking.ID
		until := func(what string, ok func() bool) {
			t.Helper()
			for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(2 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("no %s after 10 s", what)
				}
			}
		}
		until("create sent", func() bool { return f.sim.Calls(http.MethodPost, "/v2/users/me/meetings") > 0 })
		if _, err := f.a.Reschedule(f.owner, "studio", id, taipei(11, 0)); err != nil {
			t.Fatal(err)
		}
		until("update sent", func() bool { return f.sim.Calls(http.MethodPatch, "/v2/meetings/{id}") > 0 })
		held, err := f.a.SyncLeaseHeld(context.Background(), id)
		if err != nil || !held {
			t.Errorf("lease held during the second round's call: %v, %v; want true", held, err)
		}
		f.settle(id)
		f.checkMeetings(f.zlin, id)
	})
}

func sleep() { time.Sleep(20 * time.Millisecond) }

// A Zoom user already bound to one practitioner is refused for another with
// a clear error; since Zoom revoked the binding's old tokens when the user
// authorized again, the fresh ones replace them and the binding keeps working.
func TestZoomUserBoundOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.connect(f.st.Lin, f.zlin)
		before := f.refreshToken(f.st.Lin)
		authURL, err := f.a.ConnectZoom(f.owner, "studio", f.st.Chen.ID)
		if err != nil {
			t.Fatal(err)
		}
		back, err := f.sim.Consent(context.Background(), authURL, f.zlin.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.a.CompleteZoom(f.owner, back.Query().Get("state"), back.Query().Get("code"))
		if !daoyue.IsCode(err, daoyue.EZOOMBOUND) {
			t.Fatalf("second binding: %v", err)
		}
		if st, _ := f.a.ZoomConnections(f.owner, "studio"); st[f.st.Chen.ID].Status != "" || st[f.st.Lin.ID].Status != "connected" {
			t.Fatalf("connections after the refusal: %+v", st)
		}
		if f.refreshToken(f.st.Lin) == before {
			t.Fatal("the existing binding kept the tokens Zoom just revoked")
		}
		bk := f.book(f.st.Online, f.st.Lin, taipei(10, 0))
		f.wait(bk.Booking.ID, "a meeting with the renewed tokens", created)
		f.checkMeetings(f.zlin, bk.Booking.ID)
	})
}

// quietStudio turns the studio's notices off (the owner's choices, no
// email on the practitioners' forms): these tests count the client's
// messages, and the notices have their own tests (web/notices_test.go).
func quietStudio(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	off := map[daoyue.NoticeKind]bool{}
	for _, k := range daoyue.NoticeKinds {
		off[k] = false
	}
	err := f.a.Store.Update(ctx, func(tx daoyue.Tx) error {
		ms, err := tx.ListMembers(ctx, f.st.Workspace.ID)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if err := tx.SetNoticePrefs(ctx, m.WorkspaceID, m.UserID, off); err != nil {
				return err
			}
		}
		for _, p := range []*daoyue.Practitioner{f.st.Lin, f.st.Chen} {
			p.Email = ""
			if err := tx.UpdatePractitioner(ctx, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
