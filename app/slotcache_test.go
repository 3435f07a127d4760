package app_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// The slot cache never shows a client what the calendar no longer offers,
// whichever instance changed it: at every step the cached answer of one
// App equals what an App without a cache computes, while changes are made
// through a third App (another instance on the same database).
func TestSlotsCacheFollowsTheCalendar(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db, false)
		other := app.New(db, nil) // another instance
		other.Now = f.a.Now
		ctxOther := f.env.As("owner@a.example")
		day := at(2, 0).Format(time.DateOnly) // Wednesday 2030-01-09, 09:00–18:00
		f.env.Clock.Set(at(2, 7))             // 07:00 that day: 2 hours' notice leaves 09:00 on
		ask := func(what, practitioner string) *app.SlotsResult {
			t.Helper()
			in := app.SlotsInput{ServiceID: f.st.Online.ID, PractitionerID: practitioner, From: day, To: day}
			got, err := f.a.Slots(context.Background(), "studio", in)
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			fresh := app.New(db, nil)
			fresh.Now = f.a.Now
			want, err := fresh.Slots(context.Background(), "studio", in)
			if err != nil {
				t.Fatalf("%s (no cache): %v", what, err)
			}
			if !reflect.DeepEqual(got.Slots, want.Slots) && len(got.Slots)+len(want.Slots) > 0 {
				t.Fatalf("%s: the cached answer differs from the calendar's:\n got %v\nwant %v", what, got.Slots, want.Slots)
			}
			return got
		}
		has := func(r *app.SlotsResult, start time.Time, practitioner string) bool {
			for _, s := range r.Slots {
				if s.Start.Equal(start) && (practitioner == "" || s.PractitionerID == practitioner) {
					return true
				}
			}
			return false
		}
		lin, chen := f.st.Lin.ID, f.st.Chen.ID

		first := ask("first", lin)
		if !has(first, at(2, 10), lin) || first.Gen == 0 {
			t.Fatalf("10:00 not offered (gen %d): %v", first.Gen, first.Slots)
		}
		if again := ask("again", lin); again.Gen != first.Gen {
			t.Errorf("an unchanged calendar was computed again (gen %d → %d)", first.Gen, again.Gen)
		}
		any := ask("any", "")

		// Booked through another instance: gone here too.
		booked, err := other.Book(context.Background(), "studio", app.BookInput{ServiceID: f.st.Online.ID, PractitionerID: lin,
			Start: at(2, 10), Client: daoyue.Client{Name: "林小華", Email: "hua@example.com"}})
		if err != nil {
			t.Fatal(err)
		}
		if r := ask("after a booking", lin); has(r, at(2, 10), "") || r.Gen == first.Gen {
			t.Errorf("10:00 still offered after another instance booked it (gen %d)", r.Gen)
		}
		if r := ask("any, after a booking", ""); !has(r, at(2, 10), chen) || r.Gen == any.Gen {
			t.Errorf("'any' at 10:00 should now be Chen's: %v", r.Slots)
		}

		// A day off set elsewhere empties the day; lifting it brings it back.
		if err := other.PutOverride(ctxOther, "studio", &daoyue.DateOverride{PractitionerID: lin, Date: day}); err != nil {
			t.Fatal(err)
		}
		if r := ask("day off", lin); len(r.Slots) != 0 {
			t.Errorf("a day off still offers %d slots", len(r.Slots))
		}
		if err := other.DeleteOverride(ctxOther, "studio", lin, day); err != nil {
			t.Fatal(err)
		}
		before := ask("day off lifted", lin)
		half := 30 * time.Minute
		if !has(before, at(2, 11).Add(half), lin) { // the first after the booking's block 10:00–11:15
			t.Fatalf("11:30 not back: %v", before.Slots)
		}

		// Time passes: slots within the notice go, from the same month.
		f.env.Clock.Set(at(2, 10).Add(half)) // 10:30: 12:30 is the earliest
		later := ask("later that morning", lin)
		if has(later, at(2, 12), "") || !has(later, at(2, 12).Add(half), lin) {
			t.Errorf("at 10:30: %v", later.Slots)
		}
		if later.Gen != before.Gen || later.Skip == 0 {
			t.Errorf("the passing of time recomputed the month (gen %d → %d, skip %d)", before.Gen, later.Gen, later.Skip)
		}

		// Canceling elsewhere frees 10:00 again.
		f.env.Clock.Set(at(2, 7))
		if _, err := other.Cancel(ctxOther, "studio", booked.Booking.ID, "moved away"); err != nil {
			t.Fatal(err)
		}
		if r := ask("after the cancellation", lin); !has(r, at(2, 10), lin) {
			t.Errorf("10:00 not offered again after the cancellation: %v", r.Slots)
		}

		// The practitioner's hours change: the cache follows.
		if _, err := other.UpdatePractitioner(ctxOther, "studio", lin, app.PractitionerUpdate{Weekly: &[]daoyue.WeeklyRule{{Weekday: time.Wednesday, Start: 13 * 60, End: 15 * 60}}}); err != nil {
			t.Fatal(err)
		}
		if r := ask("new hours", lin); has(r, at(2, 10), "") || !has(r, at(2, 13), lin) {
			t.Errorf("new hours 13:00–15:00: %v", r.Slots)
		}

		// Another studio's service asked under this studio's page: not
		// found, every time (nothing of it is cached under this slug), and
		// its own page answers with its own calendar.
		studioB := f.env.Studio("other", "乙工作室", "owner@b.example", "owner password 2")
		for i := 0; i < 2; i++ {
			_, err := f.a.Slots(context.Background(), "studio", app.SlotsInput{ServiceID: studioB.Online.ID, From: day, To: day})
			wantCode(t, err, daoyue.ENOTFOUND)
		}
		theirs, err := f.a.Slots(context.Background(), "other", app.SlotsInput{ServiceID: studioB.Online.ID, From: day, To: day})
		if err != nil || len(theirs.Slots) == 0 || theirs.Workspace.Slug != "other" {
			t.Fatalf("the other studio's own slots: %v", err)
		}
		for _, s := range theirs.Slots {
			if s.PractitionerID == lin || s.PractitionerID == chen {
				t.Fatalf("the other studio offers this studio's practitioner: %v", s)
			}
		}

		// The service's notice changes: the cache follows.
		svc := *f.st.Online
		svc.MinNoticeMin = 7 * 60
		if err := other.UpdateService(ctxOther, "studio", &svc); err != nil {
			t.Fatal(err)
		}
		if r := ask("longer notice", lin); has(r, at(2, 13), "") || !has(r, at(2, 14), lin) {
			t.Errorf("7 hours' notice at 07:00: %v", r.Slots)
		}
	})
}
