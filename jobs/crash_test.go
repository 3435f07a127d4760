package jobs_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
	"github.com/daoyue/daoyue/zoom/zoomsim"
)

// claimAsDeadProcess does what a worker does when it fetches the queued
// meeting syncs (marks them running, attempted by it) and then dies: the
// rows stay running with nobody working them.
func claimAsDeadProcess(t *testing.T, db *store.DB) int {
	t.Helper()
	var d riverdriver.Driver[*sql.Tx]
	if db.Dialect() == "postgres" {
		d = riverdatabasesql.New(db.SQL())
	} else {
		d = riversqlite.New(db.SQL())
	}
	res, err := d.GetExecutor().JobGetAvailable(context.Background(), &riverdriver.JobGetAvailableParams{
		ClientID: "killed-instance", Queue: "meetings", MaxToLock: 100, MaxAttemptedBy: 100})
	if err != nil {
		t.Fatal(err)
	}
	return len(res.Jobs)
}

// Issue 7 A: a process killed during a booking's meeting sync leaves its
// job row running. The booking's sync must resume within seconds on the
// instance that is left (or the restarted one), and its later changes
// must reach Zoom.
func TestSyncResumesAfterWorkerKilled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.connect(f.st.Lin, f.zlin)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := f.run.Stop(ctx); err != nil { // the instance goes away; its app still takes bookings
			t.Fatal(err)
		}
		bk := f.book(f.st.Online, f.st.Lin, taipei(10, 0))
		if n := claimAsDeadProcess(t, db); n != 1 {
			t.Fatalf("claimed %d jobs, want the booking's sync", n)
		}
		f.a = f.newApp() // the restarted (or the other) instance
		b := f.wait(bk.Booking.ID, "a meeting after the kill", created)
		if _, err := f.a.Reschedule(f.owner, "studio", bk.Booking.ID, taipei(15, 0)); err != nil {
			t.Fatal(err)
		}
		moved := f.wait(bk.Booking.ID, "the move", func(b *daoyue.Booking) bool { return created(b) && b.Meeting.Start.Equal(taipei(15, 0)) })
		if moved.Meeting.ZoomID != b.Meeting.ZoomID {
			t.Fatalf("the move made a new meeting %d (was %d)", moved.Meeting.ZoomID, b.Meeting.ZoomID)
		}
		f.checkMeetings(f.zlin, bk.Booking.ID)
		if _, err := f.a.Cancel(f.owner, "studio", bk.Booking.ID, "取消"); err != nil {
			t.Fatal(err)
		}
		f.settle(bk.Booking.ID)
		f.checkMeetings(f.zlin, bk.Booking.ID)
	})
}

// Issue 7 B: a cancel that commits while the create is in flight. The
// create's answer arrives after the cancel; the sync must see that the
// booking no longer wants a meeting, delete it in the same run, and the
// booking must never show its private details.
func TestCancelDuringSlowCreateDeletesTheMeeting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.connect(f.st.Lin, f.zlin)
		f.sim.SetLatency(1500 * time.Millisecond)
		bk := f.book(f.st.Online, f.st.Lin, taipei(10, 0))
		deadline := time.Now().Add(20 * time.Second)
		for f.sim.Calls("POST", "/v2/users/me/meetings") == 0 {
			if time.Now().After(deadline) {
				t.Fatal("the create never reached Zoom")
			}
			time.Sleep(5 * time.Millisecond)
		}
		if _, err := f.a.Cancel(f.owner, "studio", bk.Booking.ID, "取消"); err != nil {
			t.Fatal(err)
		}
		// Watch the booking until it settles: it must never show the
		// details of a meeting it does not want.
		deadline = time.Now().Add(20 * time.Second)
		for {
			d, err := f.a.Booking(f.owner, "studio", bk.Booking.ID)
			if err != nil {
				t.Fatal(err)
			}
			b := d.Booking
			if b.Meeting.ShowDetails() || b.Meeting.JoinURL != "" {
				t.Fatalf("the cancelled booking shows a meeting: %+v", b.Meeting)
			}
			if b.Meeting.SyncedVersion >= b.Meeting.Version && b.Meeting.Status != daoyue.MeetingPending && !b.Meeting.Has() &&
				f.sim.Calls("POST", "/v2/users/me/meetings") > 0 && len(f.sim.Meetings(f.zlin.ID)) == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("not settled: meeting %+v; Zoom holds %+v", b.Meeting, f.sim.Meetings(f.zlin.ID))
			}
			time.Sleep(20 * time.Millisecond)
		}
		f.checkMeetings(f.zlin, bk.Booking.ID)
	})
}

