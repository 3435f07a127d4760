package web

import (
	"bytes"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
)

// appendSlotsJSON writes exactly what writeJSON wrote for a slotsJSON.
func TestAppendSlotsJSONMatchesEncoder(t *testing.T) {
	for _, zone := range []string{"Asia/Taipei", "America/New_York", "UTC"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		base := time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)
		var slots []daoyue.Slot
		ids := []string{"pr_01abc", `odd"id\<&>`, "中文", "tab\tid", "\u2028", ""}
		for i := 0; i < 50; i++ {
			s := base.Add(time.Duration(i) * 37 * time.Minute)
			slots = append(slots, daoyue.Slot{Start: s, End: s.Add(time.Hour), PractitionerID: ids[i%len(ids)]})
		}
		for _, ss := range [][]daoyue.Slot{nil, slots[:1], slots} {
			want := httptest.NewRecorder()
			out := slotsJSON{TimeZone: zone, Slots: make([]slotJSON, 0, len(ss))}
			for _, sl := range ss {
				out.Slots = append(out.Slots, slotJSON{Start: apiTime(sl.Start, loc), End: apiTime(sl.End, loc), PractitionerID: sl.PractitionerID})
			}
			writeJSON(want, 200, out)
			if got := appendSlotsJSON(nil, zone, loc, ss); !bytes.Equal(got, want.Body.Bytes()) {
				t.Fatalf("%s, %d slots:\n got %s\nwant %s", zone, len(ss), got, want.Body.Bytes())
			}
		}
	}
	if got := string(appendJSONString(nil, "a<b>")); got != `"a<b>"` {
		t.Fatalf("got %s", got)
	}
}

// BenchmarkSlotsJSON encodes a month of "any practitioner" (2,976 slots).
func BenchmarkSlotsJSON(b *testing.B) {
	loc, _ := time.LoadLocation("Asia/Taipei")
	base := time.Date(2026, 12, 1, 0, 0, 0, 0, loc)
	var slots []daoyue.Slot
	for i := 0; i < 31*96; i++ {
		s := base.Add(time.Duration(i) * 15 * time.Minute).UTC()
		slots = append(slots, daoyue.Slot{Start: s, End: s.Add(time.Hour), PractitionerID: "pr_0123456789abcdef"})
	}
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			out := slotsJSON{TimeZone: "Asia/Taipei", Slots: make([]slotJSON, 0, len(slots))}
			for _, sl := range slots {
				out.Slots = append(out.Slots, slotJSON{Start: apiTime(sl.Start, loc), End: apiTime(sl.End, loc), PractitionerID: sl.PractitionerID})
			}
			writeJSON(httptest.NewRecorder(), 200, out)
		}
	})
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			appendSlotsJSON(nil, "Asia/Taipei", loc, slots)
		}
	})
}

func TestAppendRFC3339(t *testing.T) {
	zones := []string{"UTC", "Asia/Taipei", "America/New_York", "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham", "Asia/Kathmandu"}
	for _, z := range zones {
		loc, _ := time.LoadLocation(z)
		for _, base := range []time.Time{time.Date(1850, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 8, 6, 59, 59, 999, time.UTC),
			time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)} {
			for i := 0; i < 500; i++ {
				tt := base.Add(time.Duration(i) * 7919 * time.Second).In(loc)
				if got, want := string(appendRFC3339(nil, tt)), tt.Format(time.RFC3339); got != want {
					t.Fatalf("%s: got %s want %s", z, got, want)
				}
			}
		}
	}
}

// A cached month's encoding, served from any later skip, is byte for byte
// the encoding of the slots still offered.
func TestSlotJSONCacheSuffixes(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Taipei")
	base := time.Date(2026, 12, 1, 9, 0, 0, 0, loc)
	var month []daoyue.Slot
	for i := 0; i < 40; i++ {
		s := base.Add(time.Duration(i) * 30 * time.Minute).UTC()
		month = append(month, daoyue.Slot{Start: s, End: s.Add(time.Hour), PractitionerID: "pr_" + string(rune('a'+i%3))})
	}
	var c slotJSONCache
	for _, first := range []int{3, 0} { // a first request that already skipped, then a clock set back
		gen := uint64(first + 1)
		for _, skip := range []int{first, first + 1, first + 7, 39, 40, first} {
			head := appendSlotsHead(nil, "Asia/Taipei")
			got := append(head, c.items(gen, skip, loc, month[skip:])...)
			if want := appendSlotsJSON(nil, "Asia/Taipei", loc, month[skip:]); !bytes.Equal(got, want) {
				t.Fatalf("gen %d skip %d:\n got %s\nwant %s", gen, skip, got, want)
			}
		}
	}
	// An earlier skip than the one encoded is encoded anew.
	c.items(99, 10, loc, month[10:])
	if got := c.items(99, 2, loc, month[2:]); !bytes.Equal(append(appendSlotsHead(nil, "Asia/Taipei"), got...), appendSlotsJSON(nil, "Asia/Taipei", loc, month[2:])) {
		t.Fatalf("skip 2 after 10: %s", got)
	}
	if c.entries.Used() == 0 || c.entries.Len() != 3 {
		t.Errorf("%d entries, %d bytes", c.entries.Len(), c.entries.Used())
	}
}
