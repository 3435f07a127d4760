package web

import (
	"strings"
	"testing"

	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// Acceptance 2: a member of workspace A reaches nothing of workspace B
// through any admin route: B's slug, or A's slug with B's ids, answers 404
// (or 403) and changes nothing of B.
func TestAPITenancy(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		A, B := e.A, e.B

		// B has a pending booking with an open request, and an override.
		bk := e.mustBook("studio-b", B.InPerson, B.Lin, apiAt(2, 10, 0))
		e.must(200, "POST", "/api/v1/public/bookings/"+bk.ManageToken+"/reschedule-request", "", map[string]any{"start": apiAt(2, 14, 0)})
		bd := e.apiDetail("studio-b", bk.ID, e.tokB)
		bReq := bd.Requests[0].ID
		e.must(200, "PUT", "/api/v1/workspaces/studio-b/practitioners/"+B.Lin.ID+"/overrides/2030-01-10", e.tokB, map[string]any{"ranges": []any{}})
		// A has a booking too, so A's slug with A's booking and B's request is tried.
		ak := e.mustBook("studio-a", A.InPerson, A.Lin, apiAt(2, 10, 0))
		// B has an invitation waiting.
		var bInv invitationJSON
		e.must(201, "POST", "/api/v1/workspaces/studio-b/invitations", e.tokB, map[string]any{"email": "new@b.example", "role": "staff"}).decode(t, &bInv)

		snapshot := func() string {
			var b strings.Builder
			paths := []string{"", "/bookings?tab=pending", "/bookings?tab=upcoming", "/bookings?tab=past", "/bookings?tab=cancelled",
				"/bookings/" + bk.ID, "/practitioners", "/practitioners/" + B.Lin.ID, "/practitioners/" + B.Lin.ID + "/overrides?from=2030-01-01&to=2030-12-31",
				"/services", "/services/" + B.Online.ID, "/members", "/invitations", "/audit?limit=200", "/outbox?limit=200"}
			for _, p := range paths {
				b.Write(e.must(200, "GET", "/api/v1/workspaces/studio-b"+p, e.tokB, nil).body)
			}
			b.Write(e.must(200, "GET", "/api/v1/public/bookings/"+bk.ManageToken, "", nil).body)
			return b.String()
		}
		before := snapshot()

		svcBody := func(prac string) map[string]any {
			return map[string]any{"name": "Intruder", "duration_minutes": 30, "practitioner_ids": []string{prac}}
		}
		// A body each route would accept if it let A in. A route added to
		// the table without a case here fails the test.
		bodies := map[string]func(slug string) any{
			"GET /api/v1/workspaces/{slug}":                                              nil,
			"GET /api/v1/workspaces/{slug}/clients/export":                               nil,
			"POST /api/v1/workspaces/{slug}/clients/erase":                               func(string) any { return map[string]any{"email": "ming@example.com"} },
			"GET /api/v1/workspaces/{slug}/export":                                       nil,
			"DELETE /api/v1/workspaces/{slug}":                                           func(slug string) any { return map[string]any{"confirm": slug} },
			"PATCH /api/v1/workspaces/{slug}":                                            func(string) any { return map[string]any{"name": "Hacked", "contact_email": "evil@a.example"} },
			"GET /api/v1/workspaces/{slug}/bookings":                                     nil,
			"GET /api/v1/workspaces/{slug}/bookings/{id}":                                nil,
			"POST /api/v1/workspaces/{slug}/bookings/{id}/accept":                        nil,
			"POST /api/v1/workspaces/{slug}/bookings/{id}/decline":                       func(string) any { return map[string]any{"reason": "x"} },
			"POST /api/v1/workspaces/{slug}/bookings/{id}/cancel":                        func(string) any { return map[string]any{"reason": "x"} },
			"POST /api/v1/workspaces/{slug}/bookings/{id}/reschedule":                    func(string) any { return map[string]any{"start": apiAt(2, 16, 0)} },
			"POST /api/v1/workspaces/{slug}/bookings/{id}/payments":                      func(string) any { return map[string]any{"method": "cash"} },
			"POST /api/v1/workspaces/{slug}/bookings/{id}/transfer/confirm":              nil,
			"POST /api/v1/workspaces/{slug}/bookings/{id}/transfer/reject":               nil,
			"POST /api/v1/workspaces/{slug}/bookings/{id}/refunds":                       func(string) any { return map[string]any{"amount": 1} },
			"POST /api/v1/workspaces/{slug}/bookings/{id}/refund/waive":                  nil,
			"POST /api/v1/workspaces/{slug}/bookings/{id}/requests/{request_id}/approve": nil,
			"POST /api/v1/workspaces/{slug}/bookings/{id}/requests/{request_id}/reject":  func(string) any { return map[string]any{"message": "no"} },
			"GET /api/v1/workspaces/{slug}/practitioners":                                nil,
			"POST /api/v1/workspaces/{slug}/practitioners":                               func(string) any { return map[string]any{"name": "Intruder"} },
			"GET /api/v1/workspaces/{slug}/practitioners/{id}":                           nil,
			"PATCH /api/v1/workspaces/{slug}/practitioners/{id}":                         func(string) any { return map[string]any{"name": "Hacked", "active": false} },
			"GET /api/v1/workspaces/{slug}/practitioners/{id}/overrides":                 nil,
			"PUT /api/v1/workspaces/{slug}/practitioners/{id}/overrides/{date}":          func(string) any { return map[string]any{"ranges": []any{}} },
			"DELETE /api/v1/workspaces/{slug}/practitioners/{id}/overrides/{date}":       nil,
			"GET /api/v1/workspaces/{slug}/services":                                     nil,
			"POST /api/v1/workspaces/{slug}/services":                                    func(string) any { return svcBody(B.Lin.ID) },
			"GET /api/v1/workspaces/{slug}/services/{id}":                                nil,
			"PUT /api/v1/workspaces/{slug}/services/{id}": func(slug string) any {
				if slug == "studio-a" {
					return svcBody(A.Lin.ID) // valid in A: only the service id is B's
				}
				return svcBody(B.Lin.ID)
			},
			"GET /api/v1/workspaces/{slug}/members":                          nil,
			"GET /api/v1/workspaces/{slug}/invitations":                      nil,
			"POST /api/v1/workspaces/{slug}/invitations":                     func(string) any { return map[string]any{"email": "owner@a.example", "role": "owner"} },
			"POST /api/v1/workspaces/{slug}/invitations/{id}/resend":         nil,
			"DELETE /api/v1/workspaces/{slug}/invitations/{id}":              nil,
			"PATCH /api/v1/workspaces/{slug}/members/{user_id}":              func(string) any { return map[string]any{"role": "staff"} },
			"DELETE /api/v1/workspaces/{slug}/members/{user_id}":             nil,
			"GET /api/v1/workspaces/{slug}/audit":                            nil,
			"GET /api/v1/workspaces/{slug}/outbox":                           nil,
			"POST /api/v1/workspaces/{slug}/bookings/{id}/meeting/retry":     nil,
			"POST /api/v1/workspaces/{slug}/practitioners/{id}/zoom/connect": nil,
			"POST /api/v1/workspaces/{slug}/practitioners/{id}/zoom/default": nil,
			"DELETE /api/v1/workspaces/{slug}/practitioners/{id}/zoom":       nil,
		}
		tried := 0
		for _, rt := range e.srv.apiRoutes() {
			if rt.Access != apiMember || !strings.Contains(rt.Path, "{slug}") {
				continue
			}
			pattern := rt.Method + " " + rt.Path
			mk, ok := bodies[pattern]
			if !ok {
				t.Errorf("no tenancy case for %s", pattern)
				continue
			}
			id := ""
			switch {
			case strings.Contains(rt.Path, "/bookings/{id}"):
				id = bk.ID
			case strings.Contains(rt.Path, "/practitioners/{id}"):
				id = B.Lin.ID
			case strings.Contains(rt.Path, "/services/{id}"):
				id = B.Online.ID
			case strings.Contains(rt.Path, "/invitations/{id}"):
				id = bInv.ID
			}
			type variant struct{ slug, id string }
			variants := []variant{{"studio-b", id}}
			if strings.Contains(rt.Path, "{id}") || strings.Contains(rt.Path, "{user_id}") {
				variants = append(variants, variant{"studio-a", id})
			}
			if strings.Contains(rt.Path, "{request_id}") {
				variants = append(variants, variant{"studio-a", ak.ID})
			}
			for _, v := range variants {
				p := strings.NewReplacer("{slug}", v.slug, "{id}", v.id, "{request_id}", bReq, "{user_id}", e.ownerB.ID, "{date}", "2030-01-10").Replace(rt.Path)
				if rt.Method == "GET" && strings.HasSuffix(p, "/overrides") {
					p += "?from=2030-01-01&to=2030-12-31"
				}
				if strings.HasSuffix(p, "/clients/export") {
					p += "?email=ming@example.com"
				}
				var body any
				if mk != nil {
					body = mk(v.slug)
				}
				r := e.do(rt.Method, p, e.tokA, body)
				tried++
				if r.status != 404 && r.status != 403 {
					t.Errorf("%s %s as A's owner: %d %s", rt.Method, p, r.status, r.body)
				}
				if strings.Contains(string(r.body), bk.ID) || strings.Contains(string(r.body), "乙工作室") {
					t.Errorf("%s %s leaks B: %s", rt.Method, p, r.body)
				}
			}
		}
		if tried < 40 {
			t.Fatalf("only %d tenancy requests", tried)
		}

		// Ids of B inside bodies and queries reach nothing either.
		if r := e.do("POST", "/api/v1/workspaces/studio-a/services", e.tokA, svcBody(B.Lin.ID)); r.status != 422 || r.apiErr().Fields["practitioner_ids"] == "" {
			t.Errorf("service with B's practitioner: %d %s", r.status, r.body)
		}
		in := svcBody(A.Lin.ID)
		in["meeting_host"], in["designated_host_id"] = "designated", B.Chen.ID
		if r := e.do("POST", "/api/v1/workspaces/studio-a/services", e.tokA, in); r.status != 422 || r.apiErr().Fields["designated_host_id"] == "" {
			t.Errorf("service hosted by B's practitioner: %d %s", r.status, r.body)
		}
		var l struct{ Bookings []any }
		e.must(200, "GET", "/api/v1/workspaces/studio-a/bookings?tab=pending&practitioner_id="+B.Lin.ID, e.tokA, nil).decode(t, &l)
		if len(l.Bookings) != 0 {
			t.Errorf("A's list filtered by B's practitioner: %v", l.Bookings)
		}
		for _, p := range []string{
			"/api/v1/public/workspaces/studio-a/slots?service_id=" + B.Online.ID + "&from=2030-01-08&to=2030-01-08",
			"/api/v1/public/workspaces/studio-a/slots?service_id=" + A.Online.ID + "&practitioner_id=" + B.Lin.ID + "&from=2030-01-08&to=2030-01-08",
		} {
			if r := e.do("GET", p, "", nil); r.status != 404 {
				t.Errorf("%s: %d %s", p, r.status, r.body)
			}
		}
		var mine struct{ Workspaces []struct{ Slug string } }
		e.must(200, "GET", "/api/v1/workspaces", e.tokA, nil).decode(t, &mine)
		if len(mine.Workspaces) != 1 || mine.Workspaces[0].Slug != "studio-a" {
			t.Errorf("A's workspaces: %+v", mine)
		}

		if after := snapshot(); after != before {
			t.Fatalf("B changed:\nbefore %s\nafter  %s", before, after)
		}
	})
}
