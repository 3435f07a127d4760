package app

import (
	"context"

	"github.com/daoyue/daoyue"
)

// Reminders before a session (issue 12). A confirmed booking has one
// reminders row per lead of its service (Service.Reminders, default 24 h
// and 1 h) whose moment is still ahead, written by save in the change's
// transaction: scheduled at confirmation, replaced by a reschedule,
// dropped when the booking ends. The sweep sends what is due
// (SendReminders), each in a transaction that marks the row sent and
// writes the message to the outbox, so a reminder goes once, crash or not.

// scheduleReminders sets b's reminders after a change from prev (prev == b
// for a change that does not touch the booking).
func (a *App) scheduleReminders(ctx context.Context, tx daoyue.Tx, prev, b *daoyue.Booking) error {
	if prev != nil && prev != b && prev.Status == b.Status && prev.Start.Equal(b.Start) {
		return nil // neither confirmed, ended nor moved
	}
	if prev == b {
		return nil
	}
	var leads []int
	if b.Status == daoyue.StatusConfirmed {
		svc, err := serviceOf(ctx, tx, b.WorkspaceID, b.ServiceID)
		if err != nil {
			return err
		}
		leads = svc.Reminders
	}
	rs := daoyue.RemindersFor(b, leads, a.now())
	if prev == nil {
		return tx.AddReminders(ctx, b.WorkspaceID, b.ID, rs)
	}
	return tx.SetReminders(ctx, b.WorkspaceID, b.ID, rs)
}

// SendReminders writes every due reminder to the outbox and returns how
// many it wrote. When several of a booking are due at once (the sweep was
// down), only the nearest to the session is sent. It is safe to run on
// several instances: a row is marked sent in the transaction that writes
// its message.
func (a *App) SendReminders(ctx context.Context) (int, error) {
	var due []*daoyue.Reminder
	if err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		due, err = tx.DueReminders(ctx, a.now(), 200)
		return err
	}); err != nil {
		return 0, err
	}
	nearest := map[string]int{} // booking → smallest lead due
	for _, r := range due {
		if m, ok := nearest[r.BookingID]; !ok || r.Minutes < m {
			nearest[r.BookingID] = r.Minutes
		}
	}
	n := 0
	for _, r := range due {
		err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
			first, err := tx.MarkReminderSent(ctx, r.WorkspaceID, r.ID, a.now())
			if err != nil || !first || r.Minutes != nearest[r.BookingID] {
				return err
			}
			b, err := tx.Booking(ctx, r.WorkspaceID, r.BookingID)
			if daoyue.IsCode(err, daoyue.ENOTFOUND) {
				return nil
			} else if err != nil {
				return err
			}
			if b.Status != daoyue.StatusConfirmed || !a.now().Before(b.Start) {
				return nil
			}
			n++
			// A reminder has no calendar file, so the booking itself is
			// not written (and a change committed meanwhile is not undone).
			return a.queueMail(ctx, tx, b, daoyue.MailReminder, false, nil)
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
