package storetest

import (
	"slices"
	"time"

	"github.com/daoyue/daoyue"
)

func testTabs(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	now := at(24, 0)
	mk := func(pid string, start time.Time, st daoyue.Status) *daoyue.Booking {
		return e.booking(w.sa, pid, start, st)
	}
	pending1 := mk(w.pa.ID, at(50, 0), daoyue.StatusPending)
	pending2 := mk(w.pa2.ID, at(30, 0), daoyue.StatusPending)
	awaiting := mk(w.pa.ID, at(40, 0), daoyue.StatusAwaitingPayment)
	confirmed := mk(w.pa2.ID, at(35, 0), daoyue.StatusConfirmed)
	withRequest := mk(w.pa.ID, at(45, 0), daoyue.StatusConfirmed)
	running := mk(w.pa.ID, at(23, 30), daoyue.StatusConfirmed) // ends after now: still upcoming
	past1 := mk(w.pa.ID, at(2, 0), daoyue.StatusConfirmed)
	past2 := mk(w.pa2.ID, at(10, 0), daoyue.StatusConfirmed)
	endedNow := mk(w.pa.ID, at(23, 0), daoyue.StatusConfirmed) // ends exactly at now: past
	declined := mk(w.pa.ID, at(60, 0), daoyue.StatusDeclined)
	cancelled := mk(w.pa2.ID, at(5, 0), daoyue.StatusCancelled)
	expired := mk(w.pa.ID, at(70, 0), daoyue.StatusExpired)
	closedRequest := mk(w.pa2.ID, at(80, 0), daoyue.StatusConfirmed)
	e.booking(w.sb, w.pb.ID, at(30, 0), daoyue.StatusPending) // b's: never listed in a
	e.update(func(tx daoyue.Tx) error {
		wantNoErr(t, "open request", tx.CreateRequest(ctx, &daoyue.Request{ID: daoyue.NewID("rq"), WorkspaceID: w.a.ID,
			BookingID: withRequest.ID, Kind: daoyue.RequestCancel, Status: daoyue.RequestOpen, CreatedAt: base}))
		return tx.CreateRequest(ctx, &daoyue.Request{ID: daoyue.NewID("rq"), WorkspaceID: w.a.ID,
			BookingID: closedRequest.ID, Kind: daoyue.RequestCancel, Status: daoyue.RequestRejected, CreatedAt: base})
	})
	want := map[daoyue.Tab][]*daoyue.Booking{
		daoyue.TabPending:   {pending2, withRequest, pending1},
		daoyue.TabUpcoming:  {running, confirmed, awaiting, withRequest, closedRequest},
		daoyue.TabPast:      {endedNow, past2, past1},
		daoyue.TabCancelled: {expired, declined, cancelled},
	}
	e.view(func(tx daoyue.Tx) error {
		// Bookings ahead: every one not final and not ended, once each
		// (withRequest is in two tabs), none of b's.
		n, err := tx.CountBookingsAhead(ctx, w.a.ID, now)
		wantNoErr(t, "count ahead", err)
		wantEqual(t, "count ahead", n, len([]*daoyue.Booking{pending1, pending2, awaiting, confirmed, withRequest, running, closedRequest}))
		return nil
	})
	e.view(func(tx daoyue.Tx) error {
		for _, tab := range daoyue.Tabs {
			list, next, err := tx.ListBookings(ctx, w.a.ID, daoyue.BookingFilter{Tab: tab, Now: now})
			wantNoErr(t, string(tab), err)
			wantEqual(t, string(tab), bookingIDs(list), bookingIDs(want[tab]))
			wantEqual(t, string(tab)+" next cursor", next, "")
			// Filtered by practitioner.
			list, _, err = tx.ListBookings(ctx, w.a.ID, daoyue.BookingFilter{Tab: tab, Now: now, PractitionerID: w.pa2.ID})
			wantNoErr(t, string(tab), err)
			var only []*daoyue.Booking
			for _, b := range want[tab] {
				if b.PractitionerID == w.pa2.ID {
					only = append(only, b)
				}
			}
			wantEqual(t, string(tab)+" of one practitioner", bookingIDs(list), bookingIDs(only))
		}
		counts, err := tx.CountBookings(ctx, w.a.ID, "", now)
		wantNoErr(t, "count", err)
		wantEqual(t, "counts", counts, map[daoyue.Tab]int{daoyue.TabPending: 3, daoyue.TabUpcoming: 5, daoyue.TabPast: 3, daoyue.TabCancelled: 3})
		counts, err = tx.CountBookings(ctx, daoyue.NewID("ws"), "", now)
		wantNoErr(t, "count empty", err)
		wantEqual(t, "counts of an empty workspace", counts, map[daoyue.Tab]int{daoyue.TabPending: 0, daoyue.TabUpcoming: 0, daoyue.TabPast: 0, daoyue.TabCancelled: 0})
		_, _, err = tx.ListBookings(ctx, w.a.ID, daoyue.BookingFilter{Tab: "nonsense", Now: now})
		wantCode(t, "unknown tab", err, daoyue.EINVALID)
		all, _, err := tx.ListBookings(ctx, w.a.ID, daoyue.BookingFilter{Now: now})
		wantNoErr(t, "all", err)
		wantEqual(t, "all (no tab)", len(all), 13)
		return nil
	})
}

