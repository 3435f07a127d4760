package daoyue

import (
	"sort"
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
func FreeSlots(q SlotQuery) []Slot {
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
		busy := newBusyIndex(p.Busy)
		for day := from; !day.After(to); day = day.AddDate(0, 0, 1) {
			for _, r := range dayRanges(p, day) {
				y, m, d := day.Date()
				for min := r.Start; min+svc.DurationMin <= r.End; min += svc.Step() {
					start := time.Date(y, m, d, 0, min, 0, 0, q.Location)
					if h, mm, _ := start.Clock(); h*60+mm != min%(24*60) {
						continue // a wall-clock time skipped by a DST change
					}
					end := start.Add(dur)
					// Across a DST change wall-clock minutes and elapsed time
					// differ; keep only sessions whose real end is inside the window.
					if end.After(time.Date(y, m, d, 0, r.End, 0, 0, q.Location)) || start.Before(earliest) {
						continue
					}
					if busy.overlaps(BlockFor(start, end, svc.BufferBefore, svc.BufferAfter)) {
						continue
					}
					out = append(out, Slot{Start: start.UTC(), End: end.UTC(), PractitionerID: p.PractitionerID})
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
// O(log n): intervals sorted by start with a running maximum of ends.
type busyIndex struct {
	starts []time.Time
	maxEnd []time.Time
}

func newBusyIndex(busy []Interval) busyIndex {
	s := append([]Interval(nil), busy...)
	sort.Slice(s, func(i, j int) bool { return s[i].Start.Before(s[j].Start) })
	idx := busyIndex{starts: make([]time.Time, len(s)), maxEnd: make([]time.Time, len(s))}
	for i, iv := range s {
		idx.starts[i] = iv.Start
		idx.maxEnd[i] = iv.End
		if i > 0 && idx.maxEnd[i-1].After(iv.End) {
			idx.maxEnd[i] = idx.maxEnd[i-1]
		}
	}
	return idx
}

func (b busyIndex) overlaps(block Interval) bool {
	// k intervals start before the block ends; one of them overlaps iff
	// the latest end among them is after the block's start.
	k := sort.Search(len(b.starts), func(i int) bool { return !b.starts[i].Before(block.End) })
	return k > 0 && b.maxEnd[k-1].After(block.Start)
}
