package storetest

import (
	"github.com/daoyue/daoyue"
)

// DeleteBooking removes the booking, its holds and requests, only in its
// own workspace.
func testDeleteBooking(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	b := e.booking(w.sa, w.pa.ID, at(1, 0), daoyue.StatusConfirmed)
	bb := e.booking(w.sb, w.pb.ID, at(1, 0), daoyue.StatusConfirmed)
	e.update(func(tx daoyue.Tx) error {
		return tx.Reserve(ctx, daoyue.Reservation{WorkspaceID: w.a.ID, PractitionerID: w.pa.ID, BookingID: b.ID, Block: b.Block()})
	})
	wantCode(t, "b's booking via a", e.try(func(tx daoyue.Tx) error { return tx.DeleteBooking(ctx, w.a.ID, bb.ID) }), daoyue.ENOTFOUND)
	e.update(func(tx daoyue.Tx) error { return tx.DeleteBooking(ctx, w.a.ID, b.ID) })
	e.view(func(tx daoyue.Tx) error {
		_, err := tx.Booking(ctx, w.a.ID, b.ID)
		wantCode(t, "deleted", err, daoyue.ENOTFOUND)
		busy, err := tx.Busy(ctx, w.a.ID, []string{w.pa.ID}, at(0, 0), at(3, 0))
		wantNoErr(t, "busy", err)
		if len(busy[w.pa.ID]) != 0 {
			t.Errorf("deleted booking still holds %v", busy[w.pa.ID])
		}
		_, err = tx.Booking(ctx, w.b.ID, bb.ID)
		wantNoErr(t, "other workspace's booking stays", err)
		return nil
	})
	wantCode(t, "twice", e.try(func(tx daoyue.Tx) error { return tx.DeleteBooking(ctx, w.a.ID, b.ID) }), daoyue.ENOTFOUND)
}
