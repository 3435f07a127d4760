package storetest

import (
	"slices"
	"sync"
	"time"

	"github.com/daoyue/daoyue"
)

// concurrent is how many transactions race for one lease, state or key.
const concurrent = 20

// zoomConn returns an unsaved connection of p with every field set.
func zoomConn(p *daoyue.Practitioner) *daoyue.ZoomConnection {
	return &daoyue.ZoomConnection{ID: daoyue.NewID("zc"), WorkspaceID: p.WorkspaceID, PractitionerID: p.ID,
		ZoomUserID: "zu" + rnd(), ZoomAccountID: "za" + rnd(), AccountLabel: p.Name + " <" + p.Email + ">",
		Status: daoyue.ConnConnected, IsDefault: true, AccessSealed: "v1.access." + rnd(), RefreshSealed: "v1.refresh." + rnd(),
		ExpiresAt: base.Add(time.Hour), APIURL: "https://api.zoom.us", Scope: "meeting:write:meeting user:read:user",
		CreatedAt: base.Add(-time.Hour), UpdatedAt: base}
}

func (e *env) zoomConn(p *daoyue.Practitioner) *daoyue.ZoomConnection {
	e.t.Helper()
	c := zoomConn(p)
	e.update(func(tx daoyue.Tx) error { return tx.PutZoomConnection(e.ctx, c) })
	return c
}

