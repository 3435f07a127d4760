package web

import (
	"context"
	"testing"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// The rest of the admin backend: practitioners, hours, services, members.
func TestAPISetup(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		A, tok := e.A, e.tokA
		const ws = "/api/v1/workspaces/studio-a"

		t.Run("practitioners", func(t *testing.T) {
			var l struct{ Practitioners []practitionerJSON }
			e.must(200, "GET", ws+"/practitioners", tok, nil).decode(t, &l)
			if len(l.Practitioners) != 2 {
				t.Fatalf("practitioners: %+v", l)
			}
			for _, p := range l.Practitioners {
				if p.MeetingTools.Zoom.Status != "not_connected" || p.MeetingTools.Zoom.IsDefault || len(p.WeeklyHours) != 6 {
					t.Errorf("practitioner: %+v", p)
				}
				if p.WeeklyHours[0] != (hoursJSON{Weekday: 1, Start: "09:00", End: "18:00"}) {
					t.Errorf("hours: %+v", p.WeeklyHours)
				}
			}
			var p practitionerJSON
			e.must(201, "POST", ws+"/practitioners", tok, map[string]any{"name": " 黃老師 ", "email": "Huang@A.example",
				"weekly_hours": []map[string]any{{"weekday": 0, "start": "10:00", "end": "24:00"}}}).decode(t, &p)
			if p.Name != "黃老師" || p.Email != "huang@a.example" || !p.Active || len(p.WeeklyHours) != 1 || p.WeeklyHours[0].End != "24:00" {
				t.Fatalf("created: %+v", p)
			}
			for body, field := range map[string]string{
				`{"name":"X","weekly_hours":[{"weekday":1,"start":"9:00","end":"18:00"}]}`:                                              "weekly_hours.0.start",
				`{"name":"X","weekly_hours":[{"weekday":7,"start":"09:00","end":"18:00"}]}`:                                             "weekly_hours.0.weekday",
				`{"name":"X","weekly_hours":[{"weekday":1,"start":"09:00","end":"24:30"}]}`:                                             "weekly_hours.0.end",
				`{"name":"X","weekly_hours":[{"weekday":1,"start":"09:00","end":"12:00"},{"weekday":1,"start":"11:00","end":"13:00"}]}`: "weekly_hours",
				`{"name":"X","weekly_hours":[{"weekday":1,"start":"12:00","end":"09:00"}]}`:                                             "weekly_hours",
				`{"name":"X","email":"nope"}`: "email",
				`{"email":"a@b.example"}`:     "name",
				`{"name":"X","active":"yes"}`: "active",
			} {
				if r := e.do("POST", ws+"/practitioners", tok, body); r.status != 422 || r.apiErr().Fields[field] == "" {
					t.Errorf("%s: %d %s", body, r.status, r.body)
				}
			}
			var q practitionerJSON
			e.must(200, "PATCH", ws+"/practitioners/"+p.ID, tok, map[string]any{"active": false}).decode(t, &q)
			if q.Active || q.Name != "黃老師" || len(q.WeeklyHours) != 1 {
				t.Errorf("patched: %+v", q)
			}
			e.must(200, "PATCH", ws+"/practitioners/"+p.ID, tok, map[string]any{"weekly_hours": []any{}}).decode(t, &q)
			if len(q.WeeklyHours) != 0 || q.Email != "huang@a.example" {
				t.Errorf("hours cleared: %+v", q)
			}
			e.must(200, "GET", ws+"/practitioners/"+p.ID, tok, nil).decode(t, &q)
			if q.Active || q.Name != "黃老師" {
				t.Errorf("read back: %+v", q)
			}
			if r := e.do("GET", ws+"/practitioners/pr_nope", tok, nil); r.status != 404 {
				t.Errorf("unknown practitioner: %d", r.status)
			}
		})

		t.Run("overrides", func(t *testing.T) {
			base := ws + "/practitioners/" + A.Lin.ID + "/overrides"
			var o overrideJSON
			e.must(200, "PUT", base+"/2030-01-08", tok, map[string]any{"ranges": []map[string]any{{"start": "13:00", "end": "15:00"}}}).decode(t, &o)
			if o.Date != "2030-01-08" || len(o.Ranges) != 1 || o.Ranges[0] != (rangeJSON{"13:00", "15:00"}) {
				t.Fatalf("override: %+v", o)
			}
			e.must(200, "PUT", base+"/2030-01-09", tok, map[string]any{"ranges": []any{}})
			slots := func(date string) []string {
				var s slotsJSON
				e.must(200, "GET", "/api/v1/public/workspaces/studio-a/slots?service_id="+A.Online.ID+"&practitioner_id="+A.Lin.ID+"&from="+date+"&to="+date, "", nil).decode(t, &s)
				var out []string
				for _, sl := range s.Slots {
					out = append(out, sl.Start)
				}
				return out
			}
			if got := slots("2030-01-08"); len(got) != 3 || got[0] != apiAt(1, 13, 0) || got[2] != apiAt(1, 14, 0) {
				t.Errorf("slots on the override date: %v", got)
			}
			if got := slots("2030-01-09"); len(got) != 0 {
				t.Errorf("slots on a day off: %v", got)
			}
			var l struct{ Overrides []overrideJSON }
			e.must(200, "GET", base+"?from=2030-01-01&to=2030-01-31", tok, nil).decode(t, &l)
			if len(l.Overrides) != 2 {
				t.Fatalf("overrides: %+v", l)
			}
			e.must(200, "GET", base, tok, nil).decode(t, &l) // from today
			if len(l.Overrides) != 2 {
				t.Errorf("default range: %+v", l)
			}
			e.must(204, "DELETE", base+"/2030-01-08", tok, nil)
			e.must(200, "GET", base+"?from=2030-01-01&to=2030-01-31", tok, nil).decode(t, &l)
			if len(l.Overrides) != 1 || len(slots("2030-01-08")) != 17 {
				t.Errorf("after delete: %+v %v", l, slots("2030-01-08"))
			}
			for _, c := range []struct {
				method, path string
				body         any
				field        string
			}{
				{"PUT", base + "/2030-13-01", map[string]any{"ranges": []any{}}, "date"},
				{"PUT", base + "/2030-01-10", map[string]any{}, "ranges"},
				{"PUT", base + "/2030-01-10", map[string]any{"ranges": []map[string]any{{"start": "15:00", "end": "13:00"}}}, "ranges"},
				{"PUT", base + "/2030-01-10", map[string]any{"ranges": []map[string]any{{"start": "1pm", "end": "15:00"}}}, "ranges.0.start"},
				{"DELETE", base + "/tomorrow", nil, "date"},
				{"GET", base + "?from=2030-01-01&to=2031-06-01", nil, "to"},
				{"GET", base + "?from=2030-02-01&to=2030-01-01", nil, "to"},
				{"GET", base + "?from=jan", nil, "from"},
			} {
				if r := e.do(c.method, c.path, tok, c.body); r.status != 422 || r.apiErr().Fields[c.field] == "" {
					t.Errorf("%s %s: %d %s", c.method, c.path, r.status, r.body)
				}
			}
		})

		t.Run("services", func(t *testing.T) {
			var s serviceJSON
			e.must(201, "POST", ws+"/services", tok, map[string]any{"name": "新服務", "duration_minutes": 30, "practitioner_ids": []string{A.Lin.ID}}).decode(t, &s)
			if s.HorizonDays != 60 || s.Confirmation != "auto" || s.Payment != "none" || s.MeetingHost != "assigned" || !s.Active || s.Price != (moneyJSON{0, "TWD"}) {
				t.Fatalf("defaults: %+v", s)
			}
			// GET, edit, PUT: the round trip is accepted as read.
			var full map[string]any
			e.must(200, "GET", ws+"/services/"+s.ID, tok, nil).decode(t, &full)
			full["name"], full["duration_minutes"], full["online"], full["online_instructions"] = "改名服務", 45, true, "Zoom 連結會寄給您。"
			full["confirmation"], full["payment"], full["payment_deadline_minutes"] = "manual", "before_confirmation", 60
			full["price"] = map[string]any{"amount": 900, "currency": "twd"}
			full["meeting_host"], full["designated_host_id"] = "designated", A.Chen.ID
			full["practitioner_ids"] = []string{A.Lin.ID, A.Chen.ID}
			var u serviceJSON
			e.must(200, "PUT", ws+"/services/"+s.ID, tok, full).decode(t, &u)
			if u.Name != "改名服務" || u.DurationMinutes != 45 || u.Price != (moneyJSON{900, "TWD"}) || u.DesignatedHostID != A.Chen.ID || u.CreatedAt != s.CreatedAt {
				t.Fatalf("updated: %+v", u)
			}
			var pw publicWorkspaceJSON
			e.must(200, "GET", "/api/v1/public/workspaces/studio-a", "", nil).decode(t, &pw)
			found := false
			for _, ps := range pw.Services {
				if ps.ID == s.ID {
					found = ps.Confirmation == "manual" && ps.Payment == "before_confirmation" && len(ps.Practitioners) == 2 && ps.Online
				}
			}
			if !found || len(pw.Services) != 4 || pw.TimeZone != "Asia/Taipei" {
				t.Errorf("public workspace: %+v", pw)
			}
			full["active"] = false
			e.must(200, "PUT", ws+"/services/"+s.ID, tok, full)
			e.must(200, "GET", "/api/v1/public/workspaces/studio-a", "", nil).decode(t, &pw)
			if len(pw.Services) != 3 {
				t.Errorf("inactive service shown: %+v", pw.Services)
			}
			if r := e.book("studio-a", &daoyue.Service{ID: s.ID}, nil, apiAt(1, 10, 0)); r.status != 404 {
				t.Errorf("booking an inactive service: %d", r.status)
			}
			full["id"] = "sv_other"
			if r := e.do("PUT", ws+"/services/"+s.ID, tok, full); r.status != 422 || r.apiErr().Fields["id"] == "" {
				t.Errorf("id mismatch: %d %s", r.status, r.body)
			}
			for _, c := range []struct {
				body  map[string]any
				field string
			}{
				{map[string]any{"name": "X", "duration_minutes": 30, "practitioner_ids": []string{A.Lin.ID}, "payment": "before_confirmation", "payment_deadline_minutes": 60}, "payment"},
				{map[string]any{"name": "X", "duration_minutes": 3, "practitioner_ids": []string{A.Lin.ID}}, "duration_minutes"},
				{map[string]any{"name": "X", "duration_minutes": 30}, "practitioner_ids"},
				{map[string]any{"name": "X", "duration_minutes": 30, "practitioner_ids": []string{A.Lin.ID}, "confirmation": "maybe"}, "confirmation"},
				{map[string]any{"name": "X", "duration_minutes": 30, "practitioner_ids": []string{A.Lin.ID}, "price": map[string]any{"amount": 1, "currency": "NTDX"}}, "price.currency"},
				{map[string]any{"name": "X", "duration_minutes": "30", "practitioner_ids": []string{A.Lin.ID}}, "duration_minutes"},
				{map[string]any{"name": "X", "duration_minutes": 30, "practitioner_ids": []string{A.Lin.ID}, "price": map[string]any{"amount": 1, "currency": "TWD", "tax": 5}}, "tax"},
			} {
				if r := e.do("POST", ws+"/services", tok, c.body); r.status != 422 || r.apiErr().Fields[c.field] == "" {
					t.Errorf("%v: %d %s", c.body, r.status, r.body)
				}
			}
			if r := e.do("GET", ws+"/services/sv_nope", tok, nil); r.status != 404 {
				t.Errorf("unknown service: %d", r.status)
			}
		})

		t.Run("members", func(t *testing.T) {
			var l struct{ Members []memberJSON }
			e.must(200, "GET", ws+"/members", tok, nil).decode(t, &l)
			if len(l.Members) != 1 || l.Members[0].Role != "owner" || l.Members[0].Email != "owner@a.example" {
				t.Fatalf("members: %+v", l)
			}
			owner := l.Members[0].UserID
			// A member joins by invitation (invitation_test.go); the
			// operator's command line adds one directly.
			if _, err := e.app.EnsureMember(context.Background(), "studio-a", "staff@a.example", "助理", "staff password", daoyue.RoleStaff); err != nil {
				t.Fatal(err)
			}
			e.must(200, "GET", ws+"/members", tok, nil).decode(t, &l)
			var m memberJSON
			for _, x := range l.Members {
				if x.Email == "staff@a.example" {
					m = x
				}
			}
			if m.Role != "staff" || m.Name != "助理" {
				t.Fatalf("added: %+v", l)
			}
			if r := e.do("POST", ws+"/members", tok, map[string]any{"email": "x@a.example", "role": "staff"}); r.status != 405 && r.status != 404 {
				t.Errorf("adding a member with a password is gone: %d %s", r.status, r.body)
			}
			if r := e.do("POST", ws+"/invitations", tok, map[string]any{"email": "staff@a.example", "role": "staff"}); r.status != 409 || r.code() != daoyue.ECONFLICT {
				t.Errorf("inviting a member: %d %s", r.status, r.body)
			}
			if r := e.do("POST", ws+"/invitations", tok, map[string]any{"email": "x@a.example", "role": "boss"}); r.status != 422 || r.apiErr().Fields["role"] == "" {
				t.Errorf("unknown role: %d %s", r.status, r.body)
			}
			// Staff run bookings but not the setup.
			staff := e.token("staff@a.example")
			e.must(200, "GET", ws+"/bookings?tab=pending", staff, nil)
			for _, c := range []struct {
				method, path string
				body         any
			}{
				{"POST", ws + "/practitioners", map[string]any{"name": "X"}},
				{"PATCH", ws + "/practitioners/" + A.Lin.ID, map[string]any{"name": "X"}},
				{"PUT", ws + "/practitioners/" + A.Lin.ID + "/overrides/2030-01-10", map[string]any{"ranges": []any{}}},
				{"POST", ws + "/services", map[string]any{"name": "X", "duration_minutes": 30, "practitioner_ids": []string{A.Lin.ID}}},
				{"POST", ws + "/invitations", map[string]any{"email": "owner@b.example", "role": "staff"}},
				{"PATCH", ws + "/members/" + owner, map[string]any{"role": "staff"}},
				{"DELETE", ws + "/members/" + owner, nil},
			} {
				r := e.do(c.method, c.path, staff, c.body, "Accept-Language", "en")
				if r.status != 403 || r.code() != daoyue.EFORBIDDEN || r.apiErr().Message != i18n.T(i18n.EN, "error.forbidden", nil) {
					t.Errorf("staff %s %s: %d %s", c.method, c.path, r.status, r.body)
				}
			}
			e.must(200, "PATCH", ws+"/members/"+m.UserID, tok, map[string]any{"role": "admin"}).decode(t, &m)
			if m.Role != "admin" {
				t.Errorf("role: %+v", m)
			}
			if r := e.do("PATCH", ws+"/members/"+owner, tok, map[string]any{"role": "staff"}); r.status != 409 {
				t.Errorf("demoting the last owner: %d %s", r.status, r.body)
			}
			if r := e.do("DELETE", ws+"/members/"+owner, tok, nil); r.status != 409 {
				t.Errorf("removing the last owner: %d %s", r.status, r.body)
			}
			e.must(204, "DELETE", ws+"/members/"+m.UserID, tok, nil)
			e.must(200, "GET", ws+"/members", tok, nil).decode(t, &l)
			if len(l.Members) != 1 {
				t.Errorf("after removal: %+v", l)
			}
			if r := e.do("GET", ws+"/bookings", staff, nil); r.status != 404 {
				t.Errorf("removed member still reads: %d", r.status)
			}
		})

		var w workspaceJSON
		e.must(200, "GET", ws, tok, nil).decode(t, &w)
		if w.Role != "owner" || w.Name != "甲工作室" || w.TimeZone != "Asia/Taipei" {
			t.Errorf("workspace: %+v", w)
		}
	})
}
