package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// BenchmarkBookingSubmission measures POST …/bookings over real HTTP on
// each database: one request, transaction and slot check per iteration,
// serially and from several clients at once. Every iteration takes a
// different free slot (5-minute sessions round the clock), so each one
// is a successful booking.
func BenchmarkBookingSubmission(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchBooking(b, storetest.NewSQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchBooking(b, storetest.NewPostgres(b)) })
}

func benchBooking(b *testing.B, db *store.DB) {
	e := newAPIEnv(b, db)
	// The per-address limit would refuse a benchmark: lift it.
	e.srv.limiter = newRateLimiter(1<<30, 1e9)
	ctx := context.Background()
	var owner *daoyue.User
	_ = db.View(ctx, func(tx daoyue.Tx) error {
		var err error
		owner, err = tx.UserByEmail(ctx, "owner@a.example")
		return err
	})
	ctx = daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorMember, UserID: owner.ID, Label: owner.Email})
	allDay := []daoyue.WeeklyRule{}
	for d := time.Sunday; d <= time.Saturday; d++ {
		allDay = append(allDay, daoyue.WeeklyRule{Weekday: d, Start: 0, End: 24 * 60})
	}
	pracs := []*daoyue.Practitioner{e.A.Lin, e.A.Chen}
	for _, p := range pracs {
		if _, err := e.app.UpdatePractitioner(ctx, "studio-a", p.ID, app.PractitionerUpdate{Weekly: &allDay}); err != nil {
			b.Fatal(err)
		}
	}
	svc := &daoyue.Service{Name: "Quick", DurationMin: 5, SlotStep: 5, HorizonDays: 365, Price: daoyue.Money{Currency: "TWD"},
		Confirmation: daoyue.ConfirmAuto, Payment: daoyue.PaymentNone, MeetingHost: daoyue.HostAssigned,
		PractitionerIDs: []string{e.A.Lin.ID, e.A.Chen.ID}, Active: true}
	if err := e.app.CreateService(ctx, "studio-a", svc); err != nil {
		b.Fatal(err)
	}
	day0 := time.Date(2030, 1, 8, 0, 0, 0, 0, apiTaipei)
	const perDay = 24 * 60 / 5
	var next atomic.Int64
	url := e.ts.URL + "/api/v1/public/workspaces/studio-a/bookings"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	post := func(b *testing.B) {
		i := int(next.Add(1) - 1)
		p, slot := pracs[i%2], i/2
		if slot >= perDay*360 {
			b.Error("out of slots")
			return
		}
		start := day0.AddDate(0, 0, slot/perDay).Add(time.Duration(slot%perDay*5) * time.Minute)
		body, _ := json.Marshal(map[string]any{"service_id": svc.ID, "practitioner_id": p.ID, "start": start.Format(time.RFC3339),
			"client": map[string]any{"name": "Bench", "email": "bench@example.com"}})
		res, err := client.Post(url, "application/json", bytes.NewReader(body))
		if err != nil {
			b.Error(err)
			return
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			b.Errorf("booking %d at %s: %d", i, start, res.StatusCode)
		}
	}
	b.Run("serial", func(b *testing.B) {
		for b.Loop() {
			post(b)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.SetParallelism(4)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				post(b)
			}
		})
	})
}
