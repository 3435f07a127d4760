package storetest

import (
	"time"

	"github.com/daoyue/daoyue"
)

// testClientToken: a link is taken once and not after it expires; a
// session is read, not used up; a studio's bookings are found by the
// client's email, not another studio's.
func testClientToken(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	link := &daoyue.ClientToken{Hash: "h-" + rnd(), Kind: daoyue.ClientLink, WorkspaceID: w.a.ID, Email: "ming@example.com",
		CreatedAt: now, ExpiresAt: now.Add(30 * time.Minute)}
	e.update(func(tx daoyue.Tx) error { return tx.CreateClientToken(ctx, link) })
	wantCode(t, "session kind for a link", e.try(func(tx daoyue.Tx) error {
		_, err := tx.ClientToken(ctx, link.Hash, daoyue.ClientSession, now)
		return err
	}), daoyue.ENOTFOUND)
	wantCode(t, "expired", e.try(func(tx daoyue.Tx) error {
		_, err := tx.TakeClientToken(ctx, link.Hash, daoyue.ClientLink, now.Add(31*time.Minute))
		return err
	}), daoyue.ENOTFOUND)
	e.update(func(tx daoyue.Tx) error {
		got, err := tx.TakeClientToken(ctx, link.Hash, daoyue.ClientLink, now)
		if err == nil {
			wantEqual(t, "email", got.Email, "ming@example.com")
		}
		return err
	})
	wantCode(t, "taken twice", e.try(func(tx daoyue.Tx) error {
		_, err := tx.TakeClientToken(ctx, link.Hash, daoyue.ClientLink, now)
		return err
	}), daoyue.ENOTFOUND)

	b := newBooking(w.sa, w.pa.ID, at(10, 0), daoyue.StatusConfirmed)
	b.Client.Email = "ming@example.com"
	b2 := newBooking(w.sb, w.pb.ID, at(10, 0), daoyue.StatusConfirmed)
	b2.Client.Email = "ming@example.com"
	e.update(func(tx daoyue.Tx) error {
		if err := tx.CreateBooking(ctx, b); err != nil {
			return err
		}
		return tx.CreateBooking(ctx, b2)
	})
	e.view(func(tx daoyue.Tx) error {
		list, err := tx.ClientBookings(ctx, w.a.ID, "ming@example.com", 10)
		wantEqual(t, "studio A's bookings of the email", bookingIDs(list), []string{b.ID})
		return err
	})
	e.update(func(tx daoyue.Tx) error { return tx.DeleteStaleClientTokens(ctx, now) })
}
