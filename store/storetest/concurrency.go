package storetest

import (
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/daoyue/daoyue"
)

// racers is how many bookings try for the same time at once.
const racers = 60

// race runs racers transactions at once, each creating a booking and
// reserving block(i) for it (after locking the practitioner when lock is
// set), and checks that exactly one wins, the others get ESLOT, and one
// booking and one block remain.
func race(e *env, lock bool, block func(i int) daoyue.Interval) {
	t, ctx := e.t, e.ctx
	w := e.world()
	start := make(chan struct{})
	errs := make([]error, racers)
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() {
			<-start
			iv := block(i)
			b := newBooking(w.sa, w.pa.ID, iv.Start, daoyue.StatusConfirmed)
			b.End = iv.End
			errs[i] = e.s.Update(ctx, func(tx daoyue.Tx) error {
				if lock {
					if err := tx.LockPractitioner(ctx, w.a.ID, w.pa.ID); err != nil {
						return err
					}
				}
				if err := tx.CreateBooking(ctx, b); err != nil {
					return err
				}
				return tx.Reserve(ctx, reservation(b, iv.Start, iv.End))
			})
		})
	}
	close(start)
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case !daoyue.IsCode(err, daoyue.ESLOT):
			t.Errorf("racer %d: %v, want success or %s", i, err, daoyue.ESLOT)
		}
	}
	if won != 1 {
		t.Errorf("%d racers won, want exactly 1", won)
	}
	e.view(func(tx daoyue.Tx) error {
		list, _, err := tx.ListBookings(ctx, w.a.ID, daoyue.BookingFilter{Limit: 200})
		wantNoErr(t, "list", err)
		wantEqual(t, "bookings stored", len(list), 1)
		busy, err := tx.Busy(ctx, w.a.ID, []string{w.pa.ID}, at(-24, 0), at(48, 0))
		wantNoErr(t, "busy", err)
		wantEqual(t, "blocks stored", len(busy[w.pa.ID]), 1)
		return nil
	})
}

func testConcurrentSameBlock(e *env) {
	race(e, true, func(int) daoyue.Interval {
		return daoyue.Interval{Start: at(1, 0), End: at(2, 0)}
	})
}

// Every block contains [1:59, 2:00), so any two overlap, but no two are equal.
func testConcurrentOverlapping(e *env) {
	race(e, true, func(i int) daoyue.Interval {
		s := at(1, 0).Add(time.Duration(i) * time.Minute)
		return daoyue.Interval{Start: s, End: s.Add(time.Duration(61+i%7) * time.Minute)}
	})
}

// Without the practitioner's lock the database itself must still refuse
// (SQLite: serialised write transactions; PostgreSQL: the exclusion constraint).
func testConcurrentWithoutLock(e *env) {
	race(e, false, func(i int) daoyue.Interval {
		s := at(1, 0).Add(time.Duration(i%5) * time.Minute)
		return daoyue.Interval{Start: s, End: s.Add(time.Hour)}
	})
}

