package web

import (
	"strings"
	"testing"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

type apiDetail struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Start   string `json:"start"`
	End     string `json:"end"`
	Payment struct {
		Status string `json:"status"`
		Method string `json:"method"`
		DueAt  string `json:"due_at"`
		PaidAt string `json:"paid_at"`
	} `json:"payment"`
	Meeting struct {
		Provider      string `json:"provider"`
		Status        string `json:"status"`
		StatusMessage string `json:"status_message"`
	} `json:"meeting"`
	Requests []struct {
		ID       string `json:"id"`
		Kind     string `json:"kind"`
		Status   string `json:"status"`
		NewStart string `json:"new_start"`
		Message  string `json:"message"`
	} `json:"requests"`
	CancelReason string `json:"cancel_reason"`
	History      []struct {
		Action string `json:"action"`
	} `json:"history"`
}

func (e *apiEnv) apiDetail(slug, id, token string) apiDetail {
	e.t.Helper()
	var d apiDetail
	e.must(200, "GET", "/api/v1/workspaces/"+slug+"/bookings/"+id, token, nil).decode(e.t, &d)
	return d
}

func (e *apiEnv) action(want int, id, act, token string, body any, headers ...string) apiDetail {
	e.t.Helper()
	var d apiDetail
	r := e.must(want, "POST", "/api/v1/workspaces/studio-a/bookings/"+id+"/"+act, token, body, headers...)
	if want == 200 {
		r.decode(e.t, &d)
	} else if r.code() != daoyue.ETRANSITION {
		e.t.Fatalf("%s: code %s, want invalid_transition", act, r.code())
	} else if msg := r.apiErr().Message; strings.ContainsAny(msg, "abcdefghijklmnopqrstuvwxyz") && len(headers) == 0 {
		// zh-TW by default: the state and the action are named in words,
		// never as code words like "confirmed" or "accept".
		e.t.Errorf("%s: refusal message carries code words: %q", act, msg)
	}
	return d
}

