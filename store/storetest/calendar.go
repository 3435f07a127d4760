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
