package daoyue

import (
	"testing"
	"time"

	"pgregory.net/rapid"

	_ "time/tzdata"
)

func mustLoc(t testing.TB, name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func baseService() *Service {
	return &Service{DurationMin: 60, SlotStep: 30, HorizonDays: 60, Confirmation: ConfirmAuto, Payment: PaymentNone}
}

func TestFreeSlotsBasics(t *testing.T) {
	taipei := mustLoc(t, "Asia/Taipei")
	now := time.Date(2026, 11, 30, 8, 0, 0, 0, taipei) // Monday 08:00
	svc := baseService()
	svc.BufferAfter = 15
	busyStart := time.Date(2026, 12, 1, 11, 0, 0, 0, taipei)
	q := SlotQuery{Service: svc, Location: taipei, From: "2026-12-01", To: "2026-12-02", Now: now,
		Practitioners: []Availability{{
			PractitionerID: "p1",
			Weekly:         []WeeklyRule{{Weekday: time.Tuesday, Start: 9 * 60, End: 13 * 60}},
			Overrides:      map[string][]TimeRange{"2026-12-02": {{Start: 14 * 60, End: 15 * 60}}}, // Wednesday: extra hours
			Busy:           []Interval{{busyStart, busyStart.Add(time.Hour)}},
		}}}
	var got []string
	for _, s := range FreeSlots(q) {
		got = append(got, s.Start.In(taipei).Format("01-02 15:04"))
	}
	// Tuesday 9–13 with a booking 11–12; a slot's block is the hour plus 15
	// minutes after, so 10:00 (block to 11:15) and 10:30 collide, as do 11:00
	// and 11:30; 12:00 fits until 13:00. Wednesday has only the override.
	want := []string{"12-01 09:00", "12-01 09:30", "12-01 12:00", "12-02 14:00"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

func TestFreeSlotsNoticeHorizonDayOff(t *testing.T) {
	taipei := mustLoc(t, "Asia/Taipei")
	now := time.Date(2026, 12, 1, 9, 10, 0, 0, taipei)
	svc := baseService()
	svc.MinNoticeMin = 60
	svc.HorizonDays = 1
	weekly := []WeeklyRule{}
	for d := time.Sunday; d <= time.Saturday; d++ {
		weekly = append(weekly, WeeklyRule{Weekday: d, Start: 9 * 60, End: 12 * 60})
	}
	q := SlotQuery{Service: svc, Location: taipei, From: "2026-12-01", To: "2026-12-05", Now: now,
		Practitioners: []Availability{{PractitionerID: "p", Weekly: weekly, Overrides: map[string][]TimeRange{"2026-12-02": nil}}}}
	slots := FreeSlots(q)
	for _, s := range slots {
		if s.Start.Before(now.Add(time.Hour)) {
			t.Errorf("slot %v inside the minimum notice", s.Start.In(taipei))
		}
		if d := s.Start.In(taipei).Format(time.DateOnly); d != "2026-12-01" {
			t.Errorf("slot on %s: the 2nd is a day off and the horizon ends on the 2nd", d)
		}
	}
	// On the 09:00 + 30-minute grid, 10:30 and 11:00 are after 10:10 and end by 12:00.
	if len(slots) != 2 {
		t.Fatalf("got %d slots: %v", len(slots), slots)
	}
}

// A DST zone: on the night clocks fall back, wall-clock hours still give
// sessions that really last the service's duration and lie inside the window.
func TestFreeSlotsAcrossDST(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	svc := baseService()
	now := time.Date(2026, 10, 30, 0, 0, 0, 0, ny)
	q := SlotQuery{Service: svc, Location: ny, From: "2026-10-31", To: "2026-11-02", Now: now,
		Practitioners: []Availability{{PractitionerID: "p", Weekly: []WeeklyRule{
			{Weekday: time.Saturday, Start: 0, End: 4 * 60},
			{Weekday: time.Sunday, Start: 0, End: 4 * 60}, // 2026-11-01 01:00 happens twice
			{Weekday: time.Monday, Start: 9 * 60, End: 10 * 60},
		}}}}
	for _, s := range FreeSlots(q) {
		if s.End.Sub(s.Start) != time.Hour {
			t.Errorf("slot %v lasts %v", s.Start.In(ny), s.End.Sub(s.Start))
		}
		local := s.Start.In(ny)
		if local.Weekday() == time.Monday && (local.Hour() < 9 || local.Hour() >= 10) {
			t.Errorf("Monday slot outside hours: %v", local)
		}
	}
}

// Property: for random hours, bookings and service settings, FreeSlots returns
// exactly the starts that pass every rule, checked by brute force minute by minute.
func TestFreeSlotsProperty(t *testing.T) {
	zones := []string{"Asia/Taipei", "America/New_York", "Europe/London"}
	rapid.Check(t, func(t *rapid.T) {
		loc, _ := time.LoadLocation(rapid.SampledFrom(zones).Draw(t, "zone"))
		svc := &Service{
			DurationMin:  rapid.SampledFrom([]int{15, 30, 45, 60, 90}).Draw(t, "dur"),
			BufferBefore: rapid.IntRange(0, 30).Draw(t, "bb"),
			BufferAfter:  rapid.IntRange(0, 30).Draw(t, "ba"),
			SlotStep:     rapid.SampledFrom([]int{0, 15, 30, 60}).Draw(t, "step"),
			MinNoticeMin: rapid.IntRange(0, 3000).Draw(t, "notice"),
			HorizonDays:  rapid.IntRange(1, 10).Draw(t, "horizon"),
		}
		// Around both 2026 DST changes of the northern zones.
		base := rapid.SampledFrom([]time.Time{
			time.Date(2026, 3, 6, 0, 0, 0, 0, loc), time.Date(2026, 10, 23, 0, 0, 0, 0, loc), time.Date(2026, 10, 30, 0, 0, 0, 0, loc),
		}).Draw(t, "base")
		now := base.Add(time.Duration(rapid.IntRange(0, 48*60).Draw(t, "nowmin")) * time.Minute)
		var weekly []WeeklyRule
		for d := time.Sunday; d <= time.Saturday; d++ {
			start := rapid.IntRange(0, 20).Draw(t, "ws") * 60
			end := start + rapid.IntRange(1, 8).Draw(t, "wl")*60
			if end > 24*60 {
				end = 24 * 60
			}
			weekly = append(weekly, WeeklyRule{Weekday: d, Start: start, End: end})
		}
		var busy []Interval
		for i, n := 0, rapid.IntRange(0, 8).Draw(t, "nbusy"); i < n; i++ {
			s := base.Add(time.Duration(rapid.IntRange(0, 6*24*4).Draw(t, "bs")) * 15 * time.Minute)
			busy = append(busy, Interval{s, s.Add(time.Duration(rapid.IntRange(1, 8).Draw(t, "bl")) * 15 * time.Minute)})
		}
		from := base.Format(time.DateOnly)
		to := base.AddDate(0, 0, 5).Format(time.DateOnly)
		q := SlotQuery{Service: svc, Location: loc, From: from, To: to, Now: now,
			Practitioners: []Availability{{PractitionerID: "p", Weekly: weekly, Busy: busy}}}
		got := map[time.Time]bool{}
		for _, s := range FreeSlots(q) {
			if got[s.Start] {
				t.Fatalf("duplicate slot %v", s.Start)
			}
			got[s.Start] = true
		}
		// Brute force over every wall-clock minute of every day.
		ny, nm, nd := now.In(loc).Date()
		lastDay := time.Date(ny, nm, nd+svc.HorizonDays, 0, 0, 0, 0, loc)
		want := map[time.Time]bool{}
		for day := base; day.Format(time.DateOnly) <= to; day = day.AddDate(0, 0, 1) {
			if day.After(lastDay) {
				break
			}
			for _, w := range weekly {
				if w.Weekday != day.Weekday() {
					continue
				}
				y, m, d := day.Date()
				for min := w.Start; min+svc.DurationMin <= w.End; min += svc.Step() {
					st := time.Date(y, m, d, 0, min, 0, 0, loc)
					if st.Hour()*60+st.Minute() != min%(24*60) {
						continue // does not exist on this day
					}
					en := st.Add(time.Duration(svc.DurationMin) * time.Minute)
					if en.After(time.Date(y, m, d, 0, w.End, 0, 0, loc)) || st.Before(now.Add(time.Duration(svc.MinNoticeMin)*time.Minute)) {
						continue
					}
					block := BlockFor(st, en, svc.BufferBefore, svc.BufferAfter)
					free := true
					for _, b := range busy {
						if block.Overlaps(b) {
							free = false
						}
					}
					if free {
						want[st.UTC()] = true
					}
				}
			}
		}
		for s := range got {
			if !want[s] {
				t.Fatalf("slot %v should not be offered", s.In(loc))
			}
		}
		for s := range want {
			if !got[s] {
				t.Fatalf("slot %v is missing", s.In(loc))
			}
		}
	})
}

func BenchmarkFreeSlots31Days10kBookings(b *testing.B) {
	taipei := mustLoc(b, "Asia/Taipei")
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, taipei)
	svc := baseService()
	svc.BufferAfter = 15
	var weekly []WeeklyRule
	for d := time.Sunday; d <= time.Saturday; d++ {
		weekly = append(weekly, WeeklyRule{Weekday: d, Start: 8 * 60, End: 22 * 60})
	}
	// 10,000 bookings spread over the surrounding two years; the 31 days
	// queried hold their share of them.
	busy := make([]Interval, 0, 10000)
	start := now.AddDate(-1, 0, 0)
	for i := 0; i < 10000; i++ {
		s := start.Add(time.Duration(i) * 105 * time.Minute)
		busy = append(busy, Interval{s, s.Add(time.Hour)})
	}
	q := SlotQuery{Service: svc, Location: taipei, From: "2026-12-01", To: "2026-12-31", Now: now,
		Practitioners: []Availability{{PractitionerID: "p", Weekly: weekly, Busy: busy}}}
	b.ReportAllocs()
	for b.Loop() {
		FreeSlots(q)
	}
}
