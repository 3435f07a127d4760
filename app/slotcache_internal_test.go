package app

import (
	"fmt"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
)

// The cache holds at most slotCacheMax slots however many months are
// asked for, and an answer too large to keep is not kept.
func TestSlotCacheBounded(t *testing.T) {
	var c slotCache
	now := time.Date(2030, 1, 7, 0, 0, 0, 0, time.UTC)
	month := make([]daoyue.Slot, 3000)
	ws := &daoyue.Workspace{TimeZone: "Asia/Taipei"}
	for i := 0; i < 500; i++ {
		k := slotKey{slug: fmt.Sprint("ws", i), from: "2030-01-01", to: "2030-01-31"}
		if c.put(k, "f", now, 0, &SlotsResult{Workspace: ws, Slots: month}) == 0 {
			t.Fatal("a month was not kept")
		}
		if c.entries.Used() > slotCacheMax {
			t.Fatalf("after %d months: %d slots held", i+1, c.entries.Used())
		}
	}
	if held := c.entries.Used(); held < slotCacheMax-len(month) || held != c.entries.Len()*len(month) {
		t.Errorf("%d slots held in %d months", held, c.entries.Len())
	}
	if gen := c.put(slotKey{slug: "huge"}, "f", now, 0, &SlotsResult{Workspace: ws, Slots: make([]daoyue.Slot, slotCacheMax+1)}); gen != 0 {
		t.Error("an answer larger than the cache was kept")
	}
}
