package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/internal/testenv"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// The role matrix: every admin route of the API table, called by every role
// of studio A (owner, admin, staff, and a practitioner member linked to Lin)
// and by studio B's owner, on fresh objects each time. Each answer is one
// of three: let through (the route did its work or refused the input),
// forbidden (403), or not found (404: another studio's, or a booking of
// another practitioner). A route added to the table without a rule here
// fails the test.
func TestRoleMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnvWith(t, db, testenv.Options{Start: apiNow, Zoom: true})
		A := e.A
		ctx := context.Background()
		for _, m := range []struct {
			email string
			role  daoyue.Role
		}{{"admin@a.example", daoyue.RoleAdmin}, {"staff@a.example", daoyue.RoleStaff}, {"prac@a.example", daoyue.RoleStaff}} {
			if _, err := e.app.EnsureMember(ctx, "studio-a", m.email, "", apiPassword, m.role); err != nil {
				t.Fatal(err)
			}
		}
		// The practitioner member, linked to Lin.
		err := db.Update(ctx, func(tx daoyue.Tx) error {
			u, err := tx.UserByEmail(ctx, "prac@a.example")
			if err != nil {
				return err
			}
			return tx.PutMember(ctx, &daoyue.Member{WorkspaceID: A.Workspace.ID, UserID: u.ID, Role: daoyue.RolePractitioner,
				PractitionerID: A.Lin.ID, CreatedAt: apiNow})
		})
		if err != nil {
			t.Fatal(err)
		}
		tokens := map[string]string{"owner": e.tokA, "admin": e.token("admin@a.example"), "staff": e.token("staff@a.example"),
			"practitioner": e.token("prac@a.example"), "other studio": e.tokB}

		const (
			through   = "through"
			forbidden = "forbidden"
			notFound  = "not found"
		)
		everyone := map[string]string{"owner": through, "admin": through, "staff": through, "practitioner": through}
		managers := map[string]string{"owner": through, "admin": through, "staff": forbidden, "practitioner": forbidden}
		notPractitioner := map[string]string{"owner": through, "admin": through, "staff": through, "practitioner": forbidden}
		tendsLin := map[string]string{"owner": through, "admin": through, "staff": forbidden, "practitioner": through}
		tendsChen := managers
		ownerOnly := map[string]string{"owner": through, "admin": forbidden, "staff": forbidden, "practitioner": forbidden}
		chensBooking := map[string]string{"owner": through, "admin": through, "staff": through, "practitioner": notFound}

		// A rule per route: who may, and on which objects.
		type rule struct {
			want map[string]string
			pid  string // the practitioner in {id} of practitioner routes
			body any
		}
		weekly := map[string]any{"weekly_hours": []any{}}
		rules := map[string]rule{
			"GET /api/v1/workspaces/{slug}":                                              {want: everyone},
			"PATCH /api/v1/workspaces/{slug}":                                            {want: managers, body: map[string]any{"name": "甲工作室"}},
			"GET /api/v1/workspaces/{slug}/bookings":                                     {want: everyone},
			"GET /api/v1/workspaces/{slug}/bookings/{id}":                                {want: chensBooking},
			"POST /api/v1/workspaces/{slug}/bookings/{id}/accept":                        {want: chensBooking},
			"POST /api/v1/workspaces/{slug}/bookings/{id}/decline":                       {want: chensBooking, body: map[string]any{"reason": "x"}},
			"POST /api/v1/workspaces/{slug}/bookings/{id}/cancel":                        {want: chensBooking, body: map[string]any{"reason": "x"}},
			"POST /api/v1/workspaces/{slug}/bookings/{id}/reschedule":                    {want: chensBooking, body: map[string]any{"start": apiAt(4, 16, 0)}},
			"POST /api/v1/workspaces/{slug}/bookings/{id}/payments":                      {want: chensBooking, body: map[string]any{"method": "cash"}},
			"POST /api/v1/workspaces/{slug}/bookings/{id}/transfer/confirm":              {want: chensBooking},
			"POST /api/v1/workspaces/{slug}/bookings/{id}/transfer/reject":               {want: chensBooking},
			"POST /api/v1/workspaces/{slug}/bookings/{id}/refunds":                       {want: chensBooking, body: map[string]any{"amount": 1}},
			"POST /api/v1/workspaces/{slug}/bookings/{id}/refund/waive":                  {want: chensBooking},
			"POST /api/v1/workspaces/{slug}/bookings/{id}/requests/{request_id}/approve": {want: chensBooking},
			"POST /api/v1/workspaces/{slug}/bookings/{id}/requests/{request_id}/reject":  {want: chensBooking, body: map[string]any{"message": "no"}},
			"POST /api/v1/workspaces/{slug}/bookings/{id}/meeting/retry":                 {want: chensBooking},
			"GET /api/v1/workspaces/{slug}/practitioners":                                {want: everyone},
			"POST /api/v1/workspaces/{slug}/practitioners":                               {want: managers, body: map[string]any{"name": "New"}},
			"GET /api/v1/workspaces/{slug}/practitioners/{id}":                           {want: everyone, pid: A.Lin.ID},
			"PATCH /api/v1/workspaces/{slug}/practitioners/{id}":                         {want: tendsLin, pid: A.Lin.ID, body: weekly},
			"GET /api/v1/workspaces/{slug}/practitioners/{id}/overrides":                 {want: everyone, pid: A.Lin.ID},
			"PUT /api/v1/workspaces/{slug}/practitioners/{id}/overrides/{date}":          {want: tendsChen, pid: A.Chen.ID, body: map[string]any{"ranges": []any{}}},
			"DELETE /api/v1/workspaces/{slug}/practitioners/{id}/overrides/{date}":       {want: tendsLin, pid: A.Lin.ID},
			"POST /api/v1/workspaces/{slug}/practitioners/{id}/zoom/connect":             {want: tendsLin, pid: A.Lin.ID},
			"POST /api/v1/workspaces/{slug}/practitioners/{id}/zoom/default":             {want: tendsChen, pid: A.Chen.ID},
			"DELETE /api/v1/workspaces/{slug}/practitioners/{id}/zoom":                   {want: tendsLin, pid: A.Lin.ID},
			"GET /api/v1/workspaces/{slug}/services":                                     {want: everyone},
			"POST /api/v1/workspaces/{slug}/services":                                    {want: managers, body: map[string]any{"name": "X", "duration_minutes": 30, "practitioner_ids": []string{A.Lin.ID}}},
			"GET /api/v1/workspaces/{slug}/services/{id}":                                {want: everyone},
			"PUT /api/v1/workspaces/{slug}/services/{id}":                                {want: managers, body: map[string]any{"name": "X", "duration_minutes": 30, "practitioner_ids": []string{A.Lin.ID}}},
			"GET /api/v1/workspaces/{slug}/members":                                      {want: everyone},
			"PATCH /api/v1/workspaces/{slug}/members/{user_id}":                          {want: managers, body: map[string]any{"role": "staff"}},
			"DELETE /api/v1/workspaces/{slug}/members/{user_id}":                         {want: managers},
			"GET /api/v1/workspaces/{slug}/invitations":                                  {want: everyone},
			"POST /api/v1/workspaces/{slug}/invitations":                                 {want: managers, body: map[string]any{"email": "new@a.example", "role": "staff"}},
			"POST /api/v1/workspaces/{slug}/invitations/{id}/resend":                     {want: managers},
			"DELETE /api/v1/workspaces/{slug}/invitations/{id}":                          {want: managers},
			"GET /api/v1/workspaces/{slug}/audit":                                        {want: notPractitioner},
			"GET /api/v1/workspaces/{slug}/clients/export":                               {want: notPractitioner},
			"POST /api/v1/workspaces/{slug}/clients/erase":                               {want: managers, body: map[string]any{"email": "someone@example.com"}},
			"GET /api/v1/workspaces/{slug}/export":                                       {want: ownerOnly},
			"DELETE /api/v1/workspaces/{slug}":                                           {want: ownerOnly, body: map[string]any{"confirm": "not-the-slug"}},
			"GET /api/v1/workspaces/{slug}/outbox":                                       {want: notPractitioner},
		}

		hour := 0
		freshBooking := func() (string, string) {
			hour++
			day := 1 // Tuesday; weekdays only (day 5 and 6 of each week are the weekend)
			for k := 0; k < hour/3; k++ {
				if day++; day%7 == 5 {
					day += 2
				}
			}
			at := 9 + (hour%3)*3
			bk := e.mustBook("studio-a", A.InPerson, A.Chen, apiAt(day, at, 0))
			r := e.do("POST", "/api/v1/public/bookings/"+bk.ManageToken+"/reschedule-request", "", map[string]any{"start": apiAt(day, at, 30)})
			var req string
			if r.status == 200 {
				d := e.apiDetail("studio-a", bk.ID, e.tokA)
				if len(d.Requests) > 0 {
					req = d.Requests[0].ID
				}
			}
			return bk.ID, req
		}
		victim := 0
		freshMember := func() string {
			victim++
			u, err := e.app.EnsureMember(ctx, "studio-a", fmt.Sprintf("victim%d@a.example", victim), "", apiPassword, daoyue.RoleStaff)
			if err != nil {
				t.Fatal(err)
			}
			return u.ID
		}
		freshInvitation := func() string {
			var inv invitationJSON
			victim++
			e.must(201, "POST", "/api/v1/workspaces/studio-a/invitations", e.tokA, map[string]any{"email": fmt.Sprintf("inv%d@a.example", victim), "role": "staff"}).decode(t, &inv)
			return inv.ID
		}

		tried := 0
		for _, rt := range e.srv.apiRoutes() {
			if rt.Access != apiMember || !strings.Contains(rt.Path, "{slug}") {
				continue
			}
			pattern := rt.Method + " " + rt.Path
			ru, ok := rules[pattern]
			if !ok {
				t.Errorf("no role rule for %s", pattern)
				continue
			}
			for _, who := range []string{"owner", "admin", "staff", "practitioner", "other studio"} {
				id, reqID, userID := "", "", ""
				switch {
				case strings.Contains(rt.Path, "/bookings/{id}"):
					id, reqID = freshBooking()
				case strings.Contains(rt.Path, "/practitioners/{id}"):
					id = ru.pid
				case strings.Contains(rt.Path, "/services/{id}"):
					id = A.Online.ID
				case strings.Contains(rt.Path, "/invitations/{id}"):
					id = freshInvitation()
				}
				if strings.Contains(rt.Path, "{user_id}") {
					userID = freshMember()
				}
				p := strings.NewReplacer("{slug}", "studio-a", "{id}", id, "{request_id}", reqID, "{user_id}", userID, "{date}", "2030-01-10").Replace(rt.Path)
				if rt.Method == "GET" && strings.HasSuffix(p, "/overrides") {
					p += "?from=2030-01-01&to=2030-12-31"
				}
				if strings.HasSuffix(p, "/clients/export") {
					p += "?email=someone@example.com"
				}
				r := e.do(rt.Method, p, tokens[who], ru.body)
				tried++
				want := ru.want[who]
				if who == "other studio" {
					want = notFound
				}
				got := through
				switch r.status {
				case 403:
					got = forbidden
				case 404:
					got = notFound
				case 401:
					got = "unauthenticated"
				}
				if got != want {
					t.Errorf("%s %s as %s: %d (%s), want %s: %s", rt.Method, p, who, r.status, got, want, r.body)
				}
			}
		}
		if tried < 150 {
			t.Fatalf("only %d requests", tried)
		}
	})
}

