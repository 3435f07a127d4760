package storetest

import (
	"fmt"
	"slices"
	"time"

	"github.com/daoyue/daoyue"
)

func testBooking(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	b := newBooking(w.sa, w.pa.ID, at(1, 0), daoyue.StatusAwaitingPayment)
	due := base.Add(30 * time.Minute)
	b.BufferBefore, b.BufferAfter, b.Online, b.Note, b.Language = 10, 15, true, "第一次", daoyue.LangEN
	b.Client.Phone, b.PaymentStatus, b.PaymentDueAt = "+886 912-345-678", daoyue.PaymentUnpaid, &due
	e.update(func(tx daoyue.Tx) error { return tx.CreateBooking(ctx, b) })
	noToken := newBooking(w.sa, w.pa2.ID, at(1, 0), daoyue.StatusPending)
	noToken2 := newBooking(w.sa, w.pa2.ID, at(3, 0), daoyue.StatusPending)
	noToken.ManageTokenHash, noToken2.ManageTokenHash = "", ""
	e.update(func(tx daoyue.Tx) error {
		wantNoErr(t, "first without token", tx.CreateBooking(ctx, noToken))
		return tx.CreateBooking(ctx, noToken2)
	})
	bb := e.booking(w.sb, w.pb.ID, at(1, 0), daoyue.StatusConfirmed)

	e.view(func(tx daoyue.Tx) error {
		got, err := tx.Booking(ctx, w.a.ID, b.ID)
		wantNoErr(t, "get", err)
		wantEqual(t, "get", got, b)
		got, err = tx.BookingByManageToken(ctx, b.ManageTokenHash)
		wantNoErr(t, "by token", err)
		wantEqual(t, "by token", got, b)
		got, err = tx.Booking(ctx, w.a.ID, noToken.ID)
		wantNoErr(t, "without token", err)
		wantEqual(t, "without token", got, noToken)
		_, err = tx.BookingByManageToken(ctx, "")
		wantCode(t, "empty token", err, daoyue.ENOTFOUND)
		_, err = tx.BookingByManageToken(ctx, daoyue.HashToken("nope"))
		wantCode(t, "unknown token", err, daoyue.ENOTFOUND)
		_, err = tx.Booking(ctx, w.a.ID, daoyue.NewID("bk"))
		wantCode(t, "missing", err, daoyue.ENOTFOUND)
		_, err = tx.Booking(ctx, w.a.ID, bb.ID)
		wantCode(t, "b's booking via a", err, daoyue.ENOTFOUND)
		// With its workspace: the same booking, and the workspace as read
		// on its own.
		got, ws, err := tx.BookingInWorkspace(ctx, w.a.ID, b.ID)
		wantNoErr(t, "in workspace", err)
		wantEqual(t, "in workspace: booking", got, b)
		alone, err := tx.WorkspaceByID(ctx, w.a.ID)
		wantNoErr(t, "workspace", err)
		wantEqual(t, "in workspace: workspace", ws, alone)
		_, ws, err = tx.BookingInWorkspace(ctx, w.b.ID, bb.ID)
		wantNoErr(t, "b's in workspace", err)
		wantEqual(t, "b's workspace", ws.ID, w.b.ID)
		_, _, err = tx.BookingInWorkspace(ctx, w.a.ID, bb.ID)
		wantCode(t, "b's booking in workspace a", err, daoyue.ENOTFOUND)
		_, _, err = tx.BookingInWorkspace(ctx, w.a.ID, daoyue.NewID("bk"))
		wantCode(t, "missing in workspace", err, daoyue.ENOTFOUND)
		return nil
	})

	// Every mutable field changes.
	u := *b
	paid := base.Add(20 * time.Minute)
	u.PractitionerID, u.HostID, u.Start, u.End = w.pa2.ID, w.pa.ID, at(5, 0), at(6, 30)
	u.BufferBefore, u.BufferAfter, u.Online, u.Status = 0, 5, false, daoyue.StatusConfirmed
	u.Client = daoyue.Client{Name: "Ming", Email: "ming@example.com", Phone: ""}
	u.Note, u.Language, u.Price = "", daoyue.LangZH, daoyue.Money{Amount: 2000, Currency: "TWD"}
	u.PaymentStatus, u.PaymentMethod, u.PaymentNote = daoyue.PaymentPaid, "cash", "收現金"
	u.PaidAt, u.PaymentDueAt, u.CancelReason, u.UpdatedAt = &paid, nil, "n/a", base
	e.update(func(tx daoyue.Tx) error { return tx.UpdateBooking(ctx, &u) })
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.Booking(ctx, w.a.ID, b.ID)
		wantNoErr(t, "after update", err)
		wantEqual(t, "after update", got, &u)
		return nil
	})

	// Clashes, bad references and tenancy.
	dup := newBooking(w.sa, w.pa.ID, at(9, 0), daoyue.StatusPending)
	dup.ManageTokenHash = b.ManageTokenHash
	wantCode(t, "taken manage token", e.try(func(tx daoyue.Tx) error { return tx.CreateBooking(ctx, dup) }), daoyue.ECONFLICT)
	dup = newBooking(w.sa, w.pa.ID, at(9, 0), daoyue.StatusPending)
	dup.ID = b.ID
	wantCode(t, "taken id", e.try(func(tx daoyue.Tx) error { return tx.CreateBooking(ctx, dup) }), daoyue.ECONFLICT)
	cross := newBooking(w.sa, w.pb.ID, at(9, 0), daoyue.StatusPending)
	wantCode(t, "b's practitioner in a", e.try(func(tx daoyue.Tx) error { return tx.CreateBooking(ctx, cross) }), daoyue.ENOTFOUND)
	cross = newBooking(w.sb, w.pa.ID, at(9, 0), daoyue.StatusPending)
	cross.WorkspaceID = w.a.ID
	wantCode(t, "b's service in a", e.try(func(tx daoyue.Tx) error { return tx.CreateBooking(ctx, cross) }), daoyue.ENOTFOUND)
	hijack := *bb
	hijack.WorkspaceID, hijack.Status, hijack.PractitionerID = w.a.ID, daoyue.StatusCancelled, w.pa.ID
	wantCode(t, "update b's via a", e.try(func(tx daoyue.Tx) error { return tx.UpdateBooking(ctx, &hijack) }), daoyue.ENOTFOUND)
	moved := u
	moved.PractitionerID = w.pb.ID
	wantCode(t, "move to b's practitioner", e.try(func(tx daoyue.Tx) error { return tx.UpdateBooking(ctx, &moved) }), daoyue.ENOTFOUND)
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.Booking(ctx, w.b.ID, bb.ID)
		wantNoErr(t, "b's booking", err)
		wantEqual(t, "b's booking unchanged", got, bb)
		list, _, err := tx.ListBookings(ctx, w.a.ID, daoyue.BookingFilter{})
		wantNoErr(t, "list a", err)
		if slices.Contains(bookingIDs(list), bb.ID) {
			t.Errorf("a's list holds b's booking")
		}
		return nil
	})
}