func testZoomConnection(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	pa3 := e.practitioner(w.a, "Ann")
	pb2 := e.practitioner(w.b, "Ben")
	c := e.zoomConn(w.pa)
	c2 := zoomConn(w.pa2)
	c2.Status, c2.IsDefault, c2.APIURL, c2.Scope, c2.ZoomAccountID = daoyue.ConnNeedsReauth, false, "", "", ""
	e.update(func(tx daoyue.Tx) error { return tx.PutZoomConnection(ctx, c2) })
	cb := e.zoomConn(w.pb)

	e.view(func(tx daoyue.Tx) error {
		got, err := tx.ZoomConnection(ctx, w.a.ID, w.pa.ID)
		wantNoErr(t, "get", err)
		wantEqual(t, "get", got, c)
		got, err = tx.ZoomConnectionByID(ctx, c2.ID)
		wantNoErr(t, "by id", err)
		wantEqual(t, "by id", got, c2)
		got, err = tx.ZoomConnectionByZoomUser(ctx, cb.ZoomUserID)
		wantNoErr(t, "by zoom user", err)
		wantEqual(t, "by zoom user (any workspace)", got, cb)
		list, err := tx.ListZoomConnections(ctx, w.a.ID)
		wantNoErr(t, "list", err)
		wantEqual(t, "list (by practitioner name)", list, []*daoyue.ZoomConnection{c, c2})
		list, err = tx.ListZoomConnections(ctx, w.b.ID)
		wantNoErr(t, "list b", err)
		wantEqual(t, "list b", list, []*daoyue.ZoomConnection{cb})
		list, err = tx.ListZoomConnections(ctx, daoyue.NewID("ws"))
		wantNoErr(t, "list empty", err)
		wantEqual(t, "list empty", len(list), 0)

		_, err = tx.ZoomConnection(ctx, w.a.ID, pa3.ID)
		wantCode(t, "not connected", err, daoyue.ENOTFOUND)
		_, err = tx.ZoomConnectionByID(ctx, daoyue.NewID("zc"))
		wantCode(t, "missing id", err, daoyue.ENOTFOUND)
		_, err = tx.ZoomConnectionByZoomUser(ctx, "zu"+rnd())
		wantCode(t, "unknown zoom user", err, daoyue.ENOTFOUND)
		// Tenancy.
		_, err = tx.ZoomConnection(ctx, w.a.ID, w.pb.ID)
		wantCode(t, "b's practitioner via a", err, daoyue.ENOTFOUND)
		_, err = tx.ZoomConnection(ctx, w.b.ID, w.pa.ID)
		wantCode(t, "a's practitioner via b", err, daoyue.ENOTFOUND)
		return nil
	})

	// Put updates by id: every field but the workspace and creation time.
	u := *c
	u.ZoomUserID, u.ZoomAccountID, u.AccountLabel, u.Status = "zu"+rnd(), "za"+rnd(), "Alice Two <a2@example.com>", daoyue.ConnNeedsReauth
	u.IsDefault, u.AccessSealed, u.RefreshSealed, u.ExpiresAt = false, "v2.access", "v2.refresh", base.Add(2*time.Hour)
	u.APIURL, u.Scope, u.UpdatedAt = "https://eu01api-www4local.zoom.us", "meeting:write:meeting", base.Add(time.Minute)
	u.PractitionerID = pa3.ID // reconnect to another practitioner of the workspace
	changedCreated := u
	changedCreated.CreatedAt = base.Add(time.Hour)
	e.update(func(tx daoyue.Tx) error { return tx.PutZoomConnection(ctx, &changedCreated) })
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.ZoomConnectionByID(ctx, c.ID)
		wantNoErr(t, "after update", err)
		wantEqual(t, "after update (creation time kept)", got, &u)
		_, err = tx.ZoomConnection(ctx, w.a.ID, w.pa.ID)
		wantCode(t, "old practitioner after the move", err, daoyue.ENOTFOUND)
		_, err = tx.ZoomConnectionByZoomUser(ctx, c.ZoomUserID)
		wantCode(t, "old zoom user after the change", err, daoyue.ENOTFOUND)
		return nil
	})

	// One Zoom user, one practitioner; one connection per practitioner.
	put := func(c *daoyue.ZoomConnection) error {
		return e.try(func(tx daoyue.Tx) error { return tx.PutZoomConnection(ctx, c) })
	}
	x := zoomConn(w.pa)
	x.ZoomUserID = u.ZoomUserID
	wantCode(t, "zoom user bound in the workspace", put(x), daoyue.ECONFLICT)
	x = zoomConn(pb2)
	x.ZoomUserID = u.ZoomUserID
	wantCode(t, "zoom user bound in another workspace", put(x), daoyue.ECONFLICT)
	wantCode(t, "practitioner connected already", put(zoomConn(w.pa2)), daoyue.ECONFLICT)
	x2 := *c2
	x2.ZoomUserID = cb.ZoomUserID
	wantCode(t, "update to b's zoom user", put(&x2), daoyue.ECONFLICT)
	x2 = *c2
	x2.PractitionerID = pa3.ID
	wantCode(t, "update to a connected practitioner", put(&x2), daoyue.ECONFLICT)

	// The practitioner must be the workspace's; b's row is out of a's reach.
	x = zoomConn(w.pb)
	x.WorkspaceID = w.a.ID
	wantCode(t, "create for b's practitioner in a", put(x), daoyue.ENOTFOUND)
	x = zoomConn(w.pa)
	x.PractitionerID = daoyue.NewID("pr")
	wantCode(t, "create for a missing practitioner", put(x), daoyue.ENOTFOUND)
	x2 = *c2
	x2.PractitionerID = pb2.ID
	wantCode(t, "move to b's practitioner", put(&x2), daoyue.ENOTFOUND)
	hijack := *cb
	hijack.WorkspaceID, hijack.PractitionerID, hijack.AccessSealed = w.a.ID, w.pa.ID, "stolen"
	wantCode(t, "update b's via a", put(&hijack), daoyue.ENOTFOUND)
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.ZoomConnectionByID(ctx, cb.ID)
		wantNoErr(t, "b's connection", err)
		wantEqual(t, "b's connection unchanged", got, cb)
		got, err = tx.ZoomConnectionByID(ctx, c2.ID)
		wantNoErr(t, "c2", err)
		wantEqual(t, "c2 unchanged by failed updates", got, c2)
		return nil
	})

	// Delete; the Zoom user and the practitioner are free again.
	e.update(func(tx daoyue.Tx) error { return tx.DeleteZoomConnection(ctx, c.ID) })
	wantCode(t, "delete again", e.try(func(tx daoyue.Tx) error { return tx.DeleteZoomConnection(ctx, c.ID) }), daoyue.ENOTFOUND)
	again := zoomConn(pa3)
	again.ZoomUserID = u.ZoomUserID
	wantNoErr(t, "reconnect after delete", put(again))
	e.view(func(tx daoyue.Tx) error {
		_, err := tx.ZoomConnectionByID(ctx, c.ID)
		wantCode(t, "deleted", err, daoyue.ENOTFOUND)
		list, err := tx.ListZoomConnections(ctx, w.a.ID)
		wantNoErr(t, "list", err)
		wantEqual(t, "list after delete and reconnect", list, []*daoyue.ZoomConnection{c2, again})
		return nil
	})
}

