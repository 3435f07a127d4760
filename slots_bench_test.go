package daoyue

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkFreeSlotsAnyOf8 is the public page's default: "any practitioner"
// of 8 who work all day, 31 days, a 60-minute service on a 15-minute grid,
// with no bookings and with 10,000 bookings each over the surrounding two
// years (the month holds its share of them).
func BenchmarkFreeSlotsAnyOf8(b *testing.B) {
	for _, bookings := range []int{0, 10000} {
		b.Run(fmt.Sprintf("bookings=%d", bookings), func(b *testing.B) {
			q := anyOf8Query(b, bookings)
			b.Run("FreeSlots", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					FreeSlots(q)
				}
			})
			b.Run("FreeStarts", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					FreeStarts(q)
				}
			})
		})
	}
}

func anyOf8Query(tb testing.TB, bookings int) SlotQuery {
	taipei := mustLoc(tb, "Asia/Taipei")
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, taipei)
	svc := &Service{DurationMin: 60, SlotStep: 15, BufferAfter: 15, HorizonDays: 60, Confirmation: ConfirmAuto, Payment: PaymentNone}
	var weekly []WeeklyRule
	for d := time.Sunday; d <= time.Saturday; d++ {
		weekly = append(weekly, WeeklyRule{Weekday: d, Start: 0, End: 24 * 60})
	}
	q := SlotQuery{Service: svc, Location: taipei, From: "2026-12-01", To: "2026-12-31", Now: now}
	for p := 0; p < 8; p++ {
		busy := make([]Interval, 0, bookings)
		// Each practitioner's bookings are offset so the 8 calendars differ.
		start := now.AddDate(-1, 0, 0).Add(time.Duration(p) * 20 * time.Minute)
		for i := 0; i < bookings; i++ {
			s := start.Add(time.Duration(i) * 105 * time.Minute)
			busy = append(busy, Interval{s, s.Add(time.Hour)})
		}
		q.Practitioners = append(q.Practitioners, Availability{PractitionerID: fmt.Sprintf("pr_%02d", p), Weekly: weekly,
			Overrides: map[string][]TimeRange{}, Busy: busy})
	}
	return q
}
