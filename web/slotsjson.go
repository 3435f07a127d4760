package web

import (
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/internal/bounded"
)

// slotJSONCache keeps the encoded slot lists of the months the app serves
// from its own cache (app.SlotsResult.Gen), so a month asked for again is
// written, not encoded: encoding was a fifth of a month's request. An
// entry is keyed by the app's generation, which changes whenever the
// calendar does, so an entry is never stale, only unused; unused entries
// go when the budget needs room.
type slotJSONCache struct {
	entries bounded.Map[uint64, *slotJSONEntry] // weighed in bytes
}

// slotJSONCacheMax bounds the bytes held (about 50 "any of 8" months).
const slotJSONCacheMax = 16 << 20

type slotJSONEntry struct {
	skip    int    // the generation's slots dropped before this encoding
	body    []byte // the items from the first slot kept, and the document's end
	offsets []int  // where each slot's item starts in body, then the end
}

// items returns the encoding of slots (the generation's slots from skip
// on) from its "[" on, encoding and keeping them the first time.
func (c *slotJSONCache) items(gen uint64, skip int, loc *time.Location, slots []daoyue.Slot) []byte {
	if e, _ := c.entries.Get(gen); e != nil && skip >= e.skip && skip-e.skip < len(e.offsets) {
		return e.body[e.offsets[skip-e.skip]:]
	}
	e := &slotJSONEntry{skip: skip, offsets: make([]int, 0, len(slots)+1)}
	e.body = appendSlotItems(make([]byte, 0, len(slots)*slotJSONSize+8), loc, slots, &e.offsets)
	c.entries.Put(gen, e, len(e.body), slotJSONCacheMax)
	return e.body
}
