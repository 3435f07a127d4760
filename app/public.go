package app

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
)

// PublicPage is what the public booking page and API show of a workspace.
type PublicPage struct {
	Workspace     *daoyue.Workspace
	Services      []*daoyue.Service // active ones
	Practitioners map[string]*daoyue.Practitioner
}

// PublicWorkspace returns a workspace's public face.
func (a *App) PublicWorkspace(ctx context.Context, slug string) (*PublicPage, error) {
	var pp PublicPage
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		ws, err := tx.WorkspaceBySlug(ctx, slug)
		if err != nil {
			return err
		}
		pp.Workspace = ws
		svcs, err := tx.ListServices(ctx, ws.ID)
		if err != nil {
			return err
		}
		pracs, err := tx.ListPractitioners(ctx, ws.ID)
		if err != nil {
			return err
		}
		pp.Practitioners = map[string]*daoyue.Practitioner{}
		for _, p := range pracs {
			if p.Active {
				pp.Practitioners[p.ID] = p
			}
		}
		for _, s := range svcs {
			if s.Active {
				pp.Services = append(pp.Services, s)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &pp, nil
}

// BookInput is a client's booking form.
type BookInput struct {
	ServiceID      string
	PractitionerID string // "" lets DaoYue assign one (接案老師)
	Start          time.Time
	Client         daoyue.Client
	Note           string
	Language       string
	// ClientAddr is the submitter's network address, for the per-address
	// limit ("" for the system's own bookings).
	ClientAddr string
	// Proof is the page script's answer to a ProofChallenge; a booking
	// without a valid, unused one counts against the tighter Unchecked limits.
	Proof Proof
	// Invoice is the client's e-invoice choice (nil: the default), kept
	// when the studio issues invoices and the service is paid first.
	Invoice *daoyue.InvoiceChoice
}

// Booked is a new booking with the one copy of its manage-link secret.
type Booked struct {
	Workspace    *daoyue.Workspace
	Booking      *daoyue.Booking
	Service      *daoyue.Service
	Practitioner *daoyue.Practitioner
	ManageToken  string
}

// Book submits a booking. The slot is checked and taken in the same write
// transaction that inserts the booking, under the practitioner's lock, so
// of any number of simultaneous submissions for one slot exactly one wins
// and the others get ESLOT with nothing written.
func (a *App) Book(ctx context.Context, slug string, in BookInput) (*Booked, error) {
	in.Client.Name = strings.TrimSpace(in.Client.Name)
	in.Client.Email = daoyue.NormalizeEmail(in.Client.Email)
	in.Client.Phone = strings.TrimSpace(in.Client.Phone)
	in.Note = strings.TrimSpace(in.Note)
	f := daoyue.ValidateClient(in.Client, in.Note)
	if in.ServiceID == "" {
		f.Add("service_id", "error.required")
	}
	if in.Start.IsZero() {
		f.Add("start", "error.required")
	}
	if in.Invoice != nil {
		c := in.Invoice.Normalize()
		in.Invoice = &c
		for k, v := range ValidateInvoiceChoice(c) {
			f[k] = v
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	nonce := a.proofNonce(slug, in.Proof)
	token := daoyue.NewToken()
	var (
		out     Booked
		refused *burst
		counted struct {
			tx daoyue.Tx
			ws *daoyue.Workspace
		}
	)
	count := func(tx daoyue.Tx) error {
		var err error
		counted.ws, refused, err = a.countSubmission(ctx, tx, slug, in, nonce != "")
		counted.tx = tx
		return err
	}
	err := a.Store.UpdateSteps(ctx, count, func(tx daoyue.Tx) error {
		if refused != nil {
			return nil // counted, and refused
		}
		// The steps in one transaction (SQLite): the workspace the count
		// read in it is current. Otherwise it is read again.
		ws := counted.ws
		if tx != counted.tx {
			var err error
			if ws, err = tx.WorkspaceBySlug(ctx, slug); err != nil {
				return err
			}
		}
		svc, pracs, err := a.bookableCached(ctx, tx, ws, in.ServiceID, in.PractitionerID)
		if err != nil {
			return err
		}
		checked, err := a.useProof(ctx, tx, nonce)
		if err != nil {
			return err
		}
		if nonce != "" && !checked {
			// A valid answer used before (replayed, or raced by another
			// submission): it was counted as checked; count it unchecked.
			if refused, err = a.hitLimits(ctx, tx, ws.ID, a.uncheckedLimits(ws, in)); err != nil || refused != nil {
				return err
			}
		}
		if len(pracs) > 1 {
			if pracs, err = a.byLoad(ctx, tx, ws, pracs, in.Start); err != nil {
				return err
			}
		}
		// Lock every candidate before checking any, always in id order: two
		// submissions for "any" that try practitioners in different orders
		// (byLoad) would otherwise deadlock on PostgreSQL.
		if err := lockInOrder(ctx, tx, ws.ID, pracs); err != nil {
			return err
		}
		var firstErr error
		for _, p := range pracs {
			err := a.checkSlot(ctx, tx, ws, svc, p, in.Start, nil)
			if daoyue.IsCode(err, daoyue.ESLOT) {
				if firstErr == nil || daoyue.IsCode(firstErr, daoyue.ESLOT) && err == daoyue.ErrSlotTaken {
					firstErr = err
				}
				continue
			} else if err != nil {
				return err
			}
			b := &daoyue.Booking{
				ID:              daoyue.NewID("bk"),
				WorkspaceID:     ws.ID,
				ServiceID:       svc.ID,
				PractitionerID:  p.ID,
				HostID:          svc.HostFor(p.ID),
				Start:           in.Start.UTC(),
				End:             in.Start.UTC().Add(time.Duration(svc.DurationMin) * time.Minute),
				BufferBefore:    svc.BufferBefore,
				BufferAfter:     svc.BufferAfter,
				Online:          svc.Online,
				Client:          in.Client,
				Note:            in.Note,
				Language:        daoyue.NormalizeLanguage(in.Language),
				ManageTokenHash: daoyue.HashToken(token),
				Price:           svc.Price,
			}
			b.Submitted(svc, a.now())
			if b.ManageTokenSealed, err = a.sealManageToken(b.ID, token); err != nil {
				return err
			}
			client := withKnown(daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorClient, Label: b.Client.Name}), ws, svc, p)
			detail := map[string]string{"service": svc.Name, "practitioner": p.Name, "start": b.Start.Format(time.RFC3339)}
			if in.ClientAddr != "" && !checked {
				detail["unchecked"] = "true" // the studio can tell which bookings skipped the page's check
			}
			if err := a.save(client, tx, nil, b, "booking.submitted", detail); err != nil {
				return err
			}
			if err := a.recordInvoiceChoice(ctx, tx, svc, b, in.Invoice); err != nil {
				return err
			}
			if err := tx.Reserve(ctx, daoyue.Reservation{WorkspaceID: ws.ID, PractitionerID: p.ID, BookingID: b.ID, Block: b.Block()}); err != nil {
				return err
			}
			out = Booked{Workspace: ws, Booking: b, Service: svc, Practitioner: p, ManageToken: token}
			return nil
		}
		if firstErr == nil {
			firstErr = daoyue.Errorf(daoyue.ESLOT, "error.slot_not_offered")
		}
		return firstErr
	})
	if err != nil {
		return nil, err
	}
	if refused != nil {
		a.noteBurst(ctx, refused)
		return nil, daoyue.Errorf(daoyue.ERATELIMIT, "error.booking_throttled").WithRetryAfter(refused.wait)
	}
	return &out, nil
}

// lockInOrder locks the practitioners' calendars in id order.
func lockInOrder(ctx context.Context, tx daoyue.Tx, wsID string, pracs []*daoyue.Practitioner) error {
	ids := make([]string, len(pracs))
	for i, p := range pracs {
		ids[i] = p.ID
	}
	sort.Strings(ids)
	for _, id := range ids {
		if err := tx.LockPractitioner(ctx, wsID, id); err != nil {
			return err
		}
	}
	return nil
}

// byLoad orders practitioners for "any": the one with the fewest bookings
// that day first, so work spreads evenly; ties keep the service's order.
func (a *App) byLoad(ctx context.Context, tx daoyue.Tx, ws *daoyue.Workspace, pracs []*daoyue.Practitioner, start time.Time) ([]*daoyue.Practitioner, error) {
	loc := ws.Location()
	y, m, d := start.In(loc).Date()
	dayStart := time.Date(y, m, d, 0, 0, 0, 0, loc)
	ids := make([]string, len(pracs))
	for i, p := range pracs {
		ids[i] = p.ID
	}
	busy, err := tx.Busy(ctx, ws.ID, ids, dayStart, dayStart.AddDate(0, 0, 1))
	if err != nil {
		return nil, err
	}
	out := append([]*daoyue.Practitioner(nil), pracs...)
	sort.SliceStable(out, func(i, j int) bool { return len(busy[out[i].ID]) < len(busy[out[j].ID]) })
	return out, nil
}

// ClientView is what a client sees of their booking through its manage link.
// Its booking is a daoyue.ClientBooking, which has no field for private
// meeting details or the studio's notes on payment.
type ClientView struct {
	Workspace    *daoyue.Workspace
	Booking      daoyue.ClientBooking
	Service      *daoyue.Service
	Practitioner *daoyue.Practitioner
	Requests     []*daoyue.Request
	// PayOnline: the booking awaits payment and its studio takes ECPay
	// checkouts (the page offers "pay now").
	PayOnline bool
	// PaymentDetails is the latest ATM account or store code issued for
	// the booking, while it waits for that payment.
	PaymentDetails *daoyue.Payment
	// Invoice is the booking's e-invoice (nil when none).
	Invoice *daoyue.Invoice
	// LinkComing: an online booking whose Zoom meeting is made (or being
	// made), so the join link comes by email; false when the studio sends
	// the link itself (its host has no Zoom connected, or the meeting
	// failed). It tells nothing of the meeting itself.
	LinkComing bool
}

// ClientBooking returns the booking behind a manage token.
func (a *App) ClientBooking(ctx context.Context, token string) (*ClientView, error) {
	var c *clientCase
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		if c, err = readClientCase(ctx, tx, token); err != nil {
			return err
		}
		if c.Invoice, err = bookingInvoice(ctx, tx, c.full.WorkspaceID, c.full.ID); err != nil {
			return err
		}
		return a.readPayments(ctx, tx, c)
	})
	if err != nil {
		return nil, err
	}
	return &c.ClientView, nil
}

