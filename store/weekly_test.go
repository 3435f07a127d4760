package store

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
)

// The fast reading of weekly hours gives what encoding/json gives for
// everything encodeWeekly writes, and declines anything else.
func TestDecodeWeeklyFast(t *testing.T) {
	for _, rules := range [][]daoyue.WeeklyRule{nil, {}, {{Weekday: time.Sunday, Start: 0, End: 1440}},
		{{Weekday: time.Monday, Start: 540, End: 1080}, {Weekday: time.Saturday, Start: 600, End: 960}, {Weekday: time.Monday, Start: 1200, End: 1260}}} {
		s := encodeWeekly(rules)
		got, ok := decodeWeeklyFast(s)
		var in []weeklyJSON
		if err := json.Unmarshal([]byte(s), &in); err != nil {
			t.Fatal(err)
		}
		var want []daoyue.WeeklyRule
		for _, r := range in {
			want = append(want, daoyue.WeeklyRule{Weekday: time.Weekday(r.Weekday), Start: r.Start, End: r.End})
		}
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v %v, want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "[", `[{"weekday":1,"start":540,"end":1080}`, `[{"weekday":1,"start":540,"end":1080},]`,
		`[{"weekday":-1,"start":540,"end":1080}]`, `[{"start":540,"weekday":1,"end":1080}]`, `[ {"weekday":1,"start":540,"end":1080}]`,
		`[{"weekday":1,"start":1e3,"end":1080}]`, `[{"weekday":1,"start":5400000,"end":1080}]`, `[]x`} {
		if got, ok := decodeWeeklyFast(s); ok {
			t.Errorf("%q read as %v", s, got)
		}
	}
	// What the fast path declines still reads through encoding/json.
	if got, err := decodeWeekly(`[ {"start":540, "weekday":1, "end":1080} ]`); err != nil || len(got) != 1 || got[0].Start != 540 {
		t.Errorf("fallback: %v %v", got, err)
	}
}
