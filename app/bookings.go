package app

import (
	"context"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
)

// BookingList is one page of a bookings tab with the count of every tab.
type BookingList struct {
	Workspace     *daoyue.Workspace
	Member        *daoyue.Member
	Bookings      []*daoyue.Booking
	NextCursor    string
	Counts        map[daoyue.Tab]int
	Services      map[string]*daoyue.Service
	Practitioners map[string]*daoyue.Practitioner
}

// ListBookings returns one page of a tab of the workspace's bookings.
func (a *App) ListBookings(ctx context.Context, slug string, f daoyue.BookingFilter) (*BookingList, error) {
	switch f.Tab {
	case daoyue.TabPending, daoyue.TabUpcoming, daoyue.TabPast, daoyue.TabCancelled:
	case "":
		f.Tab = daoyue.TabUpcoming
	default:
		return nil, daoyue.FieldErrors{"tab": "error.choice"}.Err()
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	if f.Limit > 200 {
		return nil, daoyue.FieldErrors{"limit": "error.limit"}.Err()
	}
	f.Now = a.now()
	var out BookingList
	err := a.memberView(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		out.Workspace, out.Member = ws, m
		if m.Role == daoyue.RolePractitioner {
			f.PractitionerID = m.PractitionerID // their own bookings only
		}
		var err error
		if out.Bookings, out.NextCursor, err = tx.ListBookings(ctx, ws.ID, f); err != nil {
			return err
		}
		own := ""
		if m.Role == daoyue.RolePractitioner {
			own = m.PractitionerID
		}
		if out.Counts, err = tx.CountBookings(ctx, ws.ID, own, f.Now); err != nil {
			return err
		}
		out.Services, out.Practitioners, err = catalogue(ctx, tx, ws.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// catalogue returns the workspace's services and practitioners by id.
func catalogue(ctx context.Context, tx daoyue.Tx, wsID string) (map[string]*daoyue.Service, map[string]*daoyue.Practitioner, error) {
	svcs, err := tx.ListServices(ctx, wsID)
	if err != nil {
		return nil, nil, err
	}
	pracs, err := tx.ListPractitioners(ctx, wsID)
	if err != nil {
		return nil, nil, err
	}
	sm := map[string]*daoyue.Service{}
	for _, s := range svcs {
		sm[s.ID] = s
	}
	pm := map[string]*daoyue.Practitioner{}
	for _, p := range pracs {
		pm[p.ID] = p
	}
	return sm, pm, nil
}

// BookingDetail is everything the admin detail page shows of one booking.
type BookingDetail struct {
	Workspace    *daoyue.Workspace
	Member       *daoyue.Member
	Booking      *daoyue.Booking
	Service      *daoyue.Service
	Practitioner *daoyue.Practitioner
	Host         *daoyue.Practitioner
	Requests     []*daoyue.Request
	History      []*daoyue.AuditEntry
	Now          time.Time
	// MaybeExtra are the meeting creates whose answer never came: Zoom
	// may hold one meeting for each, which the studio should look for.
	MaybeExtra []daoyue.MeetingAttempt
	// Payments are the booking's payment attempts, oldest first; Invoice
	// its e-invoice (nil when none).
	Payments []*daoyue.Payment
	Invoice  *daoyue.Invoice
}

// OpenRequest returns the booking's open request, if any.
func (d *BookingDetail) OpenRequest() *daoyue.Request {
	for _, r := range d.Requests {
		if r.Status == daoyue.RequestOpen {
			return r
		}
	}
	return nil
}

// Booking returns one booking of the workspace with its history.
func (a *App) Booking(ctx context.Context, slug, id string) (*BookingDetail, error) {
	var d *BookingDetail
	err := a.memberView(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		var err error
		d, err = a.detail(ctx, tx, ws, m, id)
		return err
	})
	return d, err
}

// memberBooking is booking id of ws as member m may see it: another
// practitioner's booking is not found, as if it did not exist.
func memberBooking(ctx context.Context, tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member, id string) (*daoyue.Booking, error) {
	b, err := tx.Booking(ctx, ws.ID, id)
	if err != nil {
		return nil, err
	}
	if !m.Sees(b.PractitionerID) {
		return nil, daoyue.ErrNotFound
	}
	return b, nil
}

func (a *App) detail(ctx context.Context, tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member, id string) (*BookingDetail, error) {
	b, err := memberBooking(ctx, tx, ws, m, id)
	if err != nil {
		return nil, err
	}
	d := &BookingDetail{Workspace: ws, Member: m, Booking: b, Now: a.now()}
	if d.Service, err = tx.Service(ctx, ws.ID, b.ServiceID); err != nil {
		return nil, err
	}
	if d.Practitioner, err = tx.Practitioner(ctx, ws.ID, b.PractitionerID); err != nil {
		return nil, err
	}
	if d.Host, err = tx.Practitioner(ctx, ws.ID, b.HostID); err != nil {
		return nil, err
	}
	if d.Requests, err = tx.ListRequests(ctx, ws.ID, b.ID); err != nil {
		return nil, err
	}
	if d.MaybeExtra, err = maybeExtraMeetings(ctx, tx, b.ID); err != nil {
		return nil, err
	}
	if d.Payments, err = tx.BookingPayments(ctx, ws.ID, b.ID); err != nil {
		return nil, err
	}
	if d.Invoice, err = bookingInvoice(ctx, tx, ws.ID, b.ID); err != nil {
		return nil, err
	}
	d.History, _, err = tx.ListAudit(ctx, ws.ID, b.ID, "", 200)
	return d, err
}

// change loads a booking under its practitioner's lock, lets fn change it,
// stores it with an audit entry and returns the fresh detail.
func (a *App) change(ctx context.Context, slug, id, action string, fn func(tx daoyue.Tx, d *BookingDetail) (map[string]string, error)) (*BookingDetail, error) {
	var d *BookingDetail
	err := a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		b, err := tx.Booking(ctx, ws.ID, id)
		if err != nil {
			return err
		}
		if err := tx.LockPractitioner(ctx, ws.ID, b.PractitionerID); err != nil {
			return err
		}
		if d, err = a.detail(ctx, tx, ws, m, id); err != nil {
			return err
		}
		prev := *d.Booking
		details, err := fn(tx, d)
		if err != nil {
			return err
		}
		if err := a.save(ctx, tx, &prev, d.Booking, action, details); err != nil {
			return err
		}
		d, err = a.detail(ctx, tx, ws, m, id)
		return err
	})
	return d, err
}

// Accept confirms a pending booking (or asks for payment first).
func (a *App) Accept(ctx context.Context, slug, id string) (*BookingDetail, error) {
	return a.change(ctx, slug, id, "booking.accepted", func(tx daoyue.Tx, d *BookingDetail) (map[string]string, error) {
		return nil, d.Booking.Accept(d.Service, a.now())
	})
}

// Decline refuses a pending booking and frees its slot.
func (a *App) Decline(ctx context.Context, slug, id, reason string) (*BookingDetail, error) {
	reason, err := checkReason(reason)
	if err != nil {
		return nil, err
	}
	return a.change(ctx, slug, id, "booking.declined", func(tx daoyue.Tx, d *BookingDetail) (map[string]string, error) {
		if err := d.Booking.Decline(a.now()); err != nil {
			return nil, err
		}
		d.Booking.CancelReason = reason
		return map[string]string{"reason": reason}, a.end(ctx, tx, d.Booking)
	})
}

// Cancel cancels a booking directly and frees its slot.
func (a *App) Cancel(ctx context.Context, slug, id, reason string) (*BookingDetail, error) {
	reason, err := checkReason(reason)
	if err != nil {
		return nil, err
	}
	return a.change(ctx, slug, id, "booking.cancelled", func(tx daoyue.Tx, d *BookingDetail) (map[string]string, error) {
		if err := d.Booking.Cancel(reason, a.now()); err != nil {
			return nil, err
		}
		return map[string]string{"reason": reason}, a.end(ctx, tx, d.Booking)
	})
}

// PaymentMethods a member may record by hand.
var PaymentMethods = []string{"bank_transfer", "cash", "card", "other"}

// RecordPayment records a payment received outside DaoYue; it confirms a
// booking that was waiting for it.
func (a *App) RecordPayment(ctx context.Context, slug, id, method, note string) (*BookingDetail, error) {
	f := daoyue.FieldErrors{}
	ok := false
	for _, m := range PaymentMethods {
		ok = ok || m == method
	}
	if !ok {
		f.Add("method", "error.choice")
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) > 500 {
		f.Add("note", "error.too_long")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return a.change(ctx, slug, id, "booking.payment_recorded", func(tx daoyue.Tx, d *BookingDetail) (map[string]string, error) {
		return map[string]string{"method": method}, d.Booking.PaymentReceived(method, note, a.now())
	})
}

// Reschedule moves a booking directly to a new free start of the same
// practitioner. An open reschedule request is withdrawn.
func (a *App) Reschedule(ctx context.Context, slug, id string, start time.Time) (*BookingDetail, error) {
	if start.IsZero() {
		return nil, daoyue.FieldErrors{"start": "error.required"}.Err()
	}
	return a.change(ctx, slug, id, "booking.rescheduled", func(tx daoyue.Tx, d *BookingDetail) (map[string]string, error) {
		b := d.Booking
		if !b.CanChange(a.now()) {
			return nil, daoyue.Errorf(daoyue.ETRANSITION, "error.booking_unchangeable")
		}
		if err := a.withdrawOpen(ctx, tx, b); err != nil {
			return nil, err
		}
		own := b.Block()
		if err := a.checkSlot(ctx, tx, d.Workspace, d.Service, d.Practitioner, start, &own); err != nil {
			return nil, err
		}
		return a.move(ctx, tx, b, start, "")
	})
}

// move gives b a new time and moves its reservation; the hold of request
// requestID (if any) is what the new time replaces.
func (a *App) move(ctx context.Context, tx daoyue.Tx, b *daoyue.Booking, start time.Time, requestID string) (map[string]string, error) {
	details := map[string]string{"from": b.Start.Format(time.RFC3339), "to": start.UTC().Format(time.RFC3339)}
	if err := b.Move(start.UTC(), start.UTC().Add(b.End.Sub(b.Start)), a.now()); err != nil {
		return nil, err
	}
	if err := tx.Release(ctx, b.WorkspaceID, b.ID, ""); err != nil {
		return nil, err
	}
	if requestID != "" {
		if err := tx.Release(ctx, b.WorkspaceID, b.ID, requestID); err != nil {
			return nil, err
		}
	}
	return details, tx.Reserve(ctx, daoyue.Reservation{WorkspaceID: b.WorkspaceID, PractitionerID: b.PractitionerID, BookingID: b.ID, Block: b.Block()})
}

// end frees every hold of a booking that reached a final state.
func (a *App) end(ctx context.Context, tx daoyue.Tx, b *daoyue.Booking) error {
	if err := a.withdrawOpen(ctx, tx, b); err != nil {
		return err
	}
	return tx.ReleaseAll(ctx, b.WorkspaceID, b.ID)
}

// ApproveRequest carries out a client's reschedule or cancel request.
func (a *App) ApproveRequest(ctx context.Context, slug, id, requestID string) (*BookingDetail, error) {
	return a.decide(ctx, slug, id, requestID, "request.approved", func(tx daoyue.Tx, d *BookingDetail, r *daoyue.Request) (map[string]string, error) {
		if err := r.Decide(daoyue.RequestApproved, daoyue.ActorFrom(ctx).Label, "", a.now()); err != nil {
			return nil, err
		}
		if err := tx.UpdateRequest(ctx, r); err != nil {
			return nil, err
		}
		b := d.Booking
		if r.Kind == daoyue.RequestCancel {
			if err := b.Cancel(r.Reason, a.now()); err != nil {
				return nil, err
			}
			return map[string]string{"kind": "cancel"}, a.end(ctx, tx, b)
		}
		details, err := a.move(ctx, tx, b, *r.NewStart, r.ID)
		if details != nil {
			details["kind"] = "reschedule"
		}
		return details, err
	})
}

// RejectRequest turns down a client's request; a held slot is freed.
func (a *App) RejectRequest(ctx context.Context, slug, id, requestID, message string) (*BookingDetail, error) {
	message, err := checkReason(message)
	if err != nil {
		return nil, err
	}
	return a.decide(ctx, slug, id, requestID, "request.rejected", func(tx daoyue.Tx, d *BookingDetail, r *daoyue.Request) (map[string]string, error) {
		if err := r.Decide(daoyue.RequestRejected, daoyue.ActorFrom(ctx).Label, message, a.now()); err != nil {
			return nil, err
		}
		if err := tx.UpdateRequest(ctx, r); err != nil {
			return nil, err
		}
		return map[string]string{"kind": string(r.Kind), "message": message}, tx.Release(ctx, d.Booking.WorkspaceID, d.Booking.ID, r.ID)
	})
}

func (a *App) decide(ctx context.Context, slug, id, requestID, action string, fn func(daoyue.Tx, *BookingDetail, *daoyue.Request) (map[string]string, error)) (*BookingDetail, error) {
	return a.change(ctx, slug, id, action, func(tx daoyue.Tx, d *BookingDetail) (map[string]string, error) {
		r, err := tx.Request(ctx, d.Workspace.ID, requestID)
		if err != nil {
			return nil, err // ENOTFOUND, or the database could not answer
		}
		if r.BookingID != d.Booking.ID {
			return nil, daoyue.ErrNotFound
		}
		if r.Status != daoyue.RequestOpen {
			return nil, daoyue.Errorf(daoyue.ETRANSITION, "error.request_closed")
		}
		return fn(tx, d, r)
	})
}

// ExpireDue expires every booking whose payment deadline has passed and
// returns how many it expired. It is safe to run on several instances.
func (a *App) ExpireDue(ctx context.Context) (int, error) {
	var due []*daoyue.Booking
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		due, err = tx.DueForExpiry(ctx, a.now(), 100)
		return err
	})
	if err != nil {
		return 0, err
	}
	n := 0
	ctx = daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorSystem, Label: "payment-deadline"})
	for _, d := range due {
		err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
			b, err := tx.Booking(ctx, d.WorkspaceID, d.ID)
			if err != nil {
				return err
			}
			prev := *b
			if err := b.Expire(a.now()); err != nil {
				return err // paid or changed meanwhile
			}
			if err := a.end(ctx, tx, b); err != nil {
				return err
			}
			return a.save(ctx, tx, &prev, b, "booking.expired", nil)
		})
		if err == nil {
			n++
		} else if !daoyue.IsCode(err, daoyue.ETRANSITION) {
			return n, err
		}
	}
	return n, nil
}

func checkReason(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len([]rune(s)) > 1000 {
		return "", daoyue.FieldErrors{"reason": "error.too_long"}.Err()
	}
	return s, nil
}