func testRequest(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	b := e.booking(w.sa, w.pa.ID, at(1, 0), daoyue.StatusConfirmed)
	bb := e.booking(w.sb, w.pb.ID, at(1, 0), daoyue.StatusConfirmed)
	ns, ne := at(26, 0), at(27, 0)
	r1 := &daoyue.Request{ID: daoyue.NewID("rq"), WorkspaceID: w.a.ID, BookingID: b.ID, Kind: daoyue.RequestReschedule,
		Status: daoyue.RequestOpen, NewStart: &ns, NewEnd: &ne, Reason: "出差", CreatedAt: base}
	r2 := &daoyue.Request{ID: daoyue.NewID("rq"), WorkspaceID: w.a.ID, BookingID: b.ID, Kind: daoyue.RequestCancel,
		Status: daoyue.RequestOpen, Reason: "sick", CreatedAt: base.Add(time.Minute)}
	rb := &daoyue.Request{ID: daoyue.NewID("rq"), WorkspaceID: w.b.ID, BookingID: bb.ID, Kind: daoyue.RequestCancel,
		Status: daoyue.RequestOpen, CreatedAt: base}
	e.update(func(tx daoyue.Tx) error {
		for _, r := range []*daoyue.Request{r2, r1, rb} {
			wantNoErr(t, "create", tx.CreateRequest(ctx, r))
		}
		return nil
	})
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.Request(ctx, w.a.ID, r1.ID)
		wantNoErr(t, "get", err)
		wantEqual(t, "get", got, r1)
		list, err := tx.ListRequests(ctx, w.a.ID, b.ID)
		wantNoErr(t, "list", err)
		wantEqual(t, "list (oldest first)", list, []*daoyue.Request{r1, r2})
		_, err = tx.Request(ctx, w.a.ID, daoyue.NewID("rq"))
		wantCode(t, "missing", err, daoyue.ENOTFOUND)
		_, err = tx.Request(ctx, w.a.ID, rb.ID)
		wantCode(t, "b's request via a", err, daoyue.ENOTFOUND)
		list, err = tx.ListRequests(ctx, w.a.ID, bb.ID)
		wantNoErr(t, "list b's via a", err)
		wantEqual(t, "list b's via a", len(list), 0)
		return nil
	})
	decided := base.Add(time.Hour)
	r1.Status, r1.Message, r1.DecidedAt, r1.DecidedBy, r1.NewStart, r1.NewEnd = daoyue.RequestRejected, "沒有空", &decided, "us_x", nil, nil
	e.update(func(tx daoyue.Tx) error { return tx.UpdateRequest(ctx, r1) })
	hijack := *rb
	hijack.WorkspaceID, hijack.Status = w.a.ID, daoyue.RequestApproved
	wantCode(t, "update b's via a", e.try(func(tx daoyue.Tx) error { return tx.UpdateRequest(ctx, &hijack) }), daoyue.ENOTFOUND)
	cross := &daoyue.Request{ID: daoyue.NewID("rq"), WorkspaceID: w.a.ID, BookingID: bb.ID, Kind: daoyue.RequestCancel,
		Status: daoyue.RequestOpen, CreatedAt: base}
	wantCode(t, "create for b's booking in a", e.try(func(tx daoyue.Tx) error { return tx.CreateRequest(ctx, cross) }), daoyue.ENOTFOUND)
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.Request(ctx, w.a.ID, r1.ID)
		wantNoErr(t, "after update", err)
		wantEqual(t, "after update", got, r1)
		got, err = tx.Request(ctx, w.b.ID, rb.ID)
		wantNoErr(t, "b's request", err)
		wantEqual(t, "b's request unchanged", got, rb)
		return nil
	})
}

