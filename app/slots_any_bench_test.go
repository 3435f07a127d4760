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
	st, err := demo.Create(ctx, a, "bench", "Bench", "owner@bench.test", "bench-password")
	if err != nil {
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
	// (250 a transaction: each raises the practitioner's calendar version,
	// and PostgreSQL slows down on one row updated thousands of times in
	// one transaction.)
	for pi, id := range ids {
		start := now.AddDate(-2, 0, 0).Add(time.Duration(pi) * 20 * time.Minute)
		for lo := 0; lo < bookings && err == nil; lo += 250 {
			err = db.Update(ctx, func(tx daoyue.Tx) error {
				for i := lo; i < min(lo+250, bookings); i++ {
					s := start.Add(time.Duration(i) * 3 * time.Hour)
					bk := &daoyue.Booking{ID: daoyue.NewID("bk"), WorkspaceID: st.Workspace.ID, ServiceID: svc.ID,
						PractitionerID: id, HostID: id, Start: s, End: s.Add(time.Hour), Online: true,
						Status: daoyue.StatusConfirmed, Client: daoyue.Client{Name: "c", Email: "c@example.com"},
						Language: daoyue.LangZH, ManageTokenHash: daoyue.HashToken(daoyue.NewToken()),
						PaymentStatus: daoyue.PaymentNotRequired, Price: svc.Price, CreatedAt: now, UpdatedAt: now}
					if err := tx.CreateBooking(ctx, bk); err != nil {
						return err
					}
					if err := tx.Reserve(ctx, daoyue.Reservation{WorkspaceID: bk.WorkspaceID, PractitionerID: id, BookingID: bk.ID, Block: bk.Block()}); err != nil {
						return err
					}
				}
				return nil
			})
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	return a, app.SlotsInput{ServiceID: svc.ID, From: "2026-12-01", To: "2026-12-31"}
}