// clientCase is a manage link's booking as the app layer reads it: the
// client's view, and the whole booking behind it, which stays in app.
type clientCase struct {
	ClientView
	full *daoyue.Booking
}

// lockClientCase locks the calendar of the booking behind token, then
// reads the booking again: a member's change committed meanwhile must be
// what the client's change sees.
func lockClientCase(ctx context.Context, tx daoyue.Tx, token string) (*clientCase, error) {
	c, err := readClientCase(ctx, tx, token)
	if err != nil {
		return nil, err
	}
	if err := tx.LockPractitioner(ctx, c.full.WorkspaceID, c.full.PractitionerID); err != nil {
		return nil, err
	}
	return readClientCase(ctx, tx, token)
}

func readClientCase(ctx context.Context, tx daoyue.Tx, token string) (*clientCase, error) {
	if token == "" {
		return nil, daoyue.ErrNotFound
	}
	b, err := tx.BookingByManageToken(ctx, daoyue.HashToken(token))
	if err != nil {
		return nil, err
	}
	c := &clientCase{ClientView: ClientView{Booking: b.ForClient(), LinkComing: b.Online &&
		(b.Meeting.Status == daoyue.MeetingPending || b.Meeting.Status == daoyue.MeetingCreated)}, full: b}
	if c.Workspace, err = tx.WorkspaceByID(ctx, b.WorkspaceID); err != nil {
		return nil, err
	}
	if c.Service, err = tx.Service(ctx, b.WorkspaceID, b.ServiceID); err != nil {
		return nil, err
	}
	if c.Practitioner, err = tx.Practitioner(ctx, b.WorkspaceID, b.PractitionerID); err != nil {
		return nil, err
	}
	if c.Requests, err = tx.ListRequests(ctx, b.WorkspaceID, b.ID); err != nil {
		return nil, err
	}
	return c, nil
}