func testReserve(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	x := e.booking(w.sa, w.pa.ID, at(1, 0), daoyue.StatusConfirmed) // block 10:00–11:00
	e.update(func(tx daoyue.Tx) error {
		wantNoErr(t, "lock", tx.LockPractitioner(ctx, w.a.ID, w.pa.ID))
		return tx.Reserve(ctx, reservation(x, at(1, 0), at(2, 0)))
	})
	other := e.booking(w.sa, w.pa.ID, at(5, 0), daoyue.StatusConfirmed)
	try := func(name string, start, end time.Time, code string) {
		t.Helper()
		err := e.try(func(tx daoyue.Tx) error {
			if err := tx.LockPractitioner(ctx, w.a.ID, w.pa.ID); err != nil {
				return err
			}
			if err := tx.Reserve(ctx, reservation(other, start, end)); err != nil {
				return err
			}
			return errRollback // keep the block free for the next case
		})
		if code == "" {
			if err != errRollback {
				t.Errorf("%s: %v, want the block free", name, err)
			}
			return
		}
		wantCode(t, name, err, code)
	}
	try("equal block", at(1, 0), at(2, 0), daoyue.ESLOT)
	try("overlaps the start", at(0, 30), at(1, 30), daoyue.ESLOT)
	try("overlaps the end", at(1, 30), at(2, 30), daoyue.ESLOT)
	try("inside", at(1, 15), at(1, 45), daoyue.ESLOT)
	try("around", at(0, 0), at(3, 0), daoyue.ESLOT)
	try("one second over the start", at(0, 0), at(1, 0).Add(time.Second), daoyue.ESLOT)
	try("touches the end", at(2, 0), at(3, 0), "")
	try("touches the start", at(0, 0), at(1, 0), "")
	try("empty block", at(4, 0), at(4, 0), daoyue.EINVALID)
	try("three days", at(4, 0), at(76, 0), daoyue.EINVALID)

	// A booking's request may hold time overlapping its own block.
	hold := reservation(x, at(1, 30), at(2, 30))
	hold.RequestID = daoyue.NewID("rq")
	e.update(func(tx daoyue.Tx) error { return tx.Reserve(ctx, hold) })
	try("overlaps the request's hold", at(2, 15), at(3, 0), daoyue.ESLOT)
	// Another practitioner is not affected.
	y := e.booking(w.sa, w.pa2.ID, at(1, 0), daoyue.StatusConfirmed)
	e.update(func(tx daoyue.Tx) error { return tx.Reserve(ctx, reservation(y, at(1, 0), at(2, 0))) })
	// Reserving again moves the booking's block.
	e.update(func(tx daoyue.Tx) error { return tx.Reserve(ctx, reservation(x, at(8, 0), at(9, 0))) })
	try("old block, now free", at(0, 0), at(1, 30), "")
	try("new block", at(8, 30), at(9, 30), daoyue.ESLOT)

	// Tenancy: a's id with b's practitioner or booking.
	bb := e.booking(w.sb, w.pb.ID, at(1, 0), daoyue.StatusConfirmed)
	e.update(func(tx daoyue.Tx) error { return tx.Reserve(ctx, reservation(bb, at(1, 0), at(2, 0))) })
	r := reservation(x, at(12, 0), at(13, 0))
	r.PractitionerID = w.pb.ID
	wantCode(t, "a's booking with b's practitioner", e.try(func(tx daoyue.Tx) error { return tx.Reserve(ctx, r) }), daoyue.ENOTFOUND)
	r = reservation(bb, at(1, 0), at(2, 0)) // overlaps bb itself: must not say ESLOT through a
	r.WorkspaceID, r.BookingID = w.a.ID, other.ID
	wantCode(t, "b's practitioner through a", e.try(func(tx daoyue.Tx) error { return tx.Reserve(ctx, r) }), daoyue.ENOTFOUND)
	r = reservation(bb, at(20, 0), at(21, 0))
	r.WorkspaceID, r.PractitionerID = w.a.ID, w.pa.ID
	wantCode(t, "b's booking through a", e.try(func(tx daoyue.Tx) error { return tx.Reserve(ctx, r) }), daoyue.ENOTFOUND)
	e.update(func(tx daoyue.Tx) error {
		wantNoErr(t, "release b's via a", tx.Release(ctx, w.a.ID, bb.ID, ""))
		return tx.ReleaseAll(ctx, w.a.ID, bb.ID)
	})
	e.view(func(tx daoyue.Tx) error {
		busy, err := tx.Busy(ctx, w.b.ID, []string{w.pb.ID}, at(0, 0), at(48, 0))
		wantNoErr(t, "busy b", err)
		wantEqual(t, "b's block intact", busy[w.pb.ID], []daoyue.Interval{{Start: at(1, 0), End: at(2, 0)}})
		busy, err = tx.Busy(ctx, w.a.ID, []string{w.pb.ID}, at(0, 0), at(48, 0))
		wantNoErr(t, "busy b via a", err)
		wantEqual(t, "busy b via a", len(busy), 0)
		return nil
	})
}

