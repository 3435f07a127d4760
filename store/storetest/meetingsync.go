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
			if got, err = tx.ClaimMeetingSync(ctx, id, owner, until, now); err != nil || got == nil {
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
	// Deleted with the booking.
	e.update(func(tx daoyue.Tx) error { return tx.DeleteBooking(ctx, b3.WorkspaceID, b3.ID) })
	wantEqual(t, "state of a deleted booking", state(b3.ID).InFlight == nil, true)
}
