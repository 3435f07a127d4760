package daoyue

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Interval is a half-open span of time [Start, End).
type Interval struct {
	Start time.Time
	End   time.Time
}

// Overlaps reports whether two half-open intervals share any instant.
func (a Interval) Overlaps(b Interval) bool {
	return a.Start.Before(b.End) && b.Start.Before(a.End)
}

// Slot is a bookable start for one practitioner.
type Slot struct {
	Start          time.Time
	End            time.Time
	PractitionerID string
}

// Availability is what slot computation needs to know of one practitioner.
type Availability struct {
	PractitionerID string
	Weekly         []WeeklyRule
	// Overrides maps a YYYY-MM-DD date to the ranges that replace that day's
	// weekly hours; a present key with no ranges is a day off.
	Overrides map[string][]TimeRange
	// Busy holds the blocks (sessions with their buffers) of every booking
	// and held reschedule that is not final, in any order.
	Busy []Interval
}

// SlotQuery asks for the free slots of a service over a range of dates.
type SlotQuery struct {
	Service       *Service
	Location      *time.Location
	From, To      string // YYYY-MM-DD in Location, both inclusive
	Now           time.Time
	Practitioners []Availability
}

// MaxSlotRangeDays bounds one slot query (API.md: at most 62 days apart).
const MaxSlotRangeDays = 62

// FreeSlots returns every free slot, ordered by start and then practitioner.
//
// A slot starts on the service's step grid counted from the start of a
// working window, and the session (not its buffers) lies inside that window.
// Its block (the session widened by the service's buffers) overlaps no busy
// block. It starts no sooner than Now plus the minimum notice, and on a date
// no later than today plus the horizon, both in the workspace's zone.
func FreeSlots(q SlotQuery) []Slot { return freeSlots(q, false) }

// FreeStarts is FreeSlots keeping each start once, with the first of the
// practitioners free then (in FreeSlots' order): what "any practitioner"
// offers. It equals FreeSlots followed by dropping every slot whose start
// equals the previous one's, without building the longer list.
func FreeStarts(q SlotQuery) []Slot { return freeSlots(q, true) }

func freeSlots(q SlotQuery, distinct bool) []Slot {
	from, err1 := time.ParseInLocation(time.DateOnly, q.From, q.Location)
	to, err2 := time.ParseInLocation(time.DateOnly, q.To, q.Location)
	if err1 != nil || err2 != nil || to.Before(from) {
		return nil
	}
	svc := q.Service
	ny, nm, nd := q.Now.In(q.Location).Date()
	lastDay := time.Date(ny, nm, nd+svc.HorizonDays, 0, 0, 0, 0, q.Location)
	if to.After(lastDay) {
		to = lastDay
	}
	// Every slot starts on a whole second (a wall-clock minute), so each
	// practitioner's starts are kept as Unix seconds, in order (sorted here
	// in the rare case they are not: overlapping or unordered windows). The
	// lists are merged by start and practitioner, earlier lists first on a
	// tie, which is what a stable sort of their concatenation gave; only
	// the slots returned are made into Slots.
	per := make([][]int64, len(q.Practitioners))
	total := 0
	for i, p := range q.Practitioners {
		per[i] = practitionerStarts(q, p, from, to)
		total += len(per[i])
	}
	if total == 0 {
		return nil
	}
	durSec := int64(svc.DurationMin) * 60
	slot := func(i int, start int64) Slot {
		return Slot{Start: time.Unix(start, 0).UTC(), End: time.Unix(start+durSec, 0).UTC(), PractitionerID: q.Practitioners[i].PractitionerID}
	}
	if len(per) == 1 {
		out := make([]Slot, 0, len(per[0]))
		for j, st := range per[0] {
			if distinct && j > 0 && per[0][j-1] == st {
				continue
			}
			out = append(out, slot(0, st))
		}
		return out
	}
	// rank orders the lists by practitioner id, then by position.
	rank := make([]int, len(per))
	order := make([]int, len(per))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return strings.Compare(q.Practitioners[a].PractitionerID, q.Practitioners[b].PractitionerID)
	})
	for r, i := range order {
		rank[i] = r
	}
	if distinct {
		// Each start once, from the lowest-ranked list that has it: fold
		// the lists into a union in rank order, keeping the earlier on a
		// tie (a few linear passes instead of a k-way merge).
		type pick struct {
			start int64
			list  int
		}
		var acc, next []pick
		for _, i := range order {
			l := per[i]
			next = next[:0]
			a, b := 0, 0
			for a < len(acc) || b < len(l) {
				switch {
				case b == len(l) || (a < len(acc) && acc[a].start < l[b]):
					next = append(next, acc[a])
					a++
				case a == len(acc) || l[b] < acc[a].start:
					next = append(next, pick{l[b], i})
					b++
				default: // equal: the earlier list's stays
					next = append(next, acc[a])
					a++
					b++
				}
				// A list's own repeated starts (overlapping windows) once.
				if n := len(next); n > 1 && next[n-1].start == next[n-2].start {
					next = next[:n-1]
				}
			}
			acc, next = next, acc
		}
		out := make([]Slot, len(acc))
		for j, p := range acc {
			out[j] = slot(p.list, p.start)
		}
		return out
	}
	out := make([]Slot, 0, total)
	heads := make([]int, len(per))
	var last int64
	for {
		best, bestStart := -1, int64(0)
		for i, l := range per {
			if heads[i] == len(l) {
				continue
			}
			st := l[heads[i]]
			if best < 0 || st < bestStart || (st == bestStart && rank[i] < rank[best]) {
				best, bestStart = i, st
			}
		}
		if best < 0 {
			break
		}
		heads[best]++
		if distinct && len(out) > 0 && last == bestStart {
			continue
		}
		last = bestStart
		out = append(out, slot(best, bestStart))
	}
	return out
}