func testRelease(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	x := e.booking(w.sa, w.pa.ID, at(1, 0), daoyue.StatusConfirmed)
	hold := reservation(x, at(3, 0), at(4, 0))
	hold.RequestID = daoyue.NewID("rq")
	e.update(func(tx daoyue.Tx) error {
		wantNoErr(t, "reserve", tx.Reserve(ctx, reservation(x, at(1, 0), at(2, 0))))
		return tx.Reserve(ctx, hold)
	})
	y := e.booking(w.sa, w.pa.ID, at(1, 0), daoyue.StatusConfirmed)
	reserveY := func(start, end time.Time) error {
		return e.try(func(tx daoyue.Tx) error { return tx.Reserve(ctx, reservation(y, start, end)) })
	}
	wantCode(t, "taken", reserveY(at(1, 0), at(2, 0)), daoyue.ESLOT)
	wantCode(t, "held", reserveY(at(3, 0), at(4, 0)), daoyue.ESLOT)
	e.update(func(tx daoyue.Tx) error { return tx.Release(ctx, w.a.ID, x.ID, hold.RequestID) })
	wantNoErr(t, "hold released", reserveY(at(3, 0), at(4, 0)))
	wantCode(t, "booking's own block still taken", reserveY(at(1, 0), at(2, 0)), daoyue.ESLOT)
	e.update(func(tx daoyue.Tx) error { return tx.Release(ctx, w.a.ID, x.ID, "") })
	wantNoErr(t, "block released", reserveY(at(1, 0), at(2, 0)))
	// ReleaseAll frees the booking's block and its holds.
	hold.BookingID, hold.Block = y.ID, daoyue.Interval{Start: at(6, 0), End: at(7, 0)}
	e.update(func(tx daoyue.Tx) error { return tx.Reserve(ctx, hold) })
	e.update(func(tx daoyue.Tx) error { return tx.ReleaseAll(ctx, w.a.ID, y.ID) })
	e.update(func(tx daoyue.Tx) error { return tx.Release(ctx, w.a.ID, y.ID, "") }) // nothing left: no error
	e.view(func(tx daoyue.Tx) error {
		busy, err := tx.Busy(ctx, w.a.ID, []string{w.pa.ID}, at(0, 0), at(24, 0))
		wantNoErr(t, "busy", err)
		wantEqual(t, "busy after release all", len(busy[w.pa.ID]), 0)
		return nil
	})
}

