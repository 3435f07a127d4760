package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/proof"
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

// submit books start from addr for the recipient email, with the proof
// of work the booking page's script would send, and returns the status.
func submit(t *testing.T, srv, addr, serviceID, start, name, email string) int {
	t.Helper()
	return submitWith(t, srv, addr, serviceID, start, name, email, solvedProof(t, srv, addr))
}

// solvedProof fetches a challenge for studio A and answers it.
func solvedProof(t *testing.T, srv, addr string) map[string]string {
	t.Helper()
	req, _ := http.NewRequest("GET", srv+"/api/v1/public/workspaces/studio-a/booking-challenge", nil)
	req.Header.Set("X-Forwarded-For", addr)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var c struct{ Challenge string }
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil || c.Challenge == "" {
		t.Fatalf("challenge: %d %v", resp.StatusCode, err)
	}
	return map[string]string{"challenge": c.Challenge, "solution": proof.Solve(c.Challenge)}
}

// submitWith books with the given proof (nil: none) and returns the status.
func submitWith(t *testing.T, srv, addr, serviceID, start, name, email string, pr map[string]string) int {
	t.Helper()
	in := map[string]any{"service_id": serviceID, "start": start,
		"client": map[string]any{"name": name, "email": email}}
	if pr != nil {
		in["proof"] = pr
	}
	body, _ := json.Marshal(in)
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

// A submission is counted before its slot is checked, in a step of its
// own (Store.UpdateSteps): attempts at a slot already taken count too
// (docs/decisions.md), so the recipient's sixth attempt is refused though
// only two were booked.
func TestBookingAttemptsCountWhenTheSlotIsTaken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		e.app.Limits = app.DefaultLimits
		srv := behindProxy(t, e.app, db)
		slots := e.freeSlots(t, 2)
		var got []int
		for i := 0; i < 5; i++ {
			got = append(got, submit(t, srv, fmt.Sprintf("203.0.113.%d", 120+i), e.A.Online.ID, slots[0], "Ming", "target@example.com"))
		}
		got = append(got, submit(t, srv, "203.0.113.130", e.A.Online.ID, slots[1], "Ming", "target@example.com"))
		// The slot is booked once per practitioner of the service, then taken.
		if fmt.Sprint(got) != "[201 201 409 409 409 429]" {
			t.Fatalf("five attempts at one slot (two practitioners), then a free one: %v", got)
		}
	})
}

// The check against scripted submissions: bookings without the page's
// proof of work (a script that will not pay it, or no script at all) go
// through under much tighter limits; a replayed or forged answer counts as
// none; the studio sees which bookings skipped it and that a burst was
// refused; clients whose page answered book as before.
func TestUncheckedBookings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		e.app.Limits = app.DefaultLimits
		srv := behindProxy(t, e.app, db)
		slots := e.freeSlots(t, 40)
		next := func() string { s := slots[0]; slots = slots[1:]; return s }
		const bot = "203.0.113.77"
		unchecked := func() map[string]int {
			var a struct {
				Entries []struct {
					Action  string
					Details map[string]string
				}
			}
			e.must(200, "GET", "/api/v1/workspaces/studio-a/audit?limit=200", e.tokA, nil).decode(t, &a)
			out := map[string]int{}
			for _, en := range a.Entries {
				if en.Action == "booking.submitted" {
					out[en.Details["unchecked"]]++
				}
				if en.Action == "booking.burst_refused" {
					out["burst:"+en.Details["limit"]]++
				}
			}
			return out
		}

		// A checked booking, then its answer replayed: each replay counts
		// as unchecked, so the third is the last to pass.
		pr := solvedProof(t, srv, bot)
		if st := submitWith(t, srv, bot, e.A.Online.ID, next(), "Ming", "m1@example.com", pr); st != 201 {
			t.Fatalf("checked booking: %d", st)
		}
		for i := 0; i < 3; i++ {
			if st := submitWith(t, srv, bot, e.A.Online.ID, next(), "Ming", fmt.Sprintf("r%d@example.com", i), pr); st != 201 {
				t.Fatalf("replay %d: %d, want 201 (unchecked, under the limit)", i, st)
			}
		}
		if st := submitWith(t, srv, bot, e.A.Online.ID, next(), "Ming", "r9@example.com", pr); st != 429 {
			t.Fatalf("fourth replay: %d, want 429", st)
		}
		// Nor does no answer, a forged one, or one made for another studio.
		forged := map[string]string{"challenge": pr["challenge"][:len(pr["challenge"])-4] + "AAAA", "solution": pr["solution"]}
		other := e.app.ProofChallenge("studio-b")
		for name, p := range map[string]map[string]string{"none": nil, "forged": forged,
			"other studio's": {"challenge": other, "solution": proof.Solve(other)}} {
			if st := submitWith(t, srv, bot, e.A.Online.ID, next(), "Ming", "f@example.com", p); st != 429 {
				t.Errorf("%s answer after the unchecked limit: %d, want 429", name, st)
			}
		}
		// The same address with a fresh answer still books.
		if st := submit(t, srv, bot, e.A.Online.ID, next(), "Ming", "m2@example.com"); st != 201 {
			t.Fatalf("fresh answer from the same address: %d", st)
		}
		if got := unchecked(); got[""] != 2 || got["true"] != 3 || got["burst:unchecked-address"] != 1 {
			t.Errorf("audit: %v, want 2 checked and 3 unchecked bookings and one refused burst", got)
		}

		// A distributed flood without answers: the studio takes 20 unchecked
		// bookings an hour in all (3 came from the bot already), while
		// clients whose page answered still book.
		got := map[int]int{}
		for i := 0; i < 20; i++ {
			got[submitWith(t, srv, fmt.Sprintf("198.51.100.%d", i+1), e.A.Online.ID, next(), "Ming", fmt.Sprintf("d%d@example.com", i), nil)]++
		}
		if got[201] != 17 || got[429] != 3 {
			t.Errorf("20 unchecked bookings from 20 addresses: %v, want 17 created (20 in the hour) and 3 refused", got)
		}
		if st := submit(t, srv, "192.0.2.9", e.A.Online.ID, next(), "Real", "real@example.com"); st != 201 {
			t.Errorf("a checked booking during the flood: %d", st)
		}
		if got := unchecked(); got["burst:unchecked-workspace"] != 1 {
			t.Errorf("audit: %v, want the studio-wide burst noted once", got)
		}
	})
}
