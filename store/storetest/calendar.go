package storetest

import (
	"github.com/daoyue/daoyue"
)

// testCalendarVersion: every write to a practitioner's reservations or date
// overrides raises that practitioner's calendar version and no one else's
// (the slot cache trusts it), a rolled-back write raises nothing, and
// saving the practitioner's own fields never lowers it.
func testCalendarVersion(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	version := func(p *daoyue.Practitioner) int64 {
		t.Helper()
		var v int64
		e.view(func(tx daoyue.Tx) error {
			got, err := tx.Practitioner(ctx, p.WorkspaceID, p.ID)
			if err != nil {
				return err
			}
			all, err := tx.ListPractitioners(ctx, p.WorkspaceID)
			for _, q := range all {
				if q.ID == p.ID && q.CalendarVersion != got.CalendarVersion {
					t.Errorf("ListPractitioners says %d, Practitioner %d", q.CalendarVersion, got.CalendarVersion)
				}
			}
			v = got.CalendarVersion
			return err
		})
		return v
	}
	grew := func(what string, fn func(tx daoyue.Tx) error) {
		t.Helper()
		a, a2, b := version(w.pa), version(w.pa2), version(w.pb)
		e.update(fn)
		if got := version(w.pa); got <= a {
			t.Errorf("%s: Alice's version %d → %d, want it raised", what, a, got)
		}
		if got := version(w.pa2); got != a2 {
			t.Errorf("%s: Amy's version %d → %d, want it unchanged", what, a2, got)
		}
		if got := version(w.pb); got != b {
			t.Errorf("%s: another studio's version %d → %d, want it unchanged", what, b, got)
		}
	}
	x := e.booking(w.sa, w.pa.ID, at(1, 0), daoyue.StatusConfirmed)
	grew("reserve", func(tx daoyue.Tx) error {
		if err := tx.LockPractitioner(ctx, w.a.ID, w.pa.ID); err != nil {
			return err
		}
		return tx.Reserve(ctx, reservation(x, at(1, 0), at(2, 0)))
	})
	grew("release", func(tx daoyue.Tx) error { return tx.Release(ctx, w.a.ID, x.ID, "") })
	o := &daoyue.DateOverride{PractitionerID: w.pa.ID, Date: "2030-03-05", Ranges: []daoyue.TimeRange{{Start: 600, End: 720}}}
	grew("put override", func(tx daoyue.Tx) error { return tx.PutOverride(ctx, w.a.ID, o) })
	o.Ranges = nil
	grew("replace override", func(tx daoyue.Tx) error { return tx.PutOverride(ctx, w.a.ID, o) })
	grew("delete override", func(tx daoyue.Tx) error { return tx.DeleteOverride(ctx, w.a.ID, w.pa.ID, o.Date) })

	// A rolled-back reservation leaves the version where it was.
	before := version(w.pa)
	err := e.try(func(tx daoyue.Tx) error {
		if err := tx.Reserve(ctx, reservation(x, at(3, 0), at(4, 0))); err != nil {
			return err
		}
		return errRollback
	})
	if err != errRollback {
		t.Fatalf("rolled-back reserve: %v", err)
	}
	wantEqual(t, "version after a rollback", version(w.pa), before)

	// Saving the practitioner (a stale copy read before the writes above)
	// keeps the version: only the database writes it.
	e.update(func(tx daoyue.Tx) error {
		w.pa.Name = "Alice Chen"
		return tx.UpdatePractitioner(ctx, w.pa)
	})
	wantEqual(t, "version after saving the practitioner", version(w.pa), before)
}

// testSlotStamp: the stamp the slot cache trusts changes with everything a
// service's free slots depend on, for "any" and for one practitioner, and
// not with what they do not (another practitioner's calendar, for one
// practitioner's slots; another studio; a booking's own fields).
func testSlotStamp(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	stamp := func(ws *daoyue.Workspace, svc, p string) string {
		t.Helper()
		s, err := e.s.SlotStamp(ctx, ws.Slug, svc, p)
		wantNoErr(t, "slot stamp", err)
		return s
	}
	type view struct{ any, alice, amy string }
	now := func() view {
		return view{stamp(w.a, w.sa.ID, ""), stamp(w.a, w.sa.ID, w.pa.ID), stamp(w.a, w.sa.ID, w.pa2.ID)}
	}
	step := func(what string, fn func(tx daoyue.Tx) error, anyChanges, aliceChanges, amyChanges bool) {
		t.Helper()
		before := now()
		e.update(fn)
		after := now()
		for _, c := range []struct {
			who        string
			was, is    string
			wantChange bool
		}{{"any", before.any, after.any, anyChanges}, {"Alice", before.alice, after.alice, aliceChanges}, {"Amy", before.amy, after.amy, amyChanges}} {
			if (c.was != c.is) != c.wantChange {
				t.Errorf("%s: %s's stamp changed: %v, want %v", what, c.who, c.was != c.is, c.wantChange)
			}
		}
	}
	if s := stamp(w.a, w.sa.ID, ""); s == "" {
		t.Fatal("no stamp for an existing service")
	}
	wantEqual(t, "unknown slug", stamp(&daoyue.Workspace{Slug: "no-such-studio"}, w.sa.ID, ""), "")
	wantEqual(t, "another studio's service", stamp(w.a, w.sb.ID, ""), "")

	x := e.booking(w.sa, w.pa.ID, at(1, 0), daoyue.StatusConfirmed)
	step("Alice booked", func(tx daoyue.Tx) error { return tx.Reserve(ctx, reservation(x, at(1, 0), at(2, 0))) }, true, true, false)
	step("the booking's note edited", func(tx daoyue.Tx) error {
		x.Note = "bring a mat"
		return tx.UpdateBooking(ctx, x)
	}, false, false, false)
	step("Alice's day off", func(tx daoyue.Tx) error {
		return tx.PutOverride(ctx, w.a.ID, &daoyue.DateOverride{PractitionerID: w.pa.ID, Date: "2030-03-05"})
	}, true, true, false)
	step("Amy's hours", func(tx daoyue.Tx) error {
		w.pa2.Weekly = []daoyue.WeeklyRule{{Weekday: 1, Start: 600, End: 660}}
		return tx.UpdatePractitioner(ctx, w.pa2)
	}, true, false, true)
	step("Amy away", func(tx daoyue.Tx) error {
		w.pa2.Active = false
		return tx.UpdatePractitioner(ctx, w.pa2)
	}, true, false, true)
	step("Alice renamed", func(tx daoyue.Tx) error {
		w.pa.Name = "Alice Lin"
		return tx.UpdatePractitioner(ctx, w.pa)
	}, false, false, false)
	step("the service's notice", func(tx daoyue.Tx) error {
		w.sa.MinNoticeMin += 60
		return tx.UpdateService(ctx, w.sa)
	}, true, true, true)
	step("the service without Amy", func(tx daoyue.Tx) error {
		w.sa.PractitionerIDs = []string{w.pa.ID}
		return tx.UpdateService(ctx, w.sa)
	}, true, false, true)
	step("the studio's zone", func(tx daoyue.Tx) error {
		w.a.TimeZone = "Asia/Tokyo"
		return tx.UpdateWorkspace(ctx, w.a)
	}, true, true, true)
	y := e.booking(w.sb, w.pb.ID, at(1, 0), daoyue.StatusConfirmed)
	step("another studio booked", func(tx daoyue.Tx) error { return tx.Reserve(ctx, reservation(y, at(1, 0), at(2, 0))) }, false, false, false)
}
