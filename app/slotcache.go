package app

import (
	"strconv"
	"sync"
	"time"

	"github.com/daoyue/daoyue"
)

// A studio's page asks for the same month of slots over and over, and
// computing it (8 practitioners' busy times read, a month of starts checked
// against them) is most of a slot request's cost. slotCache keeps each
// computed answer while everything it was computed from is unchanged:
//
//   - the workspace's zone, the service and each practitioner's row as read
//     in the request's own transaction (the fingerprint), where a
//     practitioner's row carries its calendar version, which the database
//     raises on every write to its reservations and date overrides
//     (migration 00025) — so a booking on any instance is seen by all;
//   - the day it was computed (the horizon counts from today).
//
// Within that, the answer at a later moment is the cached one without the
// starts that have come within the service's notice since, which are a
// prefix (the slots are in start order). A clock that went back recomputes.
type slotCache struct {
	mu      sync.Mutex
	entries map[slotKey]*slotEntry
	size    int // slots held, all entries
	gen     uint64
}

// slotCacheMax bounds the slots held (64 bytes each plus the entry: about
// 16 MB), roughly 80 "any of 8" months or 600 single-practitioner ones.
const slotCacheMax = 250_000

type slotKey struct{ workspace, service, practitioner, from, to string }

type slotEntry struct {
	gen         uint64 // unique per computed answer: callers may key encodings on it
	fingerprint string
	now         time.Time // the moment it was computed for
	day         string    // now's date in the workspace's zone
	notice      time.Duration
	slots       []daoyue.Slot // read-only once stored
}

// slotFingerprint is what, besides busy times and overrides (whose changes
// the calendar versions count), the slots of svc depend on: the fields
// slotQuery and daoyue.FreeSlots read. (fmt's %+v of the structs was a
// tenth of a cached request.)
func slotFingerprint(ws *daoyue.Workspace, svc *daoyue.Service, pracs []*daoyue.Practitioner) string {
	b := make([]byte, 0, 64+len(pracs)*64)
	b = append(b, ws.TimeZone...)
	for _, n := range []int{svc.DurationMin, svc.BufferBefore, svc.BufferAfter, svc.SlotStep, svc.MinNoticeMin, svc.HorizonDays} {
		b = strconv.AppendInt(append(b, '|'), int64(n), 10)
	}
	for _, p := range pracs {
		b = append(append(b, '|'), p.ID...)
		b = strconv.AppendInt(append(b, ':'), p.CalendarVersion, 10)
		for _, r := range p.Weekly {
			b = strconv.AppendInt(append(b, ','), int64(r.Weekday), 10)
			b = strconv.AppendInt(append(b, ' '), int64(r.Start), 10)
			b = strconv.AppendInt(append(b, '-'), int64(r.End), 10)
		}
	}
	return string(b)
}

// get returns the cached slots for k as of now, and the entry's generation
// and how many of its leading slots were dropped; ok is false on a miss.
func (c *slotCache) get(k slotKey, fingerprint string, now time.Time, loc *time.Location) (slots []daoyue.Slot, gen uint64, skip int, ok bool) {
	c.mu.Lock()
	e := c.entries[k]
	c.mu.Unlock()
	if e == nil || e.fingerprint != fingerprint || now.Before(e.now) || now.In(loc).Format(time.DateOnly) != e.day {
		return nil, 0, 0, false
	}
	earliest := now.Add(e.notice)
	for skip < len(e.slots) && e.slots[skip].Start.Before(earliest) {
		skip++
	}
	return e.slots[skip:len(e.slots):len(e.slots)], e.gen, skip, true
}

// put stores a computed answer and returns its generation (0: too large
// to keep).
func (c *slotCache) put(k slotKey, fingerprint string, now time.Time, loc *time.Location, notice time.Duration, slots []daoyue.Slot) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[slotKey]*slotEntry{}
	}
	if old := c.entries[k]; old != nil {
		c.size -= len(old.slots)
		delete(c.entries, k)
	}
	// Over budget: drop entries at random (map order) until it fits.
	for k2, e := range c.entries {
		if c.size+len(slots) <= slotCacheMax {
			break
		}
		c.size -= len(e.slots)
		delete(c.entries, k2)
	}
	if len(slots) > slotCacheMax {
		return 0
	}
	c.gen++
	c.entries[k] = &slotEntry{gen: c.gen, fingerprint: fingerprint, now: now, day: now.In(loc).Format(time.DateOnly), notice: notice, slots: slots}
	c.size += len(slots)
	return c.gen
}