func testBusy(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	x := e.booking(w.sa, w.pa.ID, at(1, 0), daoyue.StatusConfirmed)
	y := e.booking(w.sa, w.pa.ID, at(5, 0), daoyue.StatusConfirmed)
	z := e.booking(w.sa, w.pa2.ID, at(1, 0), daoyue.StatusConfirmed)
	long := e.booking(w.sa, w.pa2.ID, at(30, 0), daoyue.StatusConfirmed)
	hold := reservation(x, at(3, 0), at(4, 0))
	hold.RequestID = daoyue.NewID("rq")
	e.update(func(tx daoyue.Tx) error {
		wantNoErr(t, "x", tx.Reserve(ctx, reservation(x, at(0, 50), at(2, 15))))
		wantNoErr(t, "hold", tx.Reserve(ctx, hold))
		wantNoErr(t, "y", tx.Reserve(ctx, reservation(y, at(5, 0), at(6, 0))))
		wantNoErr(t, "z", tx.Reserve(ctx, reservation(z, at(1, 0), at(2, 0))))
		return tx.Reserve(ctx, reservation(long, at(30, 0), at(70, 0))) // 40 hours
	})
	busy := func(pids []string, from, to time.Time) map[string][]daoyue.Interval {
		var out map[string][]daoyue.Interval
		e.view(func(tx daoyue.Tx) error {
			var err error
			out, err = tx.Busy(ctx, w.a.ID, pids, from, to)
			return err
		})
		return out
	}
	iv := func(s, e time.Time) daoyue.Interval { return daoyue.Interval{Start: s, End: e} }
	wantEqual(t, "both", busy([]string{w.pa.ID, w.pa2.ID}, at(0, 0), at(24, 0)), map[string][]daoyue.Interval{
		w.pa.ID:  {iv(at(0, 50), at(2, 15)), iv(at(3, 0), at(4, 0)), iv(at(5, 0), at(6, 0))},
		w.pa2.ID: {iv(at(1, 0), at(2, 0))},
	})
	// [from, to) is half-open: blocks ending at from or starting at to are out.
	wantEqual(t, "window", busy([]string{w.pa.ID}, at(2, 15), at(5, 0)), map[string][]daoyue.Interval{
		w.pa.ID: {iv(at(3, 0), at(4, 0))},
	})
	wantEqual(t, "long block seen from its middle", busy([]string{w.pa2.ID}, at(60, 0), at(61, 0)), map[string][]daoyue.Interval{
		w.pa2.ID: {iv(at(30, 0), at(70, 0))},
	})
	wantEqual(t, "none", len(busy([]string{w.pa.ID}, at(10, 0), at(20, 0))), 0)
	// Every window on a quarter-hour grid from before the first block to
	// after the last, against the definition (a block is busy in [from, to)
	// when it starts before to and ends after from): the query's shape
	// (PostgreSQL adds a range condition its GiST index can serve) changes
	// no answer.
	blocks := map[string][]daoyue.Interval{
		w.pa.ID:  {iv(at(0, 50), at(2, 15)), iv(at(3, 0), at(4, 0)), iv(at(5, 0), at(6, 0))},
		w.pa2.ID: {iv(at(1, 0), at(2, 0)), iv(at(30, 0), at(70, 0))},
	}
	for from := at(0, 0); from.Before(at(72, 0)); from = from.Add(75 * time.Minute) {
		for _, width := range []time.Duration{15 * time.Minute, time.Hour, 5 * time.Hour, 40 * time.Hour} {
			to := from.Add(width)
			want := map[string][]daoyue.Interval{}
			for p, ivs := range blocks {
				for _, b := range ivs {
					if b.Start.Before(to) && b.End.After(from) {
						want[p] = append(want[p], b)
					}
				}
			}
			wantEqual(t, fmt.Sprintf("window %s–%s", from.Format("02 15:04"), to.Format("02 15:04")),
				busy([]string{w.pa.ID, w.pa2.ID}, from, to), want)
		}
	}
	wantEqual(t, "no practitioners", len(busy(nil, at(0, 0), at(24, 0))), 0)
}