// Acceptance 4: the lifecycle through the API, each action audited.
func TestAPILifecycle(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		A, tok := e.A, e.tokA
		pub := func(token string) string { return "/api/v1/public/bookings/" + token }

		// Manual confirmation: pending → accept → confirmed.
		m := e.mustBook("studio-a", A.InPerson, A.Lin, apiAt(2, 10, 0))
		if m.Status != "pending" || m.OnlineInstructions != "" || m.PaymentURL != nil || m.ManageURL != e.ts.URL+"/b/"+m.ManageToken {
			t.Fatalf("manual booking: %+v", m)
		}
		if d := e.apiDetail("studio-a", m.ID, tok); d.Meeting.Status != "none" || d.Meeting.StatusMessage != i18n.T(i18n.ZH, "meeting.note.in_person", nil) {
			t.Errorf("in-person meeting: %+v", d.Meeting)
		}
		if d := e.action(200, m.ID, "accept", tok, nil); d.Status != "confirmed" {
			t.Fatalf("accepted: %s", d.Status)
		}
		e.action(409, m.ID, "accept", tok, nil)
		e.action(409, m.ID, "decline", tok, map[string]any{"reason": "too late"})

		// Pay first: awaiting_payment → manual payment → confirmed.
		p := e.mustBook("studio-a", A.PayFirst, nil, apiAt(1, 10, 0))
		if p.Status != "awaiting_payment" || p.PaymentURL != nil || p.PaymentDueAt != apiAt(1, 8, 0) || p.PractitionerID != A.Chen.ID {
			t.Fatalf("pay-first booking: %+v", p)
		}
		if !strings.Contains(p.OnlineInstructions, "Zoom") {
			t.Errorf("online instructions: %q", p.OnlineInstructions)
		}
		if d := e.apiDetail("studio-a", p.ID, tok); d.Meeting.StatusMessage != i18n.T(i18n.ZH, "meeting.note.not_confirmed", nil) || d.Payment.Status != "unpaid" || d.Payment.DueAt == "" {
			t.Errorf("awaiting payment: %+v", d)
		}
		e.action(409, p.ID, "accept", tok, nil)
		r := e.do("POST", "/api/v1/workspaces/studio-a/bookings/"+p.ID+"/payments", tok, map[string]any{"method": "bitcoin"})
		if r.status != 422 || r.apiErr().Fields["method"] == "" {
			t.Errorf("unknown method: %d %s", r.status, r.body)
		}
		d := e.action(200, p.ID, "payments", tok, map[string]any{"method": "bank_transfer", "note": "末五碼 12345"})
		if d.Status != "confirmed" || d.Payment.Status != "paid" || d.Payment.Method != "bank_transfer" || d.Payment.PaidAt == "" {
			t.Fatalf("paid: %+v", d)
		}
		if d.Meeting.StatusMessage != i18n.T(i18n.ZH, "meeting.note.host_no_zoom", nil) || d.Meeting.Status != "none" {
			t.Errorf("confirmed online booking without a meeting tool: %+v", d.Meeting)
		}
		e.action(409, p.ID, "payments", tok, map[string]any{"method": "cash"})
		en := e.must(200, "GET", "/api/v1/workspaces/studio-a/bookings/"+p.ID, tok, nil, "Accept-Language", "en").m(t)
		if msg := en["meeting"].(map[string]any)["status_message"].(string); !strings.Contains(msg, "Connect Zoom") {
			t.Errorf("English meeting message: %q", msg)
		}

		// Decline.
		x := e.mustBook("studio-a", A.InPerson, A.Chen, apiAt(2, 14, 0))
		d = e.action(200, x.ID, "decline", tok, map[string]any{"reason": "老師請假"})
		if d.Status != "declined" || d.CancelReason != "老師請假" {
			t.Fatalf("declined: %+v", d)
		}
		e.action(409, x.ID, "cancel", tok, nil)
		e.action(409, x.ID, "accept", tok, nil)
		e.action(409, x.ID, "reschedule", tok, map[string]any{"start": apiAt(2, 16, 0)})
		// Its slot is free again.
		e.mustBook("studio-a", A.InPerson, A.Chen, apiAt(2, 14, 0))

		// The client asks to move; the studio approves: the booking moves.
		o := e.mustBook("studio-a", A.Online, A.Lin, apiAt(1, 11, 0))
		if o.Status != "confirmed" {
			t.Fatalf("auto-confirmed: %+v", o)
		}
		var cv map[string]any
		e.must(200, "POST", pub(o.ManageToken)+"/reschedule-request", "", map[string]any{"start": apiAt(3, 10, 0)}).decode(t, &cv)
		if rq := cv["requests"].([]any); len(rq) != 1 || rq[0].(map[string]any)["status"] != "open" {
			t.Fatalf("client view after the request: %v", cv)
		}
		d = e.apiDetail("studio-a", o.ID, tok)
		if len(d.Requests) != 1 || d.Requests[0].Kind != "reschedule" || d.Requests[0].NewStart != apiAt(3, 10, 0) {
			t.Fatalf("request: %+v", d.Requests)
		}
		// The requested time is held: nobody else can book it.
		if r := e.book("studio-a", A.Online, A.Lin, apiAt(3, 10, 0)); r.status != 409 {
			t.Errorf("held slot apiBooked: %d", r.status)
		}
		rq := d.Requests[0].ID
		approve := "requests/" + rq + "/approve"
		d = e.action(200, o.ID, approve, tok, nil)
		if d.Start != apiAt(3, 10, 0) || d.End != apiAt(3, 11, 0) || d.Requests[0].Status != "approved" || d.Status != "confirmed" {
			t.Fatalf("approved reschedule: %+v", d)
		}
		e.action(409, o.ID, approve, tok, nil)
		// The old time is free again.
		e.mustBook("studio-a", A.Online, A.Lin, apiAt(1, 11, 0))

		// A request the studio rejects frees the held time.
		e.must(200, "POST", pub(o.ManageToken)+"/reschedule-request", "", map[string]any{"start": apiAt(3, 14, 0)})
		d = e.apiDetail("studio-a", o.ID, tok)
		rq = d.Requests[0].ID
		if d.Requests[0].Status != "open" {
			rq = d.Requests[1].ID
		}
		d = e.action(200, o.ID, "requests/"+rq+"/reject", tok, map[string]any{"message": "那天老師不在"})
		if d.Start != apiAt(3, 10, 0) {
			t.Errorf("rejected request moved the booking: %s", d.Start)
		}
		e.mustBook("studio-a", A.Online, A.Lin, apiAt(3, 14, 0))

		// The client asks to cancel; the studio approves: cancelled.
		var cv2 struct {
			Requests []struct {
				ID, Kind, Status, Reason string
			}
		}
		e.must(200, "POST", pub(o.ManageToken)+"/cancel-request", "", map[string]any{"reason": "生病了"}).decode(t, &cv2)
		rq = ""
		for _, q := range cv2.Requests {
			if q.Status == "open" && q.Kind == "cancel" && q.Reason == "生病了" {
				rq = q.ID
			}
		}
		if rq == "" {
			t.Fatalf("cancel request missing: %+v", cv2)
		}
		d = e.action(200, o.ID, "requests/"+rq+"/approve", tok, nil)
		if d.Status != "cancelled" || d.CancelReason != "生病了" || d.Meeting.StatusMessage != i18n.T(i18n.ZH, "meeting.note.cancelled", nil) {
			t.Fatalf("approved cancel: %+v", d)
		}
		var view map[string]any
		r = e.must(200, "GET", pub(o.ManageToken), "", nil)
		r.decode(t, &view)
		if view["status"] != "cancelled" || view["can_change"] != false {
			t.Errorf("client view: %v", view)
		}
		if r := e.do("POST", pub(o.ManageToken)+"/cancel-request", "", map[string]any{}); r.status != 409 || r.code() != daoyue.ETRANSITION {
			t.Errorf("request on a cancelled booking: %d %s", r.status, r.body)
		}
		e.action(409, o.ID, "cancel", tok, nil)

		// A member reschedules and cancels directly.
		c := e.mustBook("studio-a", A.Online, A.Chen, apiAt(4, 10, 0))
		if d = e.action(200, c.ID, "reschedule", tok, map[string]any{"start": apiAt(4, 11, 0)}); d.Start != apiAt(4, 11, 0) {
			t.Fatalf("rescheduled: %+v", d)
		}
		// Moving onto a time overlapping its own is fine.
		if d = e.action(200, c.ID, "reschedule", tok, map[string]any{"start": apiAt(4, 11, 30)}); d.Start != apiAt(4, 11, 30) {
			t.Fatalf("rescheduled by half an hour: %+v", d)
		}
		if d = e.action(200, c.ID, "cancel", tok, map[string]any{"reason": "studio closed"}); d.Status != "cancelled" {
			t.Fatalf("cancelled: %+v", d)
		}
		e.action(409, c.ID, "cancel", tok, nil)

		// The client's view never holds private meeting details.
		cvRaw := e.must(200, "GET", pub(p.ManageToken), "", nil)
		for _, secret := range []string{"join_url", "meeting_id", "passcode", "meeting", "note"} {
			if strings.Contains(string(cvRaw.body), `"`+secret+`"`) {
				t.Errorf("client view has %q: %s", secret, cvRaw.body)
			}
		}

		// Every action left an audit entry.
		var all []map[string]any
		cursor := ""
		for page := 0; page < 100; page++ {
			var l struct {
				Entries    []map[string]any `json:"entries"`
				NextCursor string           `json:"next_cursor"`
			}
			e.must(200, "GET", "/api/v1/workspaces/studio-a/audit?limit=7&cursor="+cursor, tok, nil).decode(t, &l)
			all = append(all, l.Entries...)
			if cursor = l.NextCursor; cursor == "" {
				break
			}
		}
		actions := map[string]int{}
		seen := map[string]bool{}
		for _, en := range all {
			actions[en["action"].(string)]++
			if en["action"] == "booking.rescheduled" {
				det := en["details"].(map[string]any)
				if !strings.HasSuffix(det["from"].(string), "+08:00") || !strings.HasSuffix(det["to"].(string), "+08:00") {
					t.Errorf("audit times not in the workspace's zone: %v", det)
				}
			}
			id := en["id"].(string)
			if seen[id] {
				t.Errorf("audit entry %s on two pages", id)
			}
			seen[id] = true
		}
		for act, n := range map[string]int{"booking.submitted": 8, "booking.accepted": 1, "booking.payment_recorded": 1, "booking.declined": 1,
			"request.created": 3, "request.approved": 2, "request.rejected": 1, "booking.rescheduled": 2, "booking.cancelled": 1} {
			if actions[act] != n {
				t.Errorf("audit %s: %d entries, want %d (all: %v)", act, actions[act], n, actions)
			}
		}
		d = e.apiDetail("studio-a", o.ID, tok)
		if len(d.History) < 6 {
			t.Errorf("history of the moved and cancelled booking: %+v", d.History)
		}
		if r := e.do("GET", "/api/v1/workspaces/studio-a/audit?limit=201", tok, nil); r.status != 422 {
			t.Errorf("limit 201: %d", r.status)
		}
		if r := e.do("GET", "/api/v1/workspaces/studio-a/bookings?tab=soon", tok, nil); r.status != 422 || r.apiErr().Fields["tab"] == "" {
			t.Errorf("unknown tab: %d %s", r.status, r.body)
		}
	})
}
