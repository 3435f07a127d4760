package app

import (
	"sync/atomic"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/internal/bounded"
)

// A studio's page asks for the same month of slots over and over, and
// computing it (8 practitioners' busy times read, a month of starts checked
// against them) was most of a slot request's cost. slotCache keeps each
// computed answer while everything it was computed from is unchanged:
//
//   - the store's stamp (daoyue.Store.SlotStamp): the workspace's zone,
//     the service's timing and its practitioners' state, hours and
//     calendar versions, which the database raises on every write to their
//     reservations and date overrides (migration 00025), so a booking made
//     on any instance is seen by all;
//   - the day it was computed (the horizon counts from today).
//
// Within that, the answer at a later moment is the cached one without the
// starts that have come within the service's notice since, which are a
// prefix (the slots are in start order). A clock that went back recomputes.
type slotCache struct {
	entries bounded.Map[slotKey, *slotEntry] // weighed in slots
	gen     atomic.Uint64
}

// slotCacheMax bounds the slots held (64 bytes each plus the entry: about
// 16 MB), roughly 80 "any of 8" months or 600 single-practitioner ones.
const slotCacheMax = 250_000

type slotKey struct{ slug, service, practitioner, from, to string }

type slotEntry struct {
	gen    uint64 // unique per computed answer: callers may key encodings on it
	stamp  string
	now    time.Time // the moment it was computed for
	day    string    // now's date in the workspace's zone
	notice time.Duration
	ws     *daoyue.Workspace
	slots  []daoyue.Slot // read-only once stored
}

// get returns the cached answer for k as of now, or false.
func (c *slotCache) get(k slotKey, stamp string, now time.Time) (*SlotsResult, bool) {
	e, _ := c.entries.Get(k)
	if e == nil || e.stamp != stamp || now.Before(e.now) || now.In(e.ws.Location()).Format(time.DateOnly) != e.day {
		return nil, false
	}
	earliest := now.Add(e.notice)
	skip := 0
	for skip < len(e.slots) && e.slots[skip].Start.Before(earliest) {
		skip++
	}
	return &SlotsResult{Workspace: e.ws, Slots: e.slots[skip:len(e.slots):len(e.slots)], Gen: e.gen, Skip: skip}, true
}

// put keeps a computed answer and returns its generation (0: too large to
// keep).
func (c *slotCache) put(k slotKey, stamp string, now time.Time, notice time.Duration, res *SlotsResult) uint64 {
	e := &slotEntry{gen: c.gen.Add(1), stamp: stamp, now: now, day: now.In(res.Workspace.Location()).Format(time.DateOnly),
		notice: notice, ws: res.Workspace, slots: res.Slots}
	if !c.entries.Put(k, e, len(res.Slots), slotCacheMax) {
		return 0
	}
	return e.gen
}
