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
//     for the sync when they carry the join link), and its e-invoice
//     (invoiceChanged: issued once paid, voided once refunded in full),
//  3. the row itself (created or updated),
//  4. the audit entry (action, with details and the new status),
//  5. what else the change owes (consequences): the client's message
//     about a request, the reminders before the session (scheduled,
//     moved or dropped), the notice to the studio's people.
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
	if err := a.invoiceChanged(ctx, tx, prev, b); err != nil {
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
	if err := a.audit(ctx, tx, b.WorkspaceID, action, "booking", b.ID, details); err != nil {
		return err
	}
	return a.consequences(ctx, tx, prev, b, action, details)
}

// saveRequest stores what a client's request (reschedule or cancel) sets
// in motion, the request itself being stored by the caller: the booking
// does not change until the studio decides, so there is no meeting and no
// row to write, only the audit entry and the consequences.
func (a *App) saveRequest(ctx context.Context, tx daoyue.Tx, b *daoyue.Booking, details map[string]string) error {
	const action = "request.created"
	if err := a.audit(ctx, tx, b.WorkspaceID, action, "booking", b.ID, details); err != nil {
		return err
	}
	return a.consequences(ctx, tx, b, b, action, details)
}

// consequences writes the rest of what a change owes, in tx (issue 12):
// the client's message about a request (received, or rejected with the
// studio's words; an approval is the change itself, told by
// notifyChange), the reminders before the session, and the notice to the
// studio's people.
func (a *App) consequences(ctx context.Context, tx daoyue.Tx, prev, b *daoyue.Booking, action string, details map[string]string) error {
	switch action {
	case "request.created":
		if err := a.queueMailNote(ctx, tx, b, daoyue.MailRequestReceived, ""); err != nil {
			return err
		}
	case "request.rejected":
		if err := a.queueMailNote(ctx, tx, b, daoyue.MailRequestRejected, details["message"]); err != nil {
			return err
		}
	}
	if err := a.scheduleReminders(ctx, tx, prev, b); err != nil {
		return err
	}
	return a.noticeChange(ctx, tx, prev, b, action)
}