func testZoomRefreshLease(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	c := e.zoomConn(w.pa)
	now := base
	claim := func(id string, until, now time.Time) bool {
		t.Helper()
		var ok bool
		e.update(func(tx daoyue.Tx) error {
			var err error
			ok, err = tx.ClaimZoomRefresh(ctx, id, until, now)
			return err
		})
		return ok
	}
	release := func(id string) {
		t.Helper()
		e.update(func(tx daoyue.Tx) error { return tx.ReleaseZoomRefresh(ctx, id) })
	}
	until := now.Add(time.Minute)
	wantEqual(t, "claim", claim(c.ID, until, now), true)
	wantEqual(t, "claim while held", claim(c.ID, now.Add(2*time.Minute), now.Add(30*time.Second)), false)
	wantEqual(t, "claim a second before the lease ends", claim(c.ID, until.Add(time.Minute), until.Add(-time.Second)), false)
	// Saving the connection (new tokens) keeps the lease.
	u := *c
	u.AccessSealed, u.UpdatedAt = "v1.access.new", now.Add(10*time.Second)
	e.update(func(tx daoyue.Tx) error { return tx.PutZoomConnection(ctx, &u) })
	wantEqual(t, "claim after a put", claim(c.ID, until.Add(time.Minute), now.Add(20*time.Second)), false)
	// A lease ends at until (a dead refresher does not block for longer).
	wantEqual(t, "claim when the lease ends", claim(c.ID, until.Add(time.Minute), until), true)
	wantEqual(t, "claim while the new lease is held", claim(c.ID, until.Add(2*time.Minute), until.Add(30*time.Second)), false)
	release(c.ID)
	wantEqual(t, "claim after release", claim(c.ID, until.Add(2*time.Minute), until.Add(30*time.Second)), true)
	release(c.ID)
	release(c.ID) // twice: no error

	// Leases are per connection.
	c2 := e.zoomConn(w.pa2)
	wantEqual(t, "claim c", claim(c.ID, until, now), true)
	wantEqual(t, "claim c2 while c is held", claim(c2.ID, until, now), true)

	missing := daoyue.NewID("zc")
	err := e.try(func(tx daoyue.Tx) error {
		_, err := tx.ClaimZoomRefresh(ctx, missing, until, now)
		return err
	})
	wantCode(t, "claim a missing connection", err, daoyue.ENOTFOUND)
	release(missing) // no error

	// Of many claimants at once, exactly one gets the lease.
	release(c.ID)
	start := make(chan struct{})
	var wg sync.WaitGroup
	got := make([]bool, concurrent)
	errs := make([]error, concurrent)
	for i := range concurrent {
		wg.Go(func() {
			<-start
			errs[i] = e.s.Update(ctx, func(tx daoyue.Tx) error {
				var err error
				got[i], err = tx.ClaimZoomRefresh(ctx, c.ID, until, now)
				return err
			})
		})
	}
	close(start)
	wg.Wait()
	won := 0
	for i := range concurrent {
		wantNoErr(t, "concurrent claim", errs[i])
		if got[i] {
			won++
		}
	}
	wantEqual(t, "concurrent claims won", won, 1)
}