// readPayments adds what the client's page shows of the booking's payment:
// the pay-now offer and an issued ATM account or store code.
func (a *App) readPayments(ctx context.Context, tx daoyue.Tx, c *clientCase) error {
	b := c.full
	if b.Status != daoyue.StatusAwaitingPayment || b.PaymentStatus != daoyue.PaymentUnpaid {
		return nil
	}
	ready, err := a.ecpayReady(ctx, tx, b.WorkspaceID)
	if err != nil {
		return err
	}
	if b.Price.Currency != "TWD" {
		ready = false // ECPay takes TWD only
	}
	if !ready {
		if ready, err = a.stripeOffered(ctx, tx, b); err != nil {
			return err
		}
	}
	c.PayOnline = ready && b.PaymentDueAt != nil && a.now().Before(*b.PaymentDueAt)
	ps, err := tx.BookingPayments(ctx, b.WorkspaceID, b.ID)
	if err != nil {
		return err
	}
	for i := len(ps) - 1; i >= 0; i-- {
		if ps[i].Provider == daoyue.ProviderECPay && ps[i].State == daoyue.PaymentAwaiting {
			c.PaymentDetails = ps[i]
			break
		}
	}
	return nil
}

// RequestReschedule asks the studio to move the booking to start. The new
// slot is held until the studio decides.
func (a *App) RequestReschedule(ctx context.Context, token string, start time.Time) (*ClientView, error) {
	if start.IsZero() {
		return nil, daoyue.FieldErrors{"start": "error.required"}.Err()
	}
	return a.clientRequest(ctx, token, func(tx daoyue.Tx, c *clientCase, r *daoyue.Request) error {
		b := c.full
		own := b.Block()
		if err := a.checkSlot(ctx, tx, c.Workspace, c.Service, c.Practitioner, start, &own); err != nil {
			return err
		}
		end := start.Add(b.End.Sub(b.Start))
		r.Kind, r.NewStart, r.NewEnd = daoyue.RequestReschedule, &start, &end
		return nil
	})
}