// A create whose answer is lost (Zoom made the meeting, the connection
// dropped before the answer) is retried, and the booking tells the studio
// plainly which extra meeting Zoom may hold.
func TestLostCreateAnswerIsReported(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.connect(f.st.Lin, f.zlin)
		f.sim.LoseAnswerNext(1)
		bk := f.book(f.st.Online, f.st.Lin, taipei(10, 0))
		b := f.wait(bk.Booking.ID, "a meeting after the lost answer", created)
		got := f.sim.Meetings(f.zlin.ID)
		if len(got) != 2 {
			t.Fatalf("Zoom holds %d meetings, want the booking's and the lost one: %+v", len(got), got)
		}
		var orphan *zoomsim.Meeting
		for i := range got {
			if got[i].ID != b.Meeting.ZoomID {
				orphan = &got[i]
			}
		}
		d, err := f.a.Booking(f.owner, "studio", bk.Booking.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.MaybeExtra) != 1 {
			t.Fatalf("booking names %d possible extra meetings, want 1: %+v", len(d.MaybeExtra), d.MaybeExtra)
		}
		x := d.MaybeExtra[0]
		if orphan == nil || !x.Start.Equal(orphan.Start) || x.DurationMin != orphan.Duration || x.Topic != orphan.Topic || x.HostID != f.st.Lin.ID {
			t.Fatalf("booking names %+v; Zoom's extra meeting is %+v", x, orphan)
		}
	})
}

// The create marked in flight with the sync's claim is never sent when the
// expired token cannot be refreshed: the booking must not name a meeting
// Zoom may hold, then or after reconnecting.
func TestUnsentCreateIsNotReported(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.connect(f.st.Lin, f.zlin)
		f.clock.Advance(2 * time.Hour) // the access token is dead
		f.sim.RevokeUser(f.zlin.ID)    // and the refresh is refused
		bk := f.book(f.st.Online, f.st.Lin, taipei(15, 0))
		f.wait(bk.Booking.ID, "the failure", func(b *daoyue.Booking) bool { return b.Meeting.Status == daoyue.MeetingFailed })
		if n := f.sim.Calls("POST", "/v2/users/me/meetings"); n != 0 {
			t.Fatalf("%d meeting creates sent without a token", n)
		}
		check := func(when string) {
			d, err := f.a.Booking(f.owner, "studio", bk.Booking.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.MaybeExtra) != 0 {
				t.Fatalf("%s: booking names possible extra meetings %+v", when, d.MaybeExtra)
			}
		}
		check("after the failure")
		f.connect(f.st.Lin, f.zlin)
		f.wait(bk.Booking.ID, "a meeting after reconnecting", created)
		f.checkMeetings(f.zlin, bk.Booking.ID)
		check("after reconnecting")
	})
}

// A graceful stop lets a sync's Zoom call in flight finish and record
// its answer: no create is left with an unknown outcome.
func TestGracefulStopFinishesCallsInFlight(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.connect(f.st.Lin, f.zlin)
		f.sim.SetLatency(time.Second)
		bk := f.book(f.st.Online, f.st.Lin, taipei(10, 0))
		deadline := time.Now().Add(20 * time.Second)
		for f.sim.Calls("POST", "/v2/users/me/meetings") == 0 {
			if time.Now().After(deadline) {
				t.Fatal("the create never reached Zoom")
			}
			time.Sleep(5 * time.Millisecond)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := f.run.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		d, err := f.a.Booking(f.owner, "studio", bk.Booking.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !created(d.Booking) || len(d.MaybeExtra) != 0 {
			t.Fatalf("after a graceful stop: meeting %+v, possible extra meetings %+v", d.Booking.Meeting, d.MaybeExtra)
		}
		f.checkMeetings(f.zlin, bk.Booking.ID)
	})
}

// A cancel whose delete failed because Zoom wanted re-authorization is
// carried out by reconnecting, with no Retry click: the meeting does not
// outlive its cancelled booking. (Found by the fault test.)
func TestReconnectDeletesMeetingOfCancelledBooking(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.connect(f.st.Lin, f.zlin)
		bk := f.book(f.st.Online, f.st.Lin, taipei(10, 0))
		f.wait(bk.Booking.ID, "a meeting", created)
		f.sim.RevokeUser(f.zlin.ID)
		if _, err := f.a.Cancel(f.owner, "studio", bk.Booking.ID, "取消"); err != nil {
			t.Fatal(err)
		}
		f.wait(bk.Booking.ID, "the failed delete", func(b *daoyue.Booking) bool { return b.Meeting.Status == daoyue.MeetingFailed })
		if n := len(f.sim.Meetings(f.zlin.ID)); n != 1 {
			t.Fatalf("Zoom holds %d meetings before the reconnect", n)
		}
		f.connect(f.st.Lin, f.zlin) // 重新連結
		f.wait(bk.Booking.ID, "the delete after reconnecting", func(b *daoyue.Booking) bool { return b.Meeting.Status == daoyue.MeetingDeleted })
		f.checkMeetings(f.zlin, bk.Booking.ID)
	})
}