func testOAuthState(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	u := e.user()
	now := base
	connect := &daoyue.OAuthState{Hash: daoyue.HashToken(daoyue.NewToken()), Kind: "connect", WorkspaceID: w.a.ID,
		PractitionerID: w.pa.ID, UserID: u.ID, PayloadSealed: "v1.verifier." + rnd(),
		ExpiresAt: now.Add(daoyue.OAuthStateTTL), CreatedAt: now}
	install := &daoyue.OAuthState{Hash: daoyue.HashToken(daoyue.NewToken()), Kind: "install",
		PayloadSealed: "v1.tokens." + rnd(), ExpiresAt: now.Add(daoyue.OAuthStateTTL), CreatedAt: now}
	edge := &daoyue.OAuthState{Hash: daoyue.HashToken(daoyue.NewToken()), Kind: "connect", WorkspaceID: w.a.ID,
		PractitionerID: w.pa.ID, UserID: u.ID, ExpiresAt: now.Add(time.Minute), CreatedAt: now}
	e.update(func(tx daoyue.Tx) error {
		for _, s := range []*daoyue.OAuthState{connect, install, edge} {
			wantNoErr(t, "create", tx.CreateOAuthState(ctx, s))
		}
		return nil
	})
	dup := *connect
	wantCode(t, "taken hash", e.try(func(tx daoyue.Tx) error { return tx.CreateOAuthState(ctx, &dup) }), daoyue.ECONFLICT)

	take := func(hash string, now time.Time) (*daoyue.OAuthState, error) {
		var s *daoyue.OAuthState
		err := e.try(func(tx daoyue.Tx) error {
			var err error
			s, err = tx.TakeOAuthState(ctx, hash, now)
			return err
		})
		return s, err
	}
	got, err := take(connect.Hash, now.Add(time.Minute))
	wantNoErr(t, "take", err)
	wantEqual(t, "take", got, connect)
	_, err = take(connect.Hash, now.Add(time.Minute))
	wantCode(t, "take again", err, daoyue.ENOTFOUND)
	got, err = take(install.Hash, now)
	wantNoErr(t, "take install", err)
	wantEqual(t, "take install", got, install)
	_, err = take(daoyue.HashToken("nope"), now)
	wantCode(t, "take unknown", err, daoyue.ENOTFOUND)

	// Expired at expires_at, and deleted by the take that finds it so.
	e.update(func(tx daoyue.Tx) error {
		_, err := tx.TakeOAuthState(ctx, edge.Hash, edge.ExpiresAt)
		wantCode(t, "take at expiry", err, daoyue.ENOTFOUND)
		_, err = tx.TakeOAuthState(ctx, edge.Hash, now)
		wantCode(t, "expired state deleted", err, daoyue.ENOTFOUND)
		return nil
	})

	// Creating a state sweeps the expired ones.
	old := &daoyue.OAuthState{Hash: daoyue.HashToken(daoyue.NewToken()), Kind: "install", ExpiresAt: now.Add(time.Minute), CreatedAt: now}
	live := &daoyue.OAuthState{Hash: daoyue.HashToken(daoyue.NewToken()), Kind: "install", ExpiresAt: now.Add(time.Hour), CreatedAt: now}
	e.update(func(tx daoyue.Tx) error {
		wantNoErr(t, "create old", tx.CreateOAuthState(ctx, old))
		return tx.CreateOAuthState(ctx, live)
	})
	later := &daoyue.OAuthState{Hash: daoyue.HashToken(daoyue.NewToken()), Kind: "install",
		ExpiresAt: now.Add(time.Minute + daoyue.OAuthStateTTL), CreatedAt: now.Add(time.Minute)}
	e.update(func(tx daoyue.Tx) error { return tx.CreateOAuthState(ctx, later) })
	_, err = take(old.Hash, now)
	wantCode(t, "expired state swept", err, daoyue.ENOTFOUND)
	got, err = take(live.Hash, now)
	wantNoErr(t, "live state kept", err)
	wantEqual(t, "live state kept", got, live)

	// Of many takes at once, exactly one gets the state.
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make([]error, concurrent)
	for i := range concurrent {
		wg.Go(func() {
			<-start
			_, errs[i] = take(later.Hash, now)
		})
	}
	close(start)
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !daoyue.IsCode(err, daoyue.ENOTFOUND):
			t.Errorf("concurrent take: %v, want success or %s", err, daoyue.ENOTFOUND)
		}
	}
	wantEqual(t, "concurrent takes won", won, 1)
}