// testTabStatuses: a booking of every status, once not ended and once
// ended, is listed by exactly the tabs whose Tab.Statuses hold its status
// (upcoming while it has not ended, past once it has), so the store's SQL
// follows the domain's sets, and every status not ended is in some tab.
func testTabStatuses(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	now := at(24, 0)
	var all, notEnded []*daoyue.Booking
	for i, st := range daoyue.Statuses {
		notEnded = append(notEnded, e.booking(w.sa, w.pa.ID, at(30+i, 0), st))
		all = append(all, notEnded[i], e.booking(w.sa, w.pa2.ID, at(2+i, 0), st))
	}
	lists := func(tab daoyue.Tab, b *daoyue.Booking) bool {
		ended := !b.End.After(now)
		return slices.Contains(tab.Statuses(), b.Status) &&
			(tab != daoyue.TabUpcoming || !ended) && (tab != daoyue.TabPast || ended)
	}
	listed := map[string]bool{}
	e.view(func(tx daoyue.Tx) error {
		for _, tab := range daoyue.Tabs {
			list, _, err := tx.ListBookings(ctx, w.a.ID, daoyue.BookingFilter{Tab: tab, Now: now, Limit: 200})
			wantNoErr(t, string(tab), err)
			var want []*daoyue.Booking
			for _, b := range all {
				if lists(tab, b) {
					want = append(want, b)
				}
			}
			got, wantIDs := bookingIDs(list), bookingIDs(want)
			slices.Sort(got)
			slices.Sort(wantIDs)
			wantEqual(t, string(tab)+" lists its statuses", got, wantIDs)
			for _, id := range got {
				listed[id] = true
			}
		}
		return nil
	})
	for _, b := range notEnded {
		if !listed[b.ID] {
			t.Errorf("a %s booking not ended is in no tab", b.Status)
		}
	}
}