func testRollback(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	x := e.booking(w.sa, w.pa.ID, at(1, 0), daoyue.StatusConfirmed)
	e.update(func(tx daoyue.Tx) error { return tx.Reserve(ctx, reservation(x, at(1, 0), at(2, 0))) })
	ws := &daoyue.Workspace{ID: daoyue.NewID("ws"), Slug: "s" + rnd(), Name: "Gone", TimeZone: "Asia/Taipei", CreatedAt: base}
	y := newBooking(w.sa, w.pa.ID, at(3, 0), daoyue.StatusConfirmed)
	err := e.s.Update(ctx, func(tx daoyue.Tx) error {
		wantNoErr(t, "create workspace", tx.CreateWorkspace(ctx, ws))
		wantNoErr(t, "create booking", tx.CreateBooking(ctx, y))
		wantNoErr(t, "reserve", tx.Reserve(ctx, reservation(y, at(3, 0), at(4, 0))))
		wantNoErr(t, "release", tx.ReleaseAll(ctx, w.a.ID, x.ID))
		return errRollback
	})
	if err != errRollback {
		t.Errorf("Update returned %v, want fn's own error", err)
	}
	// A store error returned by fn rolls back what came before it too.
	z := newBooking(w.sa, w.pa.ID, at(1, 0), daoyue.StatusConfirmed)
	err = e.s.Update(ctx, func(tx daoyue.Tx) error {
		wantNoErr(t, "create booking", tx.CreateBooking(ctx, z))
		return tx.Reserve(ctx, reservation(z, at(1, 0), at(2, 0)))
	})
	wantCode(t, "reserve taken block", err, daoyue.ESLOT)
	e.view(func(tx daoyue.Tx) error {
		_, err := tx.WorkspaceByID(ctx, ws.ID)
		wantCode(t, "rolled back workspace", err, daoyue.ENOTFOUND)
		for _, b := range []*daoyue.Booking{y, z} {
			_, err = tx.Booking(ctx, w.a.ID, b.ID)
			wantCode(t, "rolled back booking", err, daoyue.ENOTFOUND)
		}
		busy, err := tx.Busy(ctx, w.a.ID, []string{w.pa.ID}, at(0, 0), at(24, 0))
		wantNoErr(t, "busy", err)
		wantEqual(t, "blocks after rollback", busy[w.pa.ID], []daoyue.Interval{{Start: at(1, 0), End: at(2, 0)}})
		return nil
	})
	// A panic in fn rolls back and propagates.
	func() {
		defer func() {
			if recover() == nil {
				t.Errorf("panic in fn did not propagate")
			}
		}()
		_ = e.s.Update(ctx, func(tx daoyue.Tx) error {
			wantNoErr(t, "create workspace", tx.CreateWorkspace(ctx, ws))
			panic("boom")
		})
	}()
	e.view(func(tx daoyue.Tx) error {
		_, err := tx.WorkspaceByID(ctx, ws.ID)
		wantCode(t, "workspace after panic", err, daoyue.ENOTFOUND)
		return nil
	})
	// The store still works after all that.
	e.update(func(tx daoyue.Tx) error { return tx.CreateWorkspace(ctx, ws) })
}

func testViewReadOnly(e *env) {
	ctx := e.ctx
	ws := &daoyue.Workspace{ID: daoyue.NewID("ws"), Slug: "s" + rnd(), Name: "Nope", TimeZone: "Asia/Taipei", CreatedAt: base}
	err := e.s.View(ctx, func(tx daoyue.Tx) error { return tx.CreateWorkspace(ctx, ws) })
	if err == nil {
		e.t.Errorf("a write inside View succeeded")
	}
	e.view(func(tx daoyue.Tx) error {
		_, err := tx.WorkspaceByID(ctx, ws.ID)
		wantCode(e.t, "workspace written in View", err, daoyue.ENOTFOUND)
		return nil
	})
}