// meeting returns a meeting with every field set.
func meeting(c *daoyue.ZoomConnection, start time.Time) daoyue.Meeting {
	updated := base.Add(-time.Minute)
	return daoyue.Meeting{Status: daoyue.MeetingCreated, Reason: "x", ZoomID: 85012345678,
		JoinURL: "https://us02web.zoom.us/j/85012345678?pwd=abc", Passcode: "123456",
		ConnectionID: c.ID, ZoomUserID: c.ZoomUserID, Start: &start, DurationMin: 60, Recreated: true,
		Version: 7, SyncedVersion: 5, Attempts: 3, LastError: "zoom: 429 rate limited", UpdatedAt: &updated}
}

func testMeeting(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	c := zoomConn(w.pa) // the meeting's account need not be connected now
	due := base.Add(-time.Minute)
	b := newBooking(w.sa, w.pa.ID, at(1, 0), daoyue.StatusAwaitingPayment)
	b.Online, b.PaymentDueAt, b.Meeting = true, &due, meeting(c, b.Start)
	e.update(func(tx daoyue.Tx) error { return tx.CreateBooking(ctx, b) })
	plain := e.booking(w.sa, w.pa2.ID, at(2, 0), daoyue.StatusConfirmed) // zero Meeting
	// Every query returns the meeting.
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.Booking(ctx, w.a.ID, b.ID)
		wantNoErr(t, "get", err)
		wantEqual(t, "get", got, b)
		got, err = tx.BookingByManageToken(ctx, b.ManageTokenHash)
		wantNoErr(t, "by token", err)
		wantEqual(t, "by token", got, b)
		got, err = tx.Booking(ctx, w.a.ID, plain.ID)
		wantNoErr(t, "zero meeting", err)
		wantEqual(t, "zero meeting", got, plain)
		list, _, err := tx.ListBookings(ctx, w.a.ID, daoyue.BookingFilter{Tab: daoyue.TabUpcoming, Now: base})
		wantNoErr(t, "list", err)
		wantEqual(t, "list", list, []*daoyue.Booking{b, plain})
		list, err = tx.DueForExpiry(ctx, base, 1000)
		wantNoErr(t, "due", err)
		i := slices.IndexFunc(list, func(x *daoyue.Booking) bool { return x.ID == b.ID })
		if i < 0 {
			t.Fatalf("due for expiry: booking missing")
		}
		wantEqual(t, "due for expiry", list[i], b)
		list, err = tx.BookingsByMeetingZoomUser(ctx, c.ZoomUserID)
		wantNoErr(t, "by meeting zoom user", err)
		wantEqual(t, "by meeting zoom user", list, []*daoyue.Booking{b})
		list, err = tx.OutOfSyncBookings(ctx, 1000)
		wantNoErr(t, "out of sync", err)
		i = slices.IndexFunc(list, func(x *daoyue.Booking) bool { return x.ID == b.ID })
		if i < 0 {
			t.Fatalf("out of sync: booking missing")
		}
		wantEqual(t, "out of sync", list[i], b)
		return nil
	})

	// UpdateBooking writes every meeting field, nil times included.
	u := *b
	u.Meeting = daoyue.Meeting{Status: daoyue.MeetingDeleted, Reason: daoyue.ReasonCancelled, Version: 8, SyncedVersion: 8}
	u.UpdatedAt = base
	e.update(func(tx daoyue.Tx) error { return tx.UpdateBooking(ctx, &u) })
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.Booking(ctx, w.a.ID, b.ID)
		wantNoErr(t, "after clearing", err)
		wantEqual(t, "after clearing", got, &u)
		return nil
	})
	start := at(3, 0)
	updated := base.Add(time.Hour)
	u.Meeting = daoyue.Meeting{Status: daoyue.MeetingFailed, Reason: daoyue.ReasonNeedsReauth, ZoomID: 9_000_000_000_123, JoinURL: "j", Passcode: "p",
		ConnectionID: "zc_other", ZoomUserID: "zu_other", Start: &start, DurationMin: 90, Recreated: false,
		Version: 1 << 40, SyncedVersion: 1<<40 - 1, Attempts: 12, LastError: "boom", UpdatedAt: &updated}
	e.update(func(tx daoyue.Tx) error { return tx.UpdateBooking(ctx, &u) })
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.Booking(ctx, w.a.ID, b.ID)
		wantNoErr(t, "after setting", err)
		wantEqual(t, "after setting", got, &u)
		list, err := tx.BookingsByMeetingZoomUser(ctx, c.ZoomUserID)
		wantNoErr(t, "old zoom user", err)
		wantEqual(t, "old zoom user", len(list), 0)
		return nil
	})
}