func testCursor(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	now := at(0, 0)
	// 7 upcoming bookings, three sharing one start (ties go by id), and 7 cancelled.
	var upcoming, cancelled []*daoyue.Booking
	for i := range 7 {
		start := at(10+i, 0)
		if i < 3 {
			start = at(10, 0)
		}
		upcoming = append(upcoming, e.booking(w.sa, w.pa.ID, start, daoyue.StatusConfirmed))
		cancelled = append(cancelled, e.booking(w.sa, w.pa2.ID, start, daoyue.StatusCancelled))
	}
	sortBy := func(list []*daoyue.Booking, asc bool) []string {
		s := slices.Clone(list)
		slices.SortFunc(s, func(a, b *daoyue.Booking) int {
			c := a.Start.Compare(b.Start)
			if c == 0 {
				c = compare(a.ID, b.ID)
			}
			if !asc {
				c = -c
			}
			return c
		})
		return bookingIDs(s)
	}
	for _, tc := range []struct {
		tab  daoyue.Tab
		want []string
	}{
		{daoyue.TabUpcoming, sortBy(upcoming, true)},
		{daoyue.TabCancelled, sortBy(cancelled, false)},
	} {
		var got []string
		cursor, pages := "", 0
		e.view(func(tx daoyue.Tx) error {
			for {
				list, next, err := tx.ListBookings(ctx, w.a.ID, daoyue.BookingFilter{Tab: tc.tab, Now: now, Cursor: cursor, Limit: 2})
				wantNoErr(t, "page", err)
				if len(list) > 2 {
					t.Fatalf("%s: page of %d, want at most 2", tc.tab, len(list))
				}
				got = append(got, bookingIDs(list)...)
				pages++
				if next == "" || pages > 10 {
					return nil
				}
				cursor = next
			}
		})
		wantEqual(t, string(tc.tab)+" paged", got, tc.want)
		wantEqual(t, string(tc.tab)+" pages", pages, 4)
	}
	e.view(func(tx daoyue.Tx) error {
		list, next, err := tx.ListBookings(ctx, w.a.ID, daoyue.BookingFilter{Tab: daoyue.TabUpcoming, Now: now, Limit: 7})
		wantNoErr(t, "exact page", err)
		wantEqual(t, "exact page", len(list), 7)
		wantEqual(t, "no next page after an exact fit", next, "")
		list, _, err = tx.ListBookings(ctx, w.a.ID, daoyue.BookingFilter{Now: now, Limit: 1000})
		wantNoErr(t, "limit above max", err)
		wantEqual(t, "all fit under the max", len(list), 14)
		_, _, err = tx.ListBookings(ctx, w.a.ID, daoyue.BookingFilter{Tab: daoyue.TabUpcoming, Now: now, Cursor: "!!not a cursor"})
		wantCode(t, "bad cursor", err, daoyue.EINVALID)
		return nil
	})
	// Default limit is 50 and the maximum 200.
	var many []*daoyue.Booking
	e.update(func(tx daoyue.Tx) error {
		for i := range 205 {
			b := newBooking(w.sa, w.pa.ID, at(100+i, 0), daoyue.StatusPending)
			many = append(many, b)
			if err := tx.CreateBooking(ctx, b); err != nil {
				return err
			}
		}
		return nil
	})
	e.view(func(tx daoyue.Tx) error {
		list, next, err := tx.ListBookings(ctx, w.a.ID, daoyue.BookingFilter{Tab: daoyue.TabPending, Now: now})
		wantNoErr(t, "default limit", err)
		wantEqual(t, "default limit", len(list), 50)
		if next == "" {
			t.Errorf("default limit: no next cursor")
		}
		list, _, err = tx.ListBookings(ctx, w.a.ID, daoyue.BookingFilter{Tab: daoyue.TabPending, Now: now, Limit: 500})
		wantNoErr(t, "max limit", err)
		wantEqual(t, "max limit", len(list), 200)
		return nil
	})
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func testDueForExpiry(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	now := at(0, 0)
	mk := func(svc *daoyue.Service, pid string, st daoyue.Status, due *time.Time) *daoyue.Booking {
		b := newBooking(svc, pid, at(48, 0), st)
		b.PaymentDueAt = due
		e.update(func(tx daoyue.Tx) error { return tx.CreateBooking(ctx, b) })
		return b
	}
	d := func(min int) *time.Time { v := now.Add(time.Duration(min) * time.Minute); return &v }
	overdue2 := mk(w.sa, w.pa.ID, daoyue.StatusAwaitingPayment, d(-5))
	overdue1 := mk(w.sa, w.pa.ID, daoyue.StatusAwaitingPayment, d(-50))
	overdueB := mk(w.sb, w.pb.ID, daoyue.StatusAwaitingPayment, d(-20)) // any workspace
	mk(w.sa, w.pa.ID, daoyue.StatusAwaitingPayment, d(0))               // due exactly now: not before now
	mk(w.sa, w.pa.ID, daoyue.StatusAwaitingPayment, d(30))
	mk(w.sa, w.pa.ID, daoyue.StatusConfirmed, d(-30))
	mk(w.sa, w.pa.ID, daoyue.StatusAwaitingPayment, nil)
	mine := func(list []*daoyue.Booking) []string {
		var out []string
		for _, b := range list {
			if b.WorkspaceID == w.a.ID || b.WorkspaceID == w.b.ID {
				out = append(out, b.ID)
			}
		}
		return out
	}
	e.view(func(tx daoyue.Tx) error {
		list, err := tx.DueForExpiry(ctx, now, 10000)
		wantNoErr(t, "due", err)
		wantEqual(t, "due (most overdue first)", mine(list), []string{overdue1.ID, overdueB.ID, overdue2.ID})
		for _, b := range list {
			if b.ID == overdue1.ID {
				wantEqual(t, "due booking", b, overdue1)
			}
		}
		list, err = tx.DueForExpiry(ctx, now, 1)
		wantNoErr(t, "due, limit 1", err)
		wantEqual(t, "due, limit 1", len(list), 1)
		return nil
	})
}

func testAudit(e *env) {
	t, ctx := e.t, e.ctx
	a, b := e.workspace(), e.workspace()
	var entries []*daoyue.AuditEntry
	e.update(func(tx daoyue.Tx) error {
		for i := range 7 {
			en := &daoyue.AuditEntry{ID: daoyue.NewID("au"), WorkspaceID: a.ID, At: base.Add(time.Duration(i) * time.Minute),
				Actor:  daoyue.Actor{Kind: daoyue.ActorMember, UserID: "us_1", Label: "owner@example.com"},
				Action: "booking.accepted", ObjectType: "booking", ObjectID: []string{"bk_1", "bk_2"}[i%2],
				Details: map[string]string{"i": string(rune('0' + i)), "名": "值"}}
			if i == 3 {
				en.Details, en.Actor = nil, daoyue.Actor{Kind: daoyue.ActorSystem, Label: "expiry"}
			}
			wantNoErr(t, "add", tx.AddAudit(ctx, en))
			entries = append(entries, en)
		}
		return tx.AddAudit(ctx, &daoyue.AuditEntry{ID: daoyue.NewID("au"), WorkspaceID: b.ID, At: base,
			Actor: daoyue.Actor{Kind: daoyue.ActorClient, Label: "Ming"}, Action: "booking.submitted", ObjectType: "booking", ObjectID: "bk_1"})
	})
	newest := slices.Clone(entries)
	slices.Reverse(newest)
	e.view(func(tx daoyue.Tx) error {
		list, next, err := tx.ListAudit(ctx, a.ID, "", "", 0)
		wantNoErr(t, "list", err)
		wantEqual(t, "list (newest first)", list, newest)
		wantEqual(t, "next", next, "")
		var got []*daoyue.AuditEntry
		cursor := ""
		for range 10 {
			list, next, err := tx.ListAudit(ctx, a.ID, "bk_1", cursor, 2)
			wantNoErr(t, "page", err)
			got = append(got, list...)
			if next == "" {
				break
			}
			cursor = next
		}
		var want []*daoyue.AuditEntry
		for _, en := range newest {
			if en.ObjectID == "bk_1" {
				want = append(want, en)
			}
		}
		wantEqual(t, "one object, paged", got, want)
		_, _, err = tx.ListAudit(ctx, a.ID, "", "%%%", 2)
		wantCode(t, "bad cursor", err, daoyue.EINVALID)
		list, _, err = tx.ListAudit(ctx, b.ID, "", "", 0)
		wantNoErr(t, "list b", err)
		wantEqual(t, "b sees only its own", len(list), 1)
		return nil
	})
	// An empty ID is filled in.
	en := &daoyue.AuditEntry{WorkspaceID: a.ID, At: base, Actor: daoyue.Actor{Kind: daoyue.ActorSystem}, Action: "x"}
	e.update(func(tx daoyue.Tx) error { return tx.AddAudit(ctx, en) })
	if en.ID == "" {
		t.Errorf("AddAudit left the ID empty")
	}
}

func testAuthToken(e *env) {
	t, ctx := e.t, e.ctx
	u := e.user()
	now := base
	live := &daoyue.AuthToken{Hash: daoyue.HashToken(daoyue.NewToken()), UserID: u.ID, Kind: "session", CreatedAt: now.Add(-time.Hour), ExpiresAt: now.Add(time.Hour)}
	edge := &daoyue.AuthToken{Hash: daoyue.HashToken(daoyue.NewToken()), UserID: u.ID, Kind: "api", CreatedAt: now.Add(-time.Hour), ExpiresAt: now}
	old := &daoyue.AuthToken{Hash: daoyue.HashToken(daoyue.NewToken()), UserID: u.ID, Kind: "session", CreatedAt: now.Add(-2 * time.Hour), ExpiresAt: now.Add(-time.Hour)}
	e.update(func(tx daoyue.Tx) error {
		for _, a := range []*daoyue.AuthToken{live, edge, old} {
			wantNoErr(t, "create", tx.CreateAuthToken(ctx, a))
		}
		return nil
	})
	dup := *live
	wantCode(t, "taken hash", e.try(func(tx daoyue.Tx) error { return tx.CreateAuthToken(ctx, &dup) }), daoyue.ECONFLICT)
	orphan := &daoyue.AuthToken{Hash: daoyue.HashToken(daoyue.NewToken()), UserID: daoyue.NewID("us"), Kind: "session", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	wantCode(t, "unknown user", e.try(func(tx daoyue.Tx) error { return tx.CreateAuthToken(ctx, orphan) }), daoyue.ENOTFOUND)
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.AuthToken(ctx, live.Hash, now)
		wantNoErr(t, "live", err)
		wantEqual(t, "live", got, live)
		_, err = tx.AuthToken(ctx, live.Hash, live.ExpiresAt)
		wantCode(t, "live token at its expiry", err, daoyue.ENOTFOUND)
		_, err = tx.AuthToken(ctx, edge.Hash, now)
		wantCode(t, "expires now", err, daoyue.ENOTFOUND)
		got, err = tx.AuthToken(ctx, edge.Hash, now.Add(-time.Second))
		wantNoErr(t, "a second before expiry", err)
		wantEqual(t, "a second before expiry", got, edge)
		_, err = tx.AuthToken(ctx, old.Hash, now)
		wantCode(t, "expired", err, daoyue.ENOTFOUND)
		_, err = tx.AuthToken(ctx, daoyue.HashToken("nope"), now)
		wantCode(t, "unknown", err, daoyue.ENOTFOUND)
		return nil
	})
	e.update(func(tx daoyue.Tx) error { return tx.DeleteExpiredAuthTokens(ctx, now) })
	e.view(func(tx daoyue.Tx) error {
		_, err := tx.AuthToken(ctx, old.Hash, now.Add(-3*time.Hour))
		wantCode(t, "expired token deleted", err, daoyue.ENOTFOUND)
		_, err = tx.AuthToken(ctx, edge.Hash, now.Add(-time.Second))
		wantCode(t, "token expiring now deleted", err, daoyue.ENOTFOUND)
		_, err = tx.AuthToken(ctx, live.Hash, now)
		wantNoErr(t, "live token kept", err)
		return nil
	})
	e.update(func(tx daoyue.Tx) error {
		wantNoErr(t, "delete", tx.DeleteAuthToken(ctx, live.Hash))
		return tx.DeleteAuthToken(ctx, live.Hash) // twice: no error
	})
	e.view(func(tx daoyue.Tx) error {
		_, err := tx.AuthToken(ctx, live.Hash, now)
		wantCode(t, "deleted", err, daoyue.ENOTFOUND)
		return nil
	})
}
