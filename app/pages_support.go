package app

import (
	"context"
	"time"

	"github.com/daoyue/daoyue"
)

// Slot lookups for moving an existing booking. Slots answers for new
// bookings, where the booking's own time is busy; a move may overlap the
// time it leaves (Reschedule and RequestReschedule check it that way), so
// these ask with the booking's own block ignored, as checkSlot does.

// RescheduleSlots returns the free starts (between the dates from and to,
// inclusive, in the workspace's zone) that a member could move booking id
// to: its practitioner's free slots for its service.
func (a *App) RescheduleSlots(ctx context.Context, slug, id, from, to string) ([]daoyue.Slot, error) {
	if err := checkRange(from, to); err != nil {
		return nil, err
	}
	var out []daoyue.Slot
	err := a.memberView(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		b, err := memberBooking(ctx, tx, ws, m, id)
		if err != nil {
			return err
		}
		out, err = a.moveSlots(ctx, tx, ws, b, from, to)
		return err
	})
	return out, err
}

// ClientRescheduleSlots is RescheduleSlots for the client's manage link.
func (a *App) ClientRescheduleSlots(ctx context.Context, token, from, to string) ([]daoyue.Slot, error) {
	if err := checkRange(from, to); err != nil {
		return nil, err
	}
	var out []daoyue.Slot
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		c, err := readClientCase(ctx, tx, token)
		if err != nil {
			return err
		}
		out, err = a.moveSlots(ctx, tx, c.Workspace, c.full, from, to)
		return err
	})
	return out, err
}

func (a *App) moveSlots(ctx context.Context, tx daoyue.Tx, ws *daoyue.Workspace, b *daoyue.Booking, from, to string) ([]daoyue.Slot, error) {
	if !b.CanChange(a.now()) {
		return nil, nil
	}
	svc, err := tx.Service(ctx, ws.ID, b.ServiceID)
	if err != nil {
		return nil, err
	}
	p, err := tx.Practitioner(ctx, ws.ID, b.PractitionerID)
	if err != nil {
		return nil, err
	}
	own := b.Block()
	q, err := a.slotQuery(ctx, tx, ws, svc, []*daoyue.Practitioner{p}, from, to, &own, nil)
	if err != nil {
		return nil, err
	}
	var out []daoyue.Slot
	for _, s := range daoyue.FreeSlots(q) {
		if !s.Start.Equal(b.Start) {
			out = append(out, s)
		}
	}
	return out, nil
}

// checkRange validates a date range as Slots does.
func checkRange(from, to string) error {
	f := daoyue.FieldErrors{}
	if !daoyue.ValidDate(from) {
		f.Add("from", "error.date")
	}
	if !daoyue.ValidDate(to) {
		f.Add("to", "error.date")
	}
	if err := f.Err(); err != nil {
		return err
	}
	ft, _ := time.Parse(time.DateOnly, from)
	tt, _ := time.Parse(time.DateOnly, to)
	if tt.Before(ft) {
		f.Add("to", "error.date_order")
	} else if tt.Sub(ft) > daoyue.MaxSlotRangeDays*24*time.Hour {
		f.Add("to", "error.date_range")
	}
	return f.Err()
}