// Two writers of one booking take turns: the second reads what the first
// wrote, whichever read of a booking for a change the first used, rather
// than writing back a copy from before it (a lost update: on PostgreSQL,
// without the row lock, a meeting's record or a client's erasure could be
// undone by a change read before it committed).
func testWritersOfABookingTakeTurns(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	readers := map[string]func(tx daoyue.Tx, b *daoyue.Booking) (*daoyue.Booking, error){
		"Booking": func(tx daoyue.Tx, b *daoyue.Booking) (*daoyue.Booking, error) {
			return tx.Booking(ctx, b.WorkspaceID, b.ID)
		},
		"BookingInWorkspace": func(tx daoyue.Tx, b *daoyue.Booking) (*daoyue.Booking, error) {
			got, _, err := tx.BookingInWorkspace(ctx, b.WorkspaceID, b.ID)
			return got, err
		},
		"BookingByManageToken": func(tx daoyue.Tx, b *daoyue.Booking) (*daoyue.Booking, error) {
			return tx.BookingByManageToken(ctx, b.ManageTokenHash)
		},
		"BookingsOfClient": func(tx daoyue.Tx, b *daoyue.Booking) (*daoyue.Booking, error) {
			return only(tx.BookingsOfClient(ctx, b.WorkspaceID, b.Client.Email))
		},
		"BookingsHostedBy": func(tx daoyue.Tx, b *daoyue.Booking) (*daoyue.Booking, error) {
			return only(tx.BookingsHostedBy(ctx, b.WorkspaceID, b.HostID, b.Start.Add(-time.Hour)))
		},
		"BookingsByMeetingZoomUser": func(tx daoyue.Tx, b *daoyue.Booking) (*daoyue.Booking, error) {
			return only(tx.BookingsByMeetingZoomUser(ctx, b.Meeting.ZoomUserID))
		},
	}
	for name, read := range readers {
		// Each on its own practitioner's calendar and host, so the lists
		// find this booking alone.
		p := e.practitioner(w.a, name)
		b := newBooking(w.sa, p.ID, at(24*10, 0), daoyue.StatusConfirmed)
		b.Online, b.Meeting.ZoomUserID = true, "zu_"+rnd()
		e.update(func(tx daoyue.Tx) error { return tx.CreateBooking(ctx, b) })
		takeTurns(e, name, func(tx daoyue.Tx, readDone func()) error {
			cur, err := read(tx, b)
			if err != nil {
				return err
			}
			readDone()
			cur.Note = "first"
			return tx.UpdateBooking(ctx, cur)
		}, func(tx daoyue.Tx) error {
			cur, err := tx.Booking(ctx, b.WorkspaceID, b.ID)
			if err != nil {
				return err
			}
			cur.Client.Name = "second"
			return tx.UpdateBooking(ctx, cur)
		})
		e.view(func(tx daoyue.Tx) error {
			got, err := tx.Booking(ctx, b.WorkspaceID, b.ID)
			wantNoErr(t, name+": read", err)
			if got.Note != "first" || got.Client.Name != "second" {
				t.Errorf("%s: note %q, client %q: a writer's change was lost", name, got.Note, got.Client.Name)
			}
			return nil
		})
	}
}

// Two writers of one payment attempt take turns, as those of a booking do
// (two copies of one provider notification).
func testWritersOfAPaymentTakeTurns(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	readers := map[string]func(tx daoyue.Tx, p *daoyue.Payment) (*daoyue.Payment, error){
		"Payment": func(tx daoyue.Tx, p *daoyue.Payment) (*daoyue.Payment, error) {
			return tx.Payment(ctx, p.WorkspaceID, p.ID)
		},
		"PaymentByReference": func(tx daoyue.Tx, p *daoyue.Payment) (*daoyue.Payment, error) {
			return tx.PaymentByReference(ctx, p.Provider, p.Reference)
		},
	}
	for name, read := range readers {
		b := e.booking(w.sa, w.pa.ID, at(24*12, 0), daoyue.StatusAwaitingPayment)
		p := &daoyue.Payment{ID: daoyue.NewID("pay"), WorkspaceID: b.WorkspaceID, BookingID: b.ID, Provider: daoyue.ProviderECPay,
			Reference: "DY" + rnd()[:10], Amount: daoyue.Money{Amount: 1200, Currency: "TWD"}, State: daoyue.PaymentStarted,
			CreatedAt: base, UpdatedAt: base}
		e.update(func(tx daoyue.Tx) error { return tx.CreatePayment(ctx, p) })
		takeTurns(e, name, func(tx daoyue.Tx, readDone func()) error {
			cur, err := read(tx, p)
			if err != nil {
				return err
			}
			readDone()
			cur.Method = "atm"
			return tx.UpdatePayment(ctx, cur)
		}, func(tx daoyue.Tx) error {
			cur, err := read(tx, p)
			if err != nil {
				return err
			}
			cur.Failure = "second"
			return tx.UpdatePayment(ctx, cur)
		})
		e.view(func(tx daoyue.Tx) error {
			got, err := tx.Payment(ctx, p.WorkspaceID, p.ID)
			wantNoErr(t, name+": read", err)
			if got.Method != "atm" || got.Failure != "second" {
				t.Errorf("%s: method %q, failure %q: a writer's change was lost", name, got.Method, got.Failure)
			}
			return nil
		})
	}
}