func testBookingsByMeetingZoomUser(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	ca, cb, other := zoomConn(w.pa), zoomConn(w.pb), zoomConn(w.pa2)
	cb.ZoomUserID = ca.ZoomUserID // a meeting of b's held by the same Zoom user (after a reconnect)
	mk := func(svc *daoyue.Service, pid string, c *daoyue.ZoomConnection, start time.Time) *daoyue.Booking {
		b := newBooking(svc, pid, start, daoyue.StatusConfirmed)
		b.Online, b.Meeting = true, meeting(c, start)
		e.update(func(tx daoyue.Tx) error { return tx.CreateBooking(ctx, b) })
		return b
	}
	late := mk(w.sa, w.pa.ID, ca, at(5, 0))
	early := mk(w.sa, w.pa.ID, ca, at(1, 0))
	inB := mk(w.sb, w.pb.ID, cb, at(3, 0))
	mk(w.sa, w.pa2.ID, other, at(1, 0))
	e.booking(w.sa, w.pa.ID, at(7, 0), daoyue.StatusConfirmed) // no meeting
	e.view(func(tx daoyue.Tx) error {
		list, err := tx.BookingsByMeetingZoomUser(ctx, ca.ZoomUserID)
		wantNoErr(t, "by zoom user", err)
		wantEqual(t, "by zoom user (any workspace, by start)", bookingIDs(list), bookingIDs([]*daoyue.Booking{early, inB, late}))
		list, err = tx.BookingsByMeetingZoomUser(ctx, "")
		wantNoErr(t, "no zoom user", err)
		wantEqual(t, "no zoom user matches nothing", len(list), 0)
		list, err = tx.BookingsByMeetingZoomUser(ctx, "zu"+rnd())
		wantNoErr(t, "unknown zoom user", err)
		wantEqual(t, "unknown zoom user", len(list), 0)
		return nil
	})
}

