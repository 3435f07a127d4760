package app

import (
	"context"

	"github.com/daoyue/daoyue"
)

// save stores a change of booking b (prev: before it; nil for a new
// booking) with everything the change sets in motion, in this order, all
// in tx:
//
//  1. the meeting (meetingChanged: a sync job when Zoom must change, or
//     the reason no meeting is wanted),
//  2. the client's messages (notifyChange: written to the outbox, or held
//     for the sync when they carry the join link),
//  3. the row itself (created or updated),
//  4. the audit entry (action, with details and the new status).
//
// Every booking change goes through here; a new consequence of a change
// (a payment, a reminder, a notice to the studio) is added here.
func (a *App) save(ctx context.Context, tx daoyue.Tx, prev, b *daoyue.Booking, action string, details map[string]string) error {
	if err := a.meetingChanged(ctx, tx, b); err != nil {
		return err
	}
	if err := a.notifyChange(ctx, tx, prev, b); err != nil {
		return err
	}
	var err error
	if prev == nil {
		err = tx.CreateBooking(ctx, b)
	} else {
		err = tx.UpdateBooking(ctx, b)
	}
	if err != nil {
		return err
	}
	if details == nil {
		details = map[string]string{}
	}
	details["status"] = string(b.Status)
	a.observeBooking(action, b.Status)
	return a.audit(ctx, tx, b.WorkspaceID, action, "booking", b.ID, details)
}
