package web

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// race runs the requests at once and returns the answers in order.
func (e *apiEnv) race(reqs []apiReq) []*apiResp {
	out := make([]*apiResp, len(reqs))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, q := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i] = e.send(q)
		}()
	}
	close(start)
	wg.Wait()
	return out
}

func apiBookReq(slug string, svc *daoyue.Service, prac *daoyue.Practitioner, start, name string) apiReq {
	in := map[string]any{"service_id": svc.ID, "start": start,
		"client": map[string]any{"name": name, "email": "c@example.com"}}
	if prac != nil {
		in["practitioner_id"] = prac.ID
	}
	return apiReq{method: "POST", path: "/api/v1/public/workspaces/" + slug + "/bookings", body: in}
}

// apiWinners counts 201s; every other answer must be 409 slot_unavailable.
func apiWinners(t *testing.T, rs []*apiResp) int {
	t.Helper()
	n := 0
	for _, r := range rs {
		switch {
		case r.status == http.StatusCreated:
			n++
		case r.status == http.StatusConflict && r.code() == daoyue.ESLOT:
		default:
			t.Errorf("unexpected answer %d %s", r.status, r.body)
		}
	}
	return n
}

// Acceptance 1: no double booking, on each database.
func TestAPINoDoubleBooking(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		A := e.A

		t.Run("same slot", func(t *testing.T) {
			var reqs []apiReq
			for i := 0; i < 50; i++ {
				reqs = append(reqs, apiBookReq("studio-a", A.Online, A.Lin, apiAt(1, 10, 0), "client"))
			}
			if n := apiWinners(t, e.race(reqs)); n != 1 {
				t.Fatalf("%d bookings won the same slot, want exactly 1", n)
			}
			var l struct {
				Bookings []map[string]any `json:"bookings"`
				Counts   map[string]int   `json:"counts"`
			}
			e.must(200, "GET", "/api/v1/workspaces/studio-a/bookings?tab=upcoming", e.tokA, nil).decode(t, &l)
			if len(l.Bookings) != 1 || l.Counts["upcoming"] != 1 || e.bookingCount("studio-a", e.tokA) != 1 {
				t.Fatalf("want exactly one booking, list %v counts %v", len(l.Bookings), l.Counts)
			}
			if l.Bookings[0]["start"] != apiAt(1, 10, 0) {
				t.Errorf("booking at %v", l.Bookings[0]["start"])
			}
		})

		t.Run("any practitioner", func(t *testing.T) {
			// Two practitioners deliver the service: two of many win, one each.
			var reqs []apiReq
			for i := 0; i < 20; i++ {
				reqs = append(reqs, apiBookReq("studio-a", A.Online, nil, apiAt(2, 10, 0), "client"))
			}
			if n := apiWinners(t, e.race(reqs)); n != 2 {
				t.Fatalf("%d bookings won, want 2 (one per practitioner)", n)
			}
		})

		t.Run("overlapping slots", func(t *testing.T) {
			// 60-minute sessions on a 30-minute grid: 14:00 and 14:30 overlap.
			before := e.bookingCount("studio-a", e.tokA)
			var reqs []apiReq
			for i := 0; i < 10; i++ {
				reqs = append(reqs, apiBookReq("studio-a", A.Online, A.Lin, apiAt(1, 14, 0), "early"),
					apiBookReq("studio-a", A.Online, A.Lin, apiAt(1, 14, 30), "late"))
			}
			if n := apiWinners(t, e.race(reqs)); n != 1 {
				t.Fatalf("%d overlapping bookings won, want 1", n)
			}
			if got := e.bookingCount("studio-a", e.tokA); got != before+1 {
				t.Fatalf("bookings %d → %d", before, got)
			}
			// The 15-minute buffer after a session also blocks: 15:00 is
			// taken by a 14:00 session's buffer, 15:30 by 14:30's.
		})

		t.Run("reschedule into a taken slot", func(t *testing.T) {
			x := e.mustBook("studio-a", A.Online, A.Lin, apiAt(3, 10, 0))
			e.mustBook("studio-a", A.Online, A.Lin, apiAt(3, 12, 0))
			path := "/api/v1/workspaces/studio-a/bookings/" + x.ID
			before := e.must(200, "GET", path, e.tokA, nil).m(t)
			for _, start := range []string{apiAt(3, 12, 0), apiAt(3, 11, 30), apiAt(3, 12, 30)} {
				r := e.do("POST", path+"/reschedule", e.tokA, map[string]any{"start": start})
				if r.status != 409 || r.code() != daoyue.ESLOT {
					t.Errorf("admin reschedule to %s: %d %s", start, r.status, r.body)
				}
				r = e.do("POST", "/api/v1/public/bookings/"+x.ManageToken+"/reschedule-request", "", map[string]any{"start": start})
				if r.status != 409 || r.code() != daoyue.ESLOT {
					t.Errorf("client reschedule request to %s: %d %s", start, r.status, r.body)
				}
			}
			after := e.must(200, "GET", path, e.tokA, nil).m(t)
			if after["start"] != before["start"] || len(after["requests"].([]any)) != 0 || after["updated_at"] != before["updated_at"] {
				t.Errorf("booking changed: before %v after %v", before, after)
			}
		})

		t.Run("reschedule races a booking", func(t *testing.T) {
			x := e.mustBook("studio-a", A.Online, A.Lin, apiAt(4, 10, 0))
			y := e.mustBook("studio-a", A.Online, A.Lin, apiAt(4, 12, 0))
			target := apiAt(4, 15, 0)
			reqs := []apiReq{
				{method: "POST", path: "/api/v1/workspaces/studio-a/bookings/" + x.ID + "/reschedule", token: e.tokA, body: map[string]any{"start": target}},
				{method: "POST", path: "/api/v1/public/bookings/" + y.ManageToken + "/reschedule-request", body: map[string]any{"start": target}},
			}
			for i := 0; i < 10; i++ {
				reqs = append(reqs, apiBookReq("studio-a", A.Online, A.Lin, target, "racer"))
			}
			rs := e.race(reqs)
			won := 0
			for i, r := range rs {
				switch {
				case r.status == 200 || r.status == 201:
					won++
				case r.status == 409 && r.code() == daoyue.ESLOT:
				default:
					t.Errorf("request %d: %d %s", i, r.status, r.body)
				}
			}
			if won != 1 {
				t.Fatalf("%d of a reschedule, a reschedule request and bookings won %s, want 1", won, target)
			}
		})
	})
}

