package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// The booking flood of the hardening issue: one address submitting a
// burst of bookings to invented recipients, each sending a studio-branded
// email (and making a Zoom meeting). With the production limits it gets 10
// through; the studio sees one line about it in its history; other clients
// book as before; a name that reads as a link never leads the email.

// freeSlots lists n free starts of studio A's online service.
func (e *apiEnv) freeSlots(t *testing.T, n int) []string {
	t.Helper()
	var s struct{ Slots []struct{ Start string } }
	e.must(200, "GET", "/api/v1/public/workspaces/studio-a/slots?service_id="+e.A.Online.ID+"&from=2030-01-08&to=2030-01-31", "", nil).decode(t, &s)
	// Distinct starts, far enough apart that no booking's buffers touch
	// another's.
	var out []string
	seen := map[string]bool{}
	for i, sl := range s.Slots {
		if i%3 == 0 && !seen[sl.Start] && len(out) < n {
			seen[sl.Start] = true
			out = append(out, sl.Start)
		}
	}
	if len(out) < n {
		t.Fatalf("only %d free slots", len(out))
	}
	return out
}

// submit books start from addr for the recipient email and returns the status.
func submit(t *testing.T, srv, addr, serviceID, start, name, email string) int {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"service_id": serviceID, "start": start,
		"client": map[string]any{"name": name, "email": email}})
	req, _ := http.NewRequest("POST", srv+"/api/v1/public/workspaces/studio-a/bookings", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", addr)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestBookingFloodFromOneAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		e.app.Limits = app.DefaultLimits
		srv := behindProxy(t, e.app, db)
		slots := e.freeSlots(t, 42)
		var mu sync.Mutex
		got := map[int]int{}
		var wg sync.WaitGroup
		for i := 0; i < 40; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				st := submit(t, srv, "203.0.113.50", e.A.Online.ID, slots[i], "Visit http://phish.example now", fmt.Sprintf("victim%d@elsewhere.example", i))
				mu.Lock()
				got[st]++
				mu.Unlock()
			}(i)
		}
		wg.Wait()
		if got[201] != 10 || got[429] != 30 {
			t.Fatalf("40 parallel bookings from one address: %v, want 10 created and 30 refused", got)
		}
		// One line in the studio's history, not thirty.
		var a struct{ Entries []struct{ Action string } }
		e.must(200, "GET", "/api/v1/workspaces/studio-a/audit?limit=200", e.tokA, nil).decode(t, &a)
		n := 0
		for _, en := range a.Entries {
			if en.Action == "booking.burst_refused" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d burst entries in the audit log, want 1", n)
		}
		// The attacker's text never leads an email.
		var ob struct {
			Messages []struct{ Body string }
		}
		e.must(200, "GET", "/api/v1/workspaces/studio-a/outbox?limit=200", e.tokA, nil).decode(t, &ob)
		if len(ob.Messages) != 10 {
			t.Fatalf("%d emails for 10 bookings", len(ob.Messages))
		}
		for _, m := range ob.Messages {
			if strings.Contains(m.Body, "phish.example") || !strings.HasPrefix(m.Body, "您好:") {
				t.Fatalf("an email leads with the attacker's text:\n%s", m.Body)
			}
		}
		// A real client elsewhere books as before, and is greeted by name.
		if st := submit(t, srv, "198.51.100.20", e.A.Online.ID, slots[40], "王小明", "ming@example.com"); st != 201 {
			t.Fatalf("another address: %d", st)
		}
		e.must(200, "GET", "/api/v1/workspaces/studio-a/outbox?limit=1", e.tokA, nil).decode(t, &ob)
		if !strings.HasPrefix(ob.Messages[0].Body, "王小明 您好:") {
			t.Errorf("greeting: %q", ob.Messages[0].Body[:40])
		}
	})
}

// One recipient gets at most 5 new bookings' emails, whoever submits them.
func TestBookingLimitPerRecipient(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		e.app.Limits = app.DefaultLimits
		srv := behindProxy(t, e.app, db)
		slots := e.freeSlots(t, 8)
		got := map[int]int{}
		for i, start := range slots {
			got[submit(t, srv, fmt.Sprintf("203.0.113.%d", 100+i), e.A.Online.ID, start, "Ming", "target@example.com")]++
		}
		if got[201] != 5 || got[429] != 3 {
			t.Fatalf("8 bookings for one recipient: %v", got)
		}
	})
}
