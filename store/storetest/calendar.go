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

// testCatalogVersion: every write to a studio's services, its
// practitioners' own fields or who gives which service raises that
// studio's catalog version and no other's (the booking path trusts it to
// reuse what it read, app/catalog.go); a calendar write, a booking, a
// rolled-back change and saving the studio's own row (from a stale copy)
// leave it.
func testCatalogVersion(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	version := func(ws *daoyue.Workspace) int64 {
		t.Helper()
		var v int64
		e.view(func(tx daoyue.Tx) error {
			bySlug, err := tx.WorkspaceBySlug(ctx, ws.Slug)
			if err != nil {
				return err
			}
			byID, err := tx.WorkspaceByID(ctx, ws.ID)
			if err != nil {
				return err
			}
			if byID.CatalogVersion != bySlug.CatalogVersion {
				t.Errorf("WorkspaceByID says %d, WorkspaceBySlug %d", byID.CatalogVersion, bySlug.CatalogVersion)
			}
			v = bySlug.CatalogVersion
			return nil
		})
		return v
	}
	step := func(what string, grows bool, fn func(tx daoyue.Tx) error) {
		t.Helper()
		a, b := version(w.a), version(w.b)
		e.update(fn)
		if got := version(w.a); grows && got <= a || !grows && got != a {
			t.Errorf("%s: the studio's catalog version %d → %d, want it raised: %v", what, a, got, grows)
		}
		if got := version(w.b); got != b {
			t.Errorf("%s: another studio's catalog version %d → %d, want it unchanged", what, b, got)
		}
	}
	if version(w.a) == 0 {
		t.Error("creating the studio's practitioners and service left its catalog version at 0")
	}
	w.sa.Price.Amount = 1800
	step("update service", true, func(tx daoyue.Tx) error { return tx.UpdateService(ctx, w.sa) })
	w.sa.PractitionerIDs = []string{w.pa2.ID, w.pa.ID}
	step("reorder the service's practitioners", true, func(tx daoyue.Tx) error { return tx.UpdateService(ctx, w.sa) })
	w.pa.Active = false
	step("deactivate a practitioner", true, func(tx daoyue.Tx) error { return tx.UpdatePractitioner(ctx, w.pa) })
	w.pa.Active = true
	step("reactivate", true, func(tx daoyue.Tx) error { return tx.UpdatePractitioner(ctx, w.pa) })
	step("add a practitioner", true, func(tx daoyue.Tx) error {
		return tx.CreatePractitioner(ctx, &daoyue.Practitioner{ID: daoyue.NewID("pr"), WorkspaceID: w.a.ID, Name: "Ann", Active: true, CreatedAt: base})
	})

	x := e.booking(w.sa, w.pa.ID, at(1, 0), daoyue.StatusConfirmed)
	step("reserve (the calendar version grows, not the catalog's)", false, func(tx daoyue.Tx) error {
		if err := tx.LockPractitioner(ctx, w.a.ID, w.pa.ID); err != nil {
			return err
		}
		return tx.Reserve(ctx, reservation(x, at(1, 0), at(2, 0)))
	})
	step("a date override", false, func(tx daoyue.Tx) error {
		return tx.PutOverride(ctx, w.a.ID, &daoyue.DateOverride{PractitionerID: w.pa.ID, Date: "2030-03-05"})
	})
	step("a booking", false, func(tx daoyue.Tx) error {
		return tx.CreateBooking(ctx, newBooking(w.sa, w.pa2.ID, at(5, 0), daoyue.StatusPending))
	})
	stale := *w.a // read before every change above
	stale.Name = "Renamed"
	step("save the studio's row from a stale copy", false, func(tx daoyue.Tx) error { return tx.UpdateWorkspace(ctx, &stale) })

	before := version(w.a)
	err := e.try(func(tx daoyue.Tx) error {
		w.sa.Active = false
		if err := tx.UpdateService(ctx, w.sa); err != nil {
			return err
		}
		return errRollback
	})
	if err != errRollback {
		t.Fatalf("rolled-back service change: %v", err)
	}
	wantEqual(t, "catalog version after a rollback", version(w.a), before)
}
