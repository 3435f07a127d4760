package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/demo"
	"github.com/daoyue/daoyue/logging"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// BenchmarkSlots31Days asks for one service's free slots over 31 days, for
// a practitioner with 10,000 bookings, through the app and a real database:
// the public booking page's month calendar.
func BenchmarkSlots31Days(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			var db *store.DB
			if kind == "sqlite" {
				db = storetest.NewSQLite(b)
			} else {
				db = storetest.NewPostgres(b)
			}
			ctx := context.Background()
			a := app.New(db, logging.Discard())
			now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
			a.Now = func() time.Time { return now }
			st, err := demo.Create(ctx, a, "bench", "Bench", "owner@bench.test", "bench-password")
			if err != nil {
				b.Fatal(err)
			}
			// 10,000 confirmed 60-minute bookings, three hours apart, from two
			// years back: December is busy every third hour, day and night.
			start := now.AddDate(-2, 0, 0)
			// (250 a transaction, as in anyOf8Studio.)
			for lo := 0; lo < 10000 && err == nil; lo += 250 {
				err = db.Update(ctx, func(tx daoyue.Tx) error {
					for i := lo; i < lo+250; i++ {
						s := start.Add(time.Duration(i) * 3 * time.Hour)
						bk := &daoyue.Booking{ID: daoyue.NewID("bk"), WorkspaceID: st.Workspace.ID, ServiceID: st.Online.ID,
							PractitionerID: st.Lin.ID, HostID: st.Lin.ID, Start: s, End: s.Add(time.Hour), Online: true,
							Status: daoyue.StatusConfirmed, Client: daoyue.Client{Name: "c", Email: "c@example.com"},
							Language: daoyue.LangZH, ManageTokenHash: daoyue.HashToken(daoyue.NewToken()),
							PaymentStatus: daoyue.PaymentNotRequired, Price: st.Online.Price, CreatedAt: now, UpdatedAt: now}
						if err := tx.CreateBooking(ctx, bk); err != nil {
							return err
						}
						if err := tx.Reserve(ctx, daoyue.Reservation{WorkspaceID: bk.WorkspaceID, PractitionerID: bk.PractitionerID, BookingID: bk.ID, Block: bk.Block()}); err != nil {
							return err
						}
					}
					return nil
				})
			}
			if err != nil {
				b.Fatal(err)
			}
			in := app.SlotsInput{ServiceID: st.Online.ID, PractitionerID: st.Lin.ID, From: "2026-12-01", To: "2026-12-31"}
			benchSlots(b, a, in)
		})
	}
}