// Acceptance 3: bad input is refused with the right code, in the request's
// language, and writes nothing.
func TestAPIBadInput(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		A := e.A
		const path = "/api/v1/public/workspaces/studio-a/bookings"
		good := func() map[string]any {
			return map[string]any{"service_id": A.Online.ID, "practitioner_id": A.Lin.ID, "start": apiAt(1, 10, 0),
				"client": map[string]any{"name": "王小明", "email": "ming@example.com"}}
		}
		with := func(k string, v any) map[string]any {
			in := good()
			if strings.HasPrefix(k, "client.") {
				in["client"].(map[string]any)[strings.TrimPrefix(k, "client.")] = v
			} else {
				in[k] = v
			}
			return in
		}

		t.Run("unknown service or practitioner", func(t *testing.T) {
			for _, in := range []map[string]any{with("service_id", "sv_nope"), with("service_id", e.B.Online.ID), with("practitioner_id", e.B.Lin.ID)} {
				r := e.do("POST", path, "", in)
				if r.status != 404 || r.code() != daoyue.ENOTFOUND {
					t.Errorf("%v: %d %s", in, r.status, r.body)
				}
			}
		})

		t.Run("slot not free", func(t *testing.T) {
			cases := []struct{ start, key string }{
				{apiAt(1, 20, 0), "error.slot_not_offered"},  // outside hours
				{apiAt(1, 10, 10), "error.slot_not_offered"}, // off the grid
				{apiAt(0, 9, 0), "error.slot_not_offered"},   // before the minimum notice
				{apiAt(-1, 10, 0), "error.slot_past"},        // in the past
				{apiAt(-7, 10, 0), "error.slot_past"},
			}
			for _, c := range cases {
				r := e.do("POST", path, "", with("start", c.start))
				if r.status != 409 || r.code() != daoyue.ESLOT || r.apiErr().Message != i18n.T(i18n.ZH, c.key, nil) {
					t.Errorf("%s: %d %s", c.start, r.status, r.body)
				}
				r = e.do("POST", path, "", with("start", c.start), "Accept-Language", "en-US,en;q=0.9")
				if r.status != 409 || r.apiErr().Message != i18n.T(i18n.EN, c.key, nil) {
					t.Errorf("%s in English: %d %s", c.start, r.status, r.body)
				}
			}
		})

		t.Run("fields", func(t *testing.T) {
			long := strings.Repeat("長", 101)
			cases := []struct {
				in     any
				field  string
				msgKey string
			}{
				{with("client.email", "not-an-email"), "client.email", "error.email"},
				{with("client.email", "Ming <ming@example.com>"), "client.email", "error.email"},
				{with("client.email", ""), "client.email", "error.required"},
				{with("client.name", long), "client.name", "error.too_long"},
				{with("client.name", "  "), "client.name", "error.required"},
				{with("client.phone", "call me"), "client.phone", "error.phone"},
				{with("note", strings.Repeat("x", 2001)), "note", "error.too_long"},
				{with("start", "2030-01-08 10:00"), "start", "error.time"},
				{with("start", "2030-01-08T10:00:00"), "start", "error.time"},
				{with("start", "tomorrow"), "start", "error.time"},
				{with("start", ""), "start", "error.required"},
				{with("start", 1736300000), "start", "error.api_type"},
				{with("service_id", ""), "service_id", "error.required"},
				{with("client", "ming"), "client", "error.api_type"},
				{with("surprise", true), "surprise", "error.api_unknown_field_here"},
			}
			for _, c := range cases {
				r := e.do("POST", path, "", c.in)
				fields := r.apiErr().Fields
				if r.status != 422 || r.code() != daoyue.EINVALID || fields[c.field] != i18n.T(i18n.ZH, c.msgKey, nil) {
					t.Errorf("%s: %d %s", c.field, r.status, r.body)
				}
			}
			// Several problems are reported together.
			in := with("start", "soon")
			in["client"] = map[string]any{"name": "", "email": "x"}
			f := e.do("POST", path, "", in).apiErr().Fields
			if len(f) != 3 {
				t.Errorf("want start, client.name and client.email reported, got %v", f)
			}
			// Messages follow the request's language.
			r := e.do("POST", path, "", with("start", "soon"), "Accept-Language", "en")
			if r.apiErr().Fields["start"] != i18n.T(i18n.EN, "error.time", nil) || r.apiErr().Message != i18n.T(i18n.EN, "error.invalid_input", nil) {
				t.Errorf("English: %s", r.body)
			}
		})

		t.Run("malformed bodies", func(t *testing.T) {
			for _, body := range []string{`{"service_id":`, `[1,2]`, `{"service_id":"x"} {"again":1}`, `not json`} {
				r := e.do("POST", path, "", body)
				if r.status != 422 || r.code() != daoyue.EINVALID || r.apiErr().Message != i18n.T(i18n.ZH, "error.json", nil) {
					t.Errorf("%q: %d %s", body, r.status, r.body)
				}
			}
			r := e.do("POST", path, "", with("colour", "blue"), "Accept-Language", "en")
			if r.status != 422 || !strings.Contains(r.apiErr().Message, `"colour"`) {
				t.Errorf("unknown field: %d %s", r.status, r.body)
			}
			big := with("note", strings.Repeat("x", 70<<10))
			if r := e.do("POST", path, "", big); r.status != http.StatusRequestEntityTooLarge || r.code() != apiCodeTooLarge {
				t.Errorf("oversized body: %d %s", r.status, r.body)
			}
		})

		t.Run("cross-origin", func(t *testing.T) {
			for _, h := range [][]string{
				{"Sec-Fetch-Site", "cross-site"},
				{"Origin", "https://evil.example"},
				{"Sec-Fetch-Site", "cross-site", "Content-Type", "application/x-www-form-urlencoded"},
			} {
				r := e.do("POST", path, "", good(), h...)
				if r.status != 403 || r.code() != daoyue.EFORBIDDEN {
					t.Errorf("%v: %d %s", h, r.status, r.body)
				}
				r = e.do("POST", "/api/v1/workspaces/studio-a/practitioners", e.tokA, map[string]any{"name": "X"}, h...)
				if r.status != 403 {
					t.Errorf("admin %v: %d %s", h, r.status, r.body)
				}
			}
			// Same-origin browser requests pass.
			r := e.do("POST", path, "", with("start", apiAt(0, 9, 0)), "Sec-Fetch-Site", "same-origin")
			if r.status != 409 { // before the minimum notice: refused by the slot rules, not CSRF
				t.Errorf("same-origin: %d %s", r.status, r.body)
			}
		})

		if n := e.bookingCount("studio-a", e.tokA); n != 0 {
			t.Fatalf("bad input wrote %d bookings", n)
		}
		var ps struct{ Practitioners []any }
		e.must(200, "GET", "/api/v1/workspaces/studio-a/practitioners", e.tokA, nil).decode(t, &ps)
		if len(ps.Practitioners) != 2 {
			t.Fatalf("practitioners: %d", len(ps.Practitioners))
		}
	})
}

// Acceptance 7: a burst of 100 public requests from one address passes.
func TestAPIPublicBurst(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t, storetest.NewSQLite(t))
	var reqs []apiReq
	for i := 0; i < 100; i++ {
		p := "/api/v1/public/workspaces/studio-a"
		if i%2 == 1 {
			p += "/slots?service_id=" + e.A.Online.ID + "&from=2030-01-08&to=2030-01-08"
		}
		reqs = append(reqs, apiReq{method: "GET", path: p})
	}
	for i, r := range e.race(reqs) {
		if r.status != 200 {
			t.Fatalf("request %d of the burst: %d %s", i, r.status, r.body)
		}
	}
}