// practitionerStarts returns the starts of the free slots of one
// practitioner as Unix seconds, in order.
func practitionerStarts(q SlotQuery, p Availability, from, to time.Time) []int64 {
	svc := q.Service
	dur := time.Duration(svc.DurationMin) * time.Minute
	durSec := int64(svc.DurationMin) * 60
	beforeSec, afterSec := int64(svc.BufferBefore)*60, int64(svc.BufferAfter)*60
	// A start (whole seconds) is before Now plus the notice iff it is
	// before that instant rounded up to a whole second.
	earliest := ceilUnix(q.Now.Add(time.Duration(svc.MinNoticeMin) * time.Minute))
	step := svc.Step()
	// The windows' extent bounds every block asked about (with a day's
	// slack either side for DST changes).
	lowMin, highMin, weekMin := 0, 24*60, 0
	for _, w := range p.Weekly {
		lowMin, highMin = min(lowMin, w.Start), max(highMin, w.End)
		weekMin += max(w.End-w.Start, 0)
	}
	for _, rs := range p.Overrides {
		for _, r := range rs {
			lowMin, highMin = min(lowMin, r.Start), max(highMin, r.End)
		}
	}
	busy := newBusyIndex(p.Busy, from.AddDate(0, 0, -1).Unix()+int64(lowMin)*60-beforeSec,
		to.AddDate(0, 0, 2).Unix()+int64(highMin)*60+durSec+afterSec)
	days := int(to.Sub(from)/(24*time.Hour)) + 1
	out := make([]int64, 0, max(days*weekMin/7/max(step, 1), 0)+8)
	for day := from; !day.After(to); day = day.AddDate(0, 0, 1) {
		ranges := dayRanges(p, day)
		if len(ranges) == 0 {
			continue
		}
		y, m, d := day.Date()
		// fast: the whole day is one stretch of the zone's offset (no DST
		// change) and the windows lie within it, so a wall-clock minute is
		// midnight plus that many minutes and every start exists.
		midnight := time.Date(y, m, d, 0, 0, 0, 0, q.Location)
		fast := false
		if h, mm, sec := midnight.Clock(); h == 0 && mm == 0 && sec == 0 {
			_, zoneEnd := midnight.ZoneBounds()
			fast = zoneEnd.IsZero() || !zoneEnd.Before(midnight.Add(24*time.Hour+time.Minute))
			for _, r := range ranges {
				if r.Start < 0 || r.End > 24*60 {
					fast = false
				}
			}
		}
		mid := midnight.Unix()
		for _, r := range ranges {
			for min := r.Start; min+svc.DurationMin <= r.End; min += step {
				var start int64
				if fast {
					start = mid + int64(min)*60
				} else {
					t := time.Date(y, m, d, 0, min, 0, 0, q.Location)
					if h, mm, _ := t.Clock(); h*60+mm != min%(24*60) {
						continue // a wall-clock time skipped by a DST change
					}
					// Across a DST change wall-clock minutes and elapsed time
					// differ; keep only sessions whose real end is inside the window.
					if t.Add(dur).After(time.Date(y, m, d, 0, r.End, 0, 0, q.Location)) {
						continue
					}
					start = t.Unix()
				}
				if start < earliest || busy.overlaps(start-beforeSec, start+durSec+afterSec) {
					continue
				}
				out = append(out, start)
			}
		}
	}
	if !slices.IsSorted(out) {
		slices.Sort(out) // equal starts are equal slots: stability is moot
	}
	return out
}