// A practitioner member, invited with their practitioner: the bookings
// list shows only that practitioner's bookings, with counts to match.
func TestPractitionerMemberSeesOwnBookings(t *testing.T) {
	eachPageStore(t, func(t *testing.T, e *pageEnv) {
		mb := e.withMail(t)
		owner := e.browser(t)
		owner.login("owner@a.example")
		mp := owner.get("/admin/studio-a/members")
		noLink := owner.submit(mp, `form[action="/admin/studio-a/members"]`, map[string][]string{"email": {"lin@a.example"}, "role": {"practitioner"}})
		noLink.wantStatus(422)
		noLink.wantText("#e-practitioner-id", msg("zh-TW", "error.required"))
		owner.submit(mp, `form[action="/admin/studio-a/members"]`, map[string][]string{"email": {"lin@a.example"}, "role": {"practitioner"},
			"practitioner_id": {e.A.Lin.ID}}).wantText(".flash-ok", msg("zh-TW", "flash.invitation_sent"))
		lin := e.browser(t)
		lin.submit(lin.get(mb.link(t, "lin@a.example")), `form[action^="/invite/"]`, map[string][]string{"name": {"林老師"}, "password": {"lin's own passphrase"}})
		owner.get("/admin/studio-a/members").wantText("tr:contains('lin@a.example')", e.A.Lin.Name)

		linBk := e.book("studio-a", e.A.Online, e.A.Lin.ID, pgAt(1, 10, 0), "Lin's Client")
		chenBk := e.book("studio-a", e.A.Online, e.A.Chen.ID, pgAt(1, 10, 0), "Chen's Client")
		list := lin.get("/admin/studio-a/bookings")
		if text := list.text("main"); !strings.Contains(text, "Lin's Client") || strings.Contains(text, "Chen's Client") {
			t.Fatalf("the practitioner's list: %s", list.visible())
		}
		list.wantText(`nav.tabs a[aria-current=page]`, "1")
		lin.get("/admin/studio-a/bookings/" + linBk.Booking.ID).wantStatus(200)
		lin.get("/admin/studio-a/bookings/" + chenBk.Booking.ID).wantStatus(404)
		lin.get("/admin/studio-a/outbox").wantStatus(403)
	})
}