// RequestCancel asks the studio to cancel the booking.
func (a *App) RequestCancel(ctx context.Context, token, reason string) (*ClientView, error) {
	reason = strings.TrimSpace(reason)
	f := daoyue.FieldErrors{}
	if len([]rune(reason)) > daoyue.MaxRequestReason {
		f.Add("reason", "error.too_long")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return a.clientRequest(ctx, token, func(tx daoyue.Tx, _ *clientCase, r *daoyue.Request) error {
		r.Kind, r.Reason = daoyue.RequestCancel, reason
		return nil
	})
}

// clientRequest files a request: a new one replaces the client's open one.
func (a *App) clientRequest(ctx context.Context, token string, fill func(daoyue.Tx, *clientCase, *daoyue.Request) error) (*ClientView, error) {
	var c *clientCase
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		var err error
		if c, err = lockClientCase(ctx, tx, token); err != nil {
			return err
		}
		b := c.full
		ctx := daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorClient, Label: b.Client.Name})
		if !b.CanChange(a.now()) {
			return daoyue.Errorf(daoyue.ETRANSITION, "error.booking_unchangeable")
		}
		if err := a.withdrawOpen(ctx, tx, b); err != nil {
			return err
		}
		r := &daoyue.Request{ID: daoyue.NewID("rq"), WorkspaceID: b.WorkspaceID, BookingID: b.ID, Status: daoyue.RequestOpen, CreatedAt: a.now()}
		if err := fill(tx, c, r); err != nil {
			return err
		}
		if err := tx.CreateRequest(ctx, r); err != nil {
			return err
		}
		details := map[string]string{"kind": string(r.Kind)}
		if r.NewStart != nil {
			if err := tx.Reserve(ctx, daoyue.Reservation{WorkspaceID: b.WorkspaceID, PractitionerID: b.PractitionerID, BookingID: b.ID, RequestID: r.ID,
				Block: daoyue.BlockFor(*r.NewStart, *r.NewEnd, b.BufferBefore, b.BufferAfter)}); err != nil {
				return err
			}
			details["new_start"] = r.NewStart.Format(time.RFC3339)
		}
		if err := a.saveRequest(ctx, tx, b, details); err != nil {
			return err
		}
		c.Requests, err = tx.ListRequests(ctx, b.WorkspaceID, b.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &c.ClientView, nil
}

// withdrawOpen closes the booking's open requests and frees their holds.
func (a *App) withdrawOpen(ctx context.Context, tx daoyue.Tx, b *daoyue.Booking) error {
	rs, err := tx.ListRequests(ctx, b.WorkspaceID, b.ID)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if r.Status != daoyue.RequestOpen {
			continue
		}
		if err := r.Decide(daoyue.RequestWithdrawn, daoyue.ActorFrom(ctx).Label, "", a.now()); err != nil {
			return err
		}
		if err := tx.UpdateRequest(ctx, r); err != nil {
			return err
		}
		if err := tx.Release(ctx, b.WorkspaceID, b.ID, r.ID); err != nil {
			return err
		}
	}
	return nil
}