func testBookingsHostedBy(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	now := at(24, 0)
	mk := func(start time.Time, st daoyue.Status, online bool, host string) *daoyue.Booking {
		b := newBooking(w.sa, w.pa.ID, start, st)
		b.Online, b.HostID = online, host
		e.update(func(tx daoyue.Tx) error { return tx.CreateBooking(ctx, b) })
		return b
	}
	later := mk(at(40, 0), daoyue.StatusConfirmed, true, w.pa.ID)
	soon := mk(at(25, 0), daoyue.StatusConfirmed, true, w.pa.ID)
	running := mk(at(23, 30), daoyue.StatusConfirmed, true, w.pa.ID)    // ends after now
	mk(at(23, 0), daoyue.StatusConfirmed, true, w.pa.ID)                // ends exactly at now
	mk(at(2, 0), daoyue.StatusConfirmed, true, w.pa.ID)                 // past
	mk(at(30, 0), daoyue.StatusConfirmed, false, w.pa.ID)               // in person
	mk(at(30, 0), daoyue.StatusPending, true, w.pa.ID)                  // not confirmed
	mk(at(31, 0), daoyue.StatusAwaitingPayment, true, w.pa.ID)          // not confirmed
	mk(at(32, 0), daoyue.StatusCancelled, true, w.pa.ID)                // cancelled
	designated := mk(at(33, 0), daoyue.StatusConfirmed, true, w.pa2.ID) // delivered by pa, hosted by pa2
	bb := e.booking(w.sb, w.pb.ID, at(30, 0), daoyue.StatusConfirmed)
	bb.Online = true
	e.update(func(tx daoyue.Tx) error { return tx.UpdateBooking(ctx, bb) })
	e.view(func(tx daoyue.Tx) error {
		list, err := tx.BookingsHostedBy(ctx, w.a.ID, w.pa.ID, now)
		wantNoErr(t, "hosted by pa", err)
		wantEqual(t, "hosted by pa (by start)", list, []*daoyue.Booking{running, soon, later})
		list, err = tx.BookingsHostedBy(ctx, w.a.ID, w.pa2.ID, now)
		wantNoErr(t, "hosted by pa2", err)
		wantEqual(t, "hosted by pa2", list, []*daoyue.Booking{designated})
		list, err = tx.BookingsHostedBy(ctx, w.a.ID, w.pb.ID, now)
		wantNoErr(t, "b's host via a", err)
		wantEqual(t, "b's host via a", len(list), 0)
		list, err = tx.BookingsHostedBy(ctx, w.b.ID, w.pb.ID, now)
		wantNoErr(t, "hosted by pb", err)
		wantEqual(t, "hosted by pb", bookingIDs(list), []string{bb.ID})
		return nil
	})
}

func testOutOfSyncBookings(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	// Dated long before the rest of the suite's bookings, so that on a
	// shared store these come first.
	old := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
	ago := func(min int) *time.Time { v := old.Add(time.Duration(min) * time.Minute); return &v }
	mk := func(svc *daoyue.Service, pid string, version, synced int64, changed *time.Time, updated time.Time) *daoyue.Booking {
		b := newBooking(svc, pid, at(30, 0), daoyue.StatusConfirmed)
		b.Meeting.Status, b.Meeting.Version, b.Meeting.SyncedVersion, b.Meeting.UpdatedAt = daoyue.MeetingPending, version, synced, changed
		b.UpdatedAt = updated
		e.update(func(tx daoyue.Tx) error { return tx.CreateBooking(ctx, b) })
		return b
	}
	third := mk(w.sa, w.pa.ID, 2, 1, ago(30), old)
	first := mk(w.sb, w.pb.ID, 5, 0, ago(10), old)    // any workspace
	second := mk(w.sa, w.pa2.ID, 1, 0, nil, *ago(20)) // never synced: ordered by its update time
	mk(w.sa, w.pa.ID, 3, 3, ago(0), old)              // in sync
	mk(w.sa, w.pa.ID, 0, 0, nil, old)                 // no meeting ever wanted
	mk(w.sa, w.pa.ID, 2, 4, ago(1), old)              // synced beyond: not behind
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
		list, err := tx.OutOfSyncBookings(ctx, 1000)
		wantNoErr(t, "out of sync", err)
		wantEqual(t, "out of sync (oldest change first)", mine(list), bookingIDs([]*daoyue.Booking{first, second, third}))
		list, err = tx.OutOfSyncBookings(ctx, 2)
		wantNoErr(t, "limited", err)
		wantEqual(t, "limited", bookingIDs(list), bookingIDs([]*daoyue.Booking{first, second}))
		list, err = tx.OutOfSyncBookings(ctx, 0)
		wantNoErr(t, "default limit", err)
		if len(list) < 3 {
			t.Errorf("default limit: %d bookings, want at least 3", len(list))
		}
		return nil
	})
	// Synced: no longer listed.
	first.Meeting.SyncedVersion = first.Meeting.Version
	e.update(func(tx daoyue.Tx) error { return tx.UpdateBooking(ctx, first) })
	e.view(func(tx daoyue.Tx) error {
		list, err := tx.OutOfSyncBookings(ctx, 1000)
		wantNoErr(t, "after sync", err)
		wantEqual(t, "after sync", mine(list), bookingIDs([]*daoyue.Booking{second, third}))
		return nil
	})
}

