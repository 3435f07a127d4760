package daoyue

import (
	"fmt"
	"reflect"
	"sort"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// referenceFreeSlots is FreeSlots as it was before the merge of
// per-practitioner lists (a stable sort of every slot): the property below
// holds the faster one to exactly its answers.
func referenceFreeSlots(q SlotQuery) []Slot {
	from, err1 := time.ParseInLocation(time.DateOnly, q.From, q.Location)
	to, err2 := time.ParseInLocation(time.DateOnly, q.To, q.Location)
	if err1 != nil || err2 != nil || to.Before(from) {
		return nil
	}
	svc := q.Service
	dur := time.Duration(svc.DurationMin) * time.Minute
	earliest := q.Now.Add(time.Duration(svc.MinNoticeMin) * time.Minute)
	ny, nm, nd := q.Now.In(q.Location).Date()
	lastDay := time.Date(ny, nm, nd+svc.HorizonDays, 0, 0, 0, 0, q.Location)
	if to.After(lastDay) {
		to = lastDay
	}
	var out []Slot
	for _, p := range q.Practitioners {
		for day := from; !day.After(to); day = day.AddDate(0, 0, 1) {
			for _, r := range dayRanges(p, day) {
				y, m, d := day.Date()
				for min := r.Start; min+svc.DurationMin <= r.End; min += svc.Step() {
					start := time.Date(y, m, d, 0, min, 0, 0, q.Location)
					if h, mm, _ := start.Clock(); h*60+mm != min%(24*60) {
						continue
					}
					end := start.Add(dur)
					if end.After(time.Date(y, m, d, 0, r.End, 0, 0, q.Location)) || start.Before(earliest) {
						continue
					}
					block := BlockFor(start, end, svc.BufferBefore, svc.BufferAfter)
					free := true
					for _, b := range p.Busy {
						if block.Overlaps(b) {
							free = false
						}
					}
					if free {
						out = append(out, Slot{Start: start.UTC(), End: end.UTC(), PractitionerID: p.PractitionerID})
					}
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.Before(out[j].Start)
		}
		return out[i].PractitionerID < out[j].PractitionerID
	})
	return out
}

// Property: with several practitioners (ids out of order, one repeated),
// overrides with unordered and overlapping windows, busy times and Now off
// the whole second, across DST changes, FreeSlots equals the reference
// exactly and FreeStarts is it with repeated starts dropped.
func TestFreeSlotsMatchesReference(t *testing.T) {
	zones := []string{"Asia/Taipei", "America/New_York", "Europe/London", "America/Santiago"}
	rapid.Check(t, func(t *rapid.T) {
		loc, _ := time.LoadLocation(rapid.SampledFrom(zones).Draw(t, "zone"))
		svc := &Service{
			DurationMin:  rapid.SampledFrom([]int{15, 30, 45, 60, 90}).Draw(t, "dur"),
			BufferBefore: rapid.IntRange(0, 30).Draw(t, "bb"),
			BufferAfter:  rapid.IntRange(0, 30).Draw(t, "ba"),
			SlotStep:     rapid.SampledFrom([]int{0, 5, 15, 30, 60}).Draw(t, "step"),
			MinNoticeMin: rapid.IntRange(0, 3000).Draw(t, "notice"),
			HorizonDays:  rapid.IntRange(1, 10).Draw(t, "horizon"),
		}
		base := rapid.SampledFrom([]time.Time{
			time.Date(2026, 3, 6, 0, 0, 0, 0, loc), time.Date(2026, 10, 23, 0, 0, 0, 0, loc),
			time.Date(2026, 10, 30, 0, 0, 0, 0, loc), time.Date(2026, 4, 3, 0, 0, 0, 0, loc), time.Date(2026, 9, 4, 0, 0, 0, 0, loc),
		}).Draw(t, "base")
		now := base.Add(time.Duration(rapid.Int64Range(0, 48*3600*1e9).Draw(t, "now")))
		from := base.Format(time.DateOnly)
		to := base.AddDate(0, 0, rapid.IntRange(0, 6).Draw(t, "days")).Format(time.DateOnly)
		ids := []string{"pr_c", "pr_a", "pr_b", "pr_a"}
		var pracs []Availability
		for i, n := 0, rapid.IntRange(1, 4).Draw(t, "npracs"); i < n; i++ {
			av := Availability{PractitionerID: ids[i], Overrides: map[string][]TimeRange{}}
			for d := time.Sunday; d <= time.Saturday; d++ {
				for k, nr := 0, rapid.IntRange(0, 2).Draw(t, "nweekly"); k < nr; k++ {
					s := rapid.IntRange(0, 23*4).Draw(t, "ws") * 15
					e := min(s+rapid.IntRange(1, 40).Draw(t, "wl")*15, 24*60)
					av.Weekly = append(av.Weekly, WeeklyRule{Weekday: d, Start: s, End: e})
				}
			}
			for k, no := 0, rapid.IntRange(0, 3).Draw(t, "noverrides"); k < no; k++ {
				date := base.AddDate(0, 0, rapid.IntRange(0, 6).Draw(t, "od")).Format(time.DateOnly)
				var rs []TimeRange
				for j, nr := 0, rapid.IntRange(0, 3).Draw(t, "nor"); j < nr; j++ {
					s := rapid.IntRange(0, 23*4).Draw(t, "os") * 15
					rs = append(rs, TimeRange{s, min(s+rapid.IntRange(1, 40).Draw(t, "ol")*15, 24*60)})
				}
				av.Overrides[date] = rs
			}
			for k, nb := 0, rapid.IntRange(0, 12).Draw(t, "nbusy"); k < nb; k++ {
				s := base.Add(time.Duration(rapid.Int64Range(-24*3600, 8*24*3600).Draw(t, "bs")) * time.Second)
				if rapid.Bool().Draw(t, "frac") {
					s = s.Add(time.Duration(rapid.IntRange(1, 1e9-1).Draw(t, "ns")))
				}
				av.Busy = append(av.Busy, Interval{s, s.Add(time.Duration(rapid.Int64Range(1, 6*3600e9).Draw(t, "bl")))})
			}
			pracs = append(pracs, av)
		}
		q := SlotQuery{Service: svc, Location: loc, From: from, To: to, Now: now, Practitioners: pracs}
		want := referenceFreeSlots(q)
		if got := FreeSlots(q); !reflect.DeepEqual(got, want) {
			t.Fatalf("FreeSlots:\n got %s\nwant %s", show(got), show(want))
		}
		var wantStarts []Slot
		for i, s := range want {
			if i == 0 || !s.Start.Equal(wantStarts[len(wantStarts)-1].Start) {
				wantStarts = append(wantStarts, s)
			}
		}
		if got := FreeStarts(q); !reflect.DeepEqual(got, wantStarts) {
			t.Fatalf("FreeStarts:\n got %s\nwant %s", show(got), show(wantStarts))
		}
	})
}

func show(ss []Slot) string {
	out := fmt.Sprintf("%d slots:", len(ss))
	for i, s := range ss {
		if i == 12 {
			return out + " …"
		}
		out += fmt.Sprintf(" %s/%s", s.Start.Format(time.RFC3339), s.PractitionerID)
	}
	return out
}
