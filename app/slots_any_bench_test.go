package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/demo"
	"github.com/daoyue/daoyue/logging"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// BenchmarkSlotsAnyOf8 is the public page's default calendar: 31 days of
// an online 60-minute service on a 15-minute grid, "any practitioner" of 8
// who work all day every day, through the app and a real database, with no
// bookings and with 10,000 confirmed bookings each over the surrounding two
// years.
func BenchmarkSlotsAnyOf8(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		for _, bookings := range []int{0, 10000} {
			b.Run(fmt.Sprintf("%s/bookings=%d", kind, bookings), func(b *testing.B) {
				var db *store.DB
				if kind == "sqlite" {
					db = storetest.NewSQLite(b)
				} else {
					db = storetest.NewPostgres(b)
				}
				a, in := anyOf8Studio(b, db, bookings)
				benchSlots(b, a, in)
			})
		}
	}
}

// benchSlots measures a month computed (a fresh App each time: nothing
// cached) and served from the slot cache.
func benchSlots(b *testing.B, a *app.App, in app.SlotsInput) {
	ctx := context.Background()
	for _, cached := range []bool{false, true} {
		b.Run(map[bool]string{false: "computed", true: "cached"}[cached], func(b *testing.B) {
			b.ReportAllocs()
			if cached { // the first answer is computed, before the timer starts
				if _, err := a.Slots(ctx, "bench", in); err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				s := a
				if !cached {
					s = app.New(a.Store, a.Log)
					s.Now = a.Now
				}
				res, err := s.Slots(ctx, "bench", in)
				if err != nil || len(res.Slots) == 0 {
					b.Fatalf("%v %d", err, len(res.Slots))
				}
			}
		})
	}
}

func anyOf8Studio(b *testing.B, db *store.DB, bookings int) (*app.App, app.SlotsInput) {
	ctx := context.Background()
	a := app.New(db, logging.Discard())
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	a.Now = func() time.Time { return now }
	if _, err := demo.Create(ctx, a, "bench", "Bench", "owner@bench.test", "bench-password"); err != nil {
		b.Fatal(err)
	}
	u, err := a.EnsureMember(ctx, "bench", "owner@bench.test", "Owner", "", daoyue.RoleOwner)
	if err != nil {
		b.Fatal(err)
	}
	actx := daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorMember, UserID: u.ID, Label: u.Email})
	var allDay []daoyue.WeeklyRule
	for d := time.Sunday; d <= time.Saturday; d++ {
		allDay = append(allDay, daoyue.WeeklyRule{Weekday: d, Start: 0, End: 24 * 60})
	}
	var ids []string
	for i := 0; i < 8; i++ {
		p := &daoyue.Practitioner{Name: fmt.Sprintf("P%d", i), Email: fmt.Sprintf("p%d@bench.example", i), Active: true, Weekly: allDay}
		if err := a.CreatePractitioner(actx, "bench", p); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	svc := &daoyue.Service{Name: "Any of 8", DurationMin: 60, BufferAfter: 15, SlotStep: 15, HorizonDays: 60, Online: true,
		Price: daoyue.Money{Amount: 1000, Currency: "TWD"}, Confirmation: daoyue.ConfirmAuto, Payment: daoyue.PaymentNone,
		MeetingHost: daoyue.HostAssigned, PractitionerIDs: ids, Active: true}
	if err := a.CreateService(actx, "bench", svc); err != nil {
		b.Fatal(err)
	}
	// 10,000 60-minute bookings each, three hours apart from two years
	// back (December is busy every third hour, day and night), each
	// practitioner's offset by 20 minutes from the previous one's.
	if err := demo.FillCalendar(ctx, db, svc, ids, bookings, now.AddDate(-2, 0, 0), now); err != nil {
		b.Fatal(err)
	}
	return a, app.SlotsInput{ServiceID: svc.ID, From: "2026-12-01", To: "2026-12-31"}
}
