package app_test

import (
	"context"
	"testing"
	"time"

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
			if err := demo.FillCalendar(ctx, db, st.Online, []string{st.Lin.ID}, 10000, now.AddDate(-2, 0, 0), now); err != nil {
				b.Fatal(err)
			}
			in := app.SlotsInput{ServiceID: st.Online.ID, PractitionerID: st.Lin.ID, From: "2026-12-01", To: "2026-12-31"}
			benchSlots(b, a, in)
		})
	}
}