// Two writers of one Zoom connection take turns (a token refresh and a
// member making it the default): neither writes back the other's spent
// tokens.
func testWritersOfAZoomConnectionTakeTurns(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	c := e.zoomConn(e.practitioner(w.a, "Zoomer"))
	takeTurns(e, "zoom connection", func(tx daoyue.Tx, readDone func()) error {
		cur, err := tx.ZoomConnectionByID(ctx, c.ID)
		if err != nil {
			return err
		}
		readDone()
		cur.AccessSealed, cur.RefreshSealed = "v1.access.new", "v1.refresh.new"
		return tx.PutZoomConnection(ctx, cur)
	}, func(tx daoyue.Tx) error {
		cur, err := tx.ZoomConnectionByID(ctx, c.ID)
		if err != nil {
			return err
		}
		cur.IsDefault = false
		return tx.PutZoomConnection(ctx, cur)
	})
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.ZoomConnectionByID(ctx, c.ID)
		wantNoErr(t, "read", err)
		if got.RefreshSealed != "v1.refresh.new" || got.IsDefault {
			t.Errorf("refresh token %q, default %v: a writer's change was lost", got.RefreshSealed, got.IsDefault)
		}
		return nil
	})
}

// An invitation accepted and revoked at once: the two take turns, and
// neither writes back a copy without the other's end (a revoked invitation
// that an acceptance read before made pending again, with its member).
func testWritersOfAnInvitationTakeTurns(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	u := e.user()
	readers := map[string]func(tx daoyue.Tx, i *daoyue.Invitation) (*daoyue.Invitation, error){
		"Invitation": func(tx daoyue.Tx, i *daoyue.Invitation) (*daoyue.Invitation, error) {
			return tx.Invitation(ctx, i.WorkspaceID, i.ID)
		},
		"InvitationByTokenHash": func(tx daoyue.Tx, i *daoyue.Invitation) (*daoyue.Invitation, error) {
			return tx.InvitationByTokenHash(ctx, i.TokenHash)
		},
		"InvitationByMessage": func(tx daoyue.Tx, i *daoyue.Invitation) (*daoyue.Invitation, error) {
			return tx.InvitationByMessage(ctx, i.WorkspaceID, i.MessageID)
		},
	}
	for name, read := range readers {
		inv := &daoyue.Invitation{ID: daoyue.NewID("iv"), WorkspaceID: w.a.ID, Email: rnd() + "@example.com", Role: daoyue.RoleStaff,
			TokenHash: "h-" + rnd(), TokenSealed: "v1.token." + rnd(), MessageID: daoyue.NewID("ml"), InvitedBy: u.ID,
			CreatedAt: base, ExpiresAt: base.Add(daoyue.InvitationTTL)}
		e.update(func(tx daoyue.Tx) error { return tx.CreateInvitation(ctx, inv) })
		takeTurns(e, name, func(tx daoyue.Tx, readDone func()) error {
			cur, err := read(tx, inv)
			if err != nil {
				return err
			}
			readDone()
			cur.AcceptedAt = &base
			return tx.UpdateInvitation(ctx, cur)
		}, func(tx daoyue.Tx) error {
			cur, err := read(tx, inv)
			if err != nil {
				return err
			}
			cur.RevokedAt = &base
			return tx.UpdateInvitation(ctx, cur)
		})
		e.view(func(tx daoyue.Tx) error {
			got, err := tx.Invitation(ctx, inv.WorkspaceID, inv.ID)
			wantNoErr(t, name+": read", err)
			if got.AcceptedAt == nil || got.RevokedAt == nil {
				t.Errorf("%s: accepted %v, revoked %v: a writer's change was lost", name, got.AcceptedAt, got.RevokedAt)
			}
			return nil
		})
	}
}