func testWebhookEvent(e *env) {
	t, ctx := e.t, e.ctx
	now := base
	mark := func(key string, now time.Time) bool {
		t.Helper()
		var fresh bool
		e.update(func(tx daoyue.Tx) error {
			var err error
			fresh, err = tx.MarkWebhookEvent(ctx, key, now)
			return err
		})
		return fresh
	}
	key := "zoom:" + rnd()
	wantEqual(t, "first", mark(key, now), true)
	wantEqual(t, "again", mark(key, now.Add(time.Minute)), false)
	wantEqual(t, "another key", mark("zoom:"+rnd(), now), true)

	// A rolled back mark leaves no trace.
	rolled := "zoom:" + rnd()
	err := e.s.Update(ctx, func(tx daoyue.Tx) error {
		fresh, err := tx.MarkWebhookEvent(ctx, rolled, now)
		wantNoErr(t, "mark", err)
		wantEqual(t, "mark before rollback", fresh, true)
		return errRollback
	})
	wantEqual(t, "rollback", err, errRollback)
	wantEqual(t, "after rollback", mark(rolled, now), true)

	// Of concurrent deliveries of one key, exactly one is fresh.
	racy := "zoom:" + rnd()
	start := make(chan struct{})
	var wg sync.WaitGroup
	fresh := make([]bool, concurrent)
	errs := make([]error, concurrent)
	for i := range concurrent {
		wg.Go(func() {
			<-start
			errs[i] = e.s.Update(ctx, func(tx daoyue.Tx) error {
				var err error
				fresh[i], err = tx.MarkWebhookEvent(ctx, racy, now)
				return err
			})
		})
	}
	close(start)
	wg.Wait()
	n := 0
	for i := range concurrent {
		wantNoErr(t, "concurrent mark", errs[i])
		if fresh[i] {
			n++
		}
	}
	wantEqual(t, "concurrent marks fresh", n, 1)

	// Keys are forgotten after 30 days (by the next fresh mark).
	recent := "zoom:" + rnd()
	wantEqual(t, "recent", mark(recent, now.Add(2*24*time.Hour)), true)
	later := now.Add(31 * 24 * time.Hour)
	wantEqual(t, "a month later", mark("zoom:"+rnd(), later), true)
	wantEqual(t, "key older than 30 days forgotten", mark(key, later), true)
	wantEqual(t, "key of 29 days kept", mark(recent, later), false)
}

func testAllZoomConnectionIDs(e *env) {
	w := e.world()
	ca, cb := e.zoomConn(w.pa), e.zoomConn(w.pb)
	e.view(func(tx daoyue.Tx) error {
		ids, err := tx.AllZoomConnectionIDs(e.ctx)
		wantNoErr(e.t, "all ids", err)
		found := map[string]bool{}
		for _, id := range ids {
			found[id] = true
		}
		if !found[ca.ID] || !found[cb.ID] {
			e.t.Errorf("ids %v lack %s or %s", ids, ca.ID, cb.ID)
		}
		return nil
	})
}
