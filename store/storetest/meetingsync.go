package storetest

import (
	"reflect"
	"time"

	"github.com/daoyue/daoyue"
)

// testMeetingSync: the sync lease is one holder at a time per booking,
// renewable by its owner, taken over once expired; the create attempts
// round-trip and are deleted with the booking.
func testMeetingSync(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	b := e.booking(w.sa, w.pa.ID, at(10, 0), daoyue.StatusConfirmed)
	b2 := e.booking(w.sa, w.pa.ID, at(14, 0), daoyue.StatusConfirmed)
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	claim := func(id, owner string, until, now time.Time) bool {
		t.Helper()
		var got *daoyue.MeetingSyncState
		e.update(func(tx daoyue.Tx) error {
			var err error
			if got, _, err = tx.ClaimMeetingSync(ctx, id, owner, until, now, nil); err != nil || got == nil {
				return err
			}
			// What the claim returns is the state as read after it.
			read, err := tx.MeetingSync(ctx, id)
			if err == nil && !reflect.DeepEqual(got, read) {
				t.Errorf("claim returned %+v, MeetingSync reads %+v", got, read)
			}
			return err
		})
		return got != nil
	}
	state := func(id string) *daoyue.MeetingSyncState {
		t.Helper()
		var st *daoyue.MeetingSyncState
		e.view(func(tx daoyue.Tx) error {
			var err error
			st, err = tx.MeetingSync(ctx, id)
			return err
		})
		return st
	}
	wantEqual(t, "state never synced", state(b.ID).Owner, "")
	until := now.Add(15 * time.Second)
	wantEqual(t, "claim", claim(b.ID, "run1", until, now), true)
	wantEqual(t, "claim by another while held", claim(b.ID, "run2", until, now.Add(time.Second)), false)
	wantEqual(t, "renew by its owner", claim(b.ID, "run1", until.Add(5*time.Second), now.Add(5*time.Second)), true)
	wantEqual(t, "claim at the old end (renewed)", claim(b.ID, "run2", until.Add(time.Minute), until), false)
	wantEqual(t, "another booking's lease", claim(b2.ID, "run2", until, now), true)
	st := state(b.ID)
	wantEqual(t, "owner", st.Owner, "run1")
	wantEqual(t, "lease until", st.LeaseUntil.Equal(until.Add(5*time.Second)), true)
	// An expired lease is taken over; the old owner can then neither
	// renew nor release it.
	wantEqual(t, "take over an expired lease", claim(b.ID, "run2", until.Add(time.Minute), until.Add(5*time.Second)), true)
	wantEqual(t, "renew a lost lease", claim(b.ID, "run1", until.Add(time.Minute), until.Add(6*time.Second)), false)
	e.update(func(tx daoyue.Tx) error { return tx.ReleaseMeetingSync(ctx, b.ID, "run1") })
	wantEqual(t, "owner after another's release", state(b.ID).Owner, "run2")
	e.update(func(tx daoyue.Tx) error { return tx.ReleaseMeetingSync(ctx, b.ID, "run2") })
	wantEqual(t, "claim after release", claim(b.ID, "run3", until.Add(time.Minute), until.Add(7*time.Second)), true)

	// Attempts round-trip and leave the lease alone.
	a1 := daoyue.MeetingAttempt{At: now, Start: at(10, 0).UTC(), DurationMin: 60, Topic: "線上課程 · 王小明", HostID: w.pa.ID}
	a2 := a1
	a2.At = now.Add(time.Minute)
	e.update(func(tx daoyue.Tx) error {
		return tx.SetMeetingSyncAttempts(ctx, b.ID, &a1, []daoyue.MeetingAttempt{a2})
	})
	st = state(b.ID)
	wantEqual(t, "owner after attempts", st.Owner, "run3")
	if st.InFlight == nil || !st.InFlight.At.Equal(a1.At) || st.InFlight.Topic != a1.Topic || !st.InFlight.Start.Equal(a1.Start) {
		t.Errorf("in flight: %+v", st.InFlight)
	}
	if len(st.MaybeExtra) != 1 || !st.MaybeExtra[0].At.Equal(a2.At) || st.MaybeExtra[0].DurationMin != 60 {
		t.Errorf("maybe extra: %+v", st.MaybeExtra)
	}
	e.update(func(tx daoyue.Tx) error { return tx.SetMeetingSyncAttempts(ctx, b.ID, nil, nil) })
	st = state(b.ID)
	wantEqual(t, "cleared", st.InFlight == nil && len(st.MaybeExtra) == 0, true)
	// Attempts on a booking without a row yet create it.
	b3 := e.booking(w.sa, w.pa.ID, at(16, 0), daoyue.StatusConfirmed)
	e.update(func(tx daoyue.Tx) error { return tx.SetMeetingSyncAttempts(ctx, b3.ID, &a1, nil) })
	wantEqual(t, "attempt on a fresh row", state(b3.ID).InFlight != nil, true)
	// A claim's mark goes in only where nothing is in flight, and says so.
	claimMark := func(id, owner string, now time.Time, mark *daoyue.MeetingAttempt) (*daoyue.MeetingSyncState, bool) {
		t.Helper()
		var st *daoyue.MeetingSyncState
		var marked bool
		e.update(func(tx daoyue.Tx) error {
			var err error
			st, marked, err = tx.ClaimMeetingSync(ctx, id, owner, now.Add(15*time.Second), now, mark)
			return err
		})
		return st, marked
	}
	b4 := e.booking(w.sa, w.pa.ID, at(17, 0), daoyue.StatusConfirmed)
	got, marked := claimMark(b4.ID, "run1", now, &a1)
	wantEqual(t, "mark on a fresh row", marked && got != nil && got.InFlight != nil && got.InFlight.At.Equal(a1.At), true)
	got, marked = claimMark(b4.ID, "run2", now.Add(time.Minute), &a2)
	wantEqual(t, "mark over one in flight (lease expired)", !marked && got != nil && got.InFlight != nil && got.InFlight.At.Equal(a1.At), true)
	wantEqual(t, "owner after the second claim", state(b4.ID).Owner, "run2")
	got, marked = claimMark(b4.ID, "run3", now.Add(time.Minute), &a2)
	wantEqual(t, "mark by a claim that lost", got == nil && !marked && state(b4.ID).InFlight.At.Equal(a1.At), true)
	got, marked = claimMark(b4.ID, "run2", now.Add(time.Minute), nil)
	wantEqual(t, "renewal keeps the mark", !marked && got != nil && got.InFlight.At.Equal(a1.At), true)

	// A round's settlement: only by the lease's holder (or over a lapsed
	// lease); it clears the mark when asked, renews or frees the lease.
	settle := func(owner string, now time.Time, clear, release bool) bool {
		t.Helper()
		var held bool
		e.update(func(tx daoyue.Tx) error {
			var err error
			held, err = tx.SettleMeetingSync(ctx, b4.ID, owner, now.Add(15*time.Second), now, clear, release)
			return err
		})
		return held
	}
	wantEqual(t, "settle by another while held", settle("run1", now.Add(time.Minute+time.Second), true, true), false)
	st = state(b4.ID)
	wantEqual(t, "nothing written by a lost settle", st.Owner == "run2" && st.InFlight != nil, true)
	wantEqual(t, "settle, keeping the mark", settle("run2", now.Add(2*time.Minute), false, false), true)
	st = state(b4.ID)
	wantEqual(t, "renewed by settle", st.Owner == "run2" && st.LeaseUntil.Equal(now.Add(2*time.Minute+15*time.Second)) && st.InFlight != nil, true)
	wantEqual(t, "settle, clearing the mark", settle("run2", now.Add(2*time.Minute), true, false), true)
	wantEqual(t, "mark cleared", state(b4.ID).InFlight == nil, true)
	wantEqual(t, "settle and release", settle("run2", now.Add(2*time.Minute), false, true), true)
	st = state(b4.ID)
	wantEqual(t, "released by settle", st.Owner == "" && st.LeaseUntil.IsZero(), true)
	got, marked = claimMark(b4.ID, "run4", now.Add(2*time.Minute), &a2)
	wantEqual(t, "mark after a release", marked && got.InFlight.At.Equal(a2.At), true)

	// Deleted with the booking.
	e.update(func(tx daoyue.Tx) error { return tx.DeleteBooking(ctx, b3.WorkspaceID, b3.ID) })
	wantEqual(t, "state of a deleted booking", state(b3.ID).InFlight == nil, true)
}