// takeTurns runs first and second, two write transactions on one row:
// first reads it and calls readDone, which starts second and returns
// after 300 ms or once second has ended, whichever comes first; first then
// writes. Second must wait for first: without the lock it ends at once,
// and first then writes back its stale copy.
func takeTurns(e *env, name string, first func(tx daoyue.Tx, readDone func()) error, second func(tx daoyue.Tx) error) {
	t, ctx := e.t, e.ctx
	read1, release := make(chan struct{}), make(chan struct{})
	signal := sync.OnceFunc(func() { close(read1) })
	done1 := make(chan error, 1)
	go func() {
		err := e.s.Update(ctx, func(tx daoyue.Tx) error {
			return first(tx, func() { signal(); <-release })
		})
		signal() // first failed before its read: let the test go on
		done1 <- err
	}()
	<-read1
	done2 := make(chan error, 1)
	go func() { done2 <- e.s.Update(ctx, second) }()
	var err2 error
	waited := false
	select {
	case err2 = <-done2:
	case <-time.After(300 * time.Millisecond):
		waited = true
	}
	close(release)
	wantNoErr(t, name+": first writer", <-done1)
	if waited {
		err2 = <-done2
	}
	wantNoErr(t, name+": second writer", err2)
}

// only is the one booking of a list.
func only(list []*daoyue.Booking, err error) (*daoyue.Booking, error) {
	if err == nil && len(list) != 1 {
		return nil, errors.New("want exactly one booking, got " + strconv.Itoa(len(list)))
	}
	if err != nil {
		return nil, err
	}
	return list[0], nil
}

// A transaction that wrote a row referring to a practitioner (connecting
// their Zoom: a foreign key's check locks the practitioner's row) and then
// reads one of their bookings for a change, against a change of that
// booking that then locks the practitioner's calendar: both finish. Were
// the calendar's lock FOR UPDATE, each would wait for the other until
// PostgreSQL broke the deadlock by failing one.
func testConnectWhileChanging(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	p := e.practitioner(w.a, "Connecting")
	b := e.booking(w.sa, p.ID, at(24*11, 0), daoyue.StatusConfirmed)
	wrote, read := make(chan struct{}), make(chan struct{})
	connect := make(chan error, 1)
	go func() {
		connect <- e.s.Update(ctx, func(tx daoyue.Tx) error {
			if err := tx.PutZoomConnection(ctx, zoomConn(p)); err != nil {
				close(wrote)
				return err
			}
			close(wrote)
			select { // SQLite: the change waits for this writer
			case <-read:
			case <-time.After(300 * time.Millisecond):
			}
			cur, err := tx.Booking(ctx, b.WorkspaceID, b.ID)
			if err != nil {
				return err
			}
			cur.Note = "connected"
			return tx.UpdateBooking(ctx, cur)
		})
	}()
	<-wrote
	change := e.s.Update(ctx, func(tx daoyue.Tx) error {
		cur, err := tx.Booking(ctx, b.WorkspaceID, b.ID)
		if err != nil {
			return err
		}
		close(read)
		if err := tx.LockPractitioner(ctx, b.WorkspaceID, p.ID); err != nil {
			return err
		}
		cur.Client.Name = "changed"
		return tx.UpdateBooking(ctx, cur)
	})
	wantNoErr(t, "change", change)
	wantNoErr(t, "connect", <-connect)
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.Booking(ctx, b.WorkspaceID, b.ID)
		wantNoErr(t, "read", err)
		if got.Note != "connected" || got.Client.Name != "changed" {
			t.Errorf("note %q, client %q: a writer's change was lost", got.Note, got.Client.Name)
		}
		return nil
	})
}

// Writers of one practitioner's calendar take turns: the second to lock it
// reads what the first wrote under the lock (here a date override).
func testCalendarLockTakesTurns(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	p := e.practitioner(w.a, "Turns")
	seen := -1
	takeTurns(e, "calendar", func(tx daoyue.Tx, readDone func()) error {
		if err := tx.LockPractitioner(ctx, w.a.ID, p.ID); err != nil {
			return err
		}
		readDone()
		return tx.PutOverride(ctx, w.a.ID, &daoyue.DateOverride{PractitionerID: p.ID, Date: "2030-03-05"})
	}, func(tx daoyue.Tx) error {
		if err := tx.LockPractitioner(ctx, w.a.ID, p.ID); err != nil {
			return err
		}
		got, err := tx.ListOverrides(ctx, w.a.ID, p.ID, "2030-03-01", "2030-03-31")
		seen = len(got)
		return err
	})
	wantEqual(t, "overrides the second locker saw", seen, 1)
}