// ceilUnix is t in Unix seconds, rounded up.
func ceilUnix(t time.Time) int64 {
	if t.Nanosecond() > 0 {
		return t.Unix() + 1
	}
	return t.Unix()
}

// IsFreeSlot reports whether start is one of the free slots of practitioner p.
func IsFreeSlot(q SlotQuery, start time.Time) bool {
	date := start.In(q.Location).Format(time.DateOnly)
	q.From, q.To = date, date
	for _, s := range FreeSlots(q) {
		if s.Start.Equal(start) {
			return true
		}
	}
	return false
}

// dayRanges returns the working windows of one local date.
func dayRanges(p Availability, day time.Time) []TimeRange {
	if rs, ok := p.Overrides[day.Format(time.DateOnly)]; ok {
		return rs
	}
	var rs []TimeRange
	for _, w := range p.Weekly {
		if w.Weekday == day.Weekday() {
			rs = append(rs, TimeRange{w.Start, w.End})
		}
	}
	return rs
}

// busyIndex answers "does this block overlap any busy interval" in
// O(log n): intervals sorted by start with a running maximum of ends, in
// Unix seconds (starts rounded down, ends up: against blocks on whole
// seconds the comparisons are those of the exact times).
type busyIndex struct {
	starts []int64
	maxEnd []int64
}

// newBusyIndex indexes the busy intervals that reach into [lo, hi) (Unix
// seconds): no block asked about lies outside it, so the others cannot
// overlap one.
func newBusyIndex(busy []Interval, lo, hi int64) busyIndex {
	type iv struct{ start, end int64 }
	s := make([]iv, 0, len(busy))
	for _, b := range busy {
		v := iv{b.Start.Unix(), ceilUnix(b.End)}
		if v.end > lo && v.start < hi {
			s = append(s, v)
		}
	}
	if !slices.IsSortedFunc(s, func(a, b iv) int { return cmp.Compare(a.start, b.start) }) {
		slices.SortFunc(s, func(a, b iv) int { return cmp.Compare(a.start, b.start) })
	}
	idx := busyIndex{starts: make([]int64, len(s)), maxEnd: make([]int64, len(s))}
	for i, v := range s {
		idx.starts[i] = v.start
		idx.maxEnd[i] = v.end
		if i > 0 && idx.maxEnd[i-1] > v.end {
			idx.maxEnd[i] = idx.maxEnd[i-1]
		}
	}
	return idx
}

// overlaps reports whether the block [start, end) (Unix seconds) overlaps
// a busy interval.
func (b busyIndex) overlaps(start, end int64) bool {
	// k intervals start before the block ends; one of them overlaps iff
	// the latest end among them is after the block's start.
	k, _ := slices.BinarySearch(b.starts, end)
	return k > 0 && b.maxEnd[k-1] > start
}
