package app

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/ecpay"
)

// ECPay B2C e-invoices (電子發票), optional per studio. The client chooses
// at booking where the invoice goes (InvoiceChoice, stored as a requested
// invoice); the payment that makes the booking paid turns it pending (in
// save, invoiceChanged); the invoice job (IssueDueInvoices) issues it at
// ECPay with RelateNumber = our reference, retrying with backoff; a full
// refund voids it. Partial refunds would need an allowance (折讓): not
// done here, the studio issues it in ECPay's backend.

// ECPayInvoiceAccountView is what the settings page shows of a studio's
// invoice merchant: never the keys.
type ECPayInvoiceAccountView = ECPayAccountView

// ECPayInvoiceAccount returns the studio's e-invoice merchant (owners and admins).
func (a *App) ECPayInvoiceAccount(ctx context.Context, slug string) (*ECPayInvoiceAccountView, error) {
	return a.merchant(ctx, slug, invoiceMerchant)
}

// SetECPayInvoiceAccount stores the studio's e-invoice merchant (owners and admins).
func (a *App) SetECPayInvoiceAccount(ctx context.Context, slug string, c ECPayAccountChanges) (*ECPayInvoiceAccountView, error) {
	return a.setMerchant(ctx, slug, invoiceMerchant, c)
}

// SeedECPayInvoiceAccount gives the workspace slug the e-invoice merchant c
// unless it has one (the development demo, with the simulator's merchant).
func (a *App) SeedECPayInvoiceAccount(ctx context.Context, slug string, c ECPayAccountChanges) error {
	return a.seedMerchant(ctx, slug, invoiceMerchant, c)
}

// invoiceCredentials opens the studio's e-invoice keys.
func (a *App) invoiceCredentials(ctx context.Context, tx daoyue.Tx, wsID string) (ecpay.Credentials, error) {
	acct, err := tx.PaymentAccount(ctx, wsID, daoyue.ProviderECPayInvoice)
	if err != nil {
		return ecpay.Credentials{}, err
	}
	if !acct.Ready() {
		return ecpay.Credentials{}, daoyue.Errorf(daoyue.ETRANSITION, invoiceMerchant.notEnabled)
	}
	return a.openMerchant(acct, invoiceMerchant)
}

// IssuesInvoices reports whether the studio issues e-invoices (its invoice
// merchant is complete and switched on, and ECPay is configured).
func (a *App) issuesInvoices(ctx context.Context, tx daoyue.Tx, wsID string) (bool, error) {
	if a.ECPay == nil {
		return false, nil
	}
	acct, err := tx.PaymentAccount(ctx, wsID, daoyue.ProviderECPayInvoice)
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return false, nil
	}
	return err == nil && acct.Ready(), err
}

// IssuesInvoices reports whether the studio slug issues e-invoices, for the
// booking form (which then asks for the client's choice on pay-first
// services).
func (a *App) IssuesInvoices(ctx context.Context, slug string) (bool, error) {
	var ok bool
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		ws, err := tx.WorkspaceBySlug(ctx, slug)
		if err != nil {
			return err
		}
		ok, err = a.issuesInvoices(ctx, tx, ws.ID)
		return err
	})
	return ok, err
}

// ValidateInvoiceChoice checks a client's choice with ECPay's own rules
// (package ecpay's validators), naming the field at fault.
func ValidateInvoiceChoice(c daoyue.InvoiceChoice) daoyue.FieldErrors {
	f := daoyue.FieldErrors{}
	switch c.Kind {
	case daoyue.InvoiceMember:
	case daoyue.InvoiceMobile:
		if !ecpay.ValidMobileBarcode(c.Carrier) {
			f.Add("invoice_carrier", "error.invoice_carrier")
		}
	case daoyue.InvoiceDonate:
		if !ecpay.ValidLoveCode(c.LoveCode) {
			f.Add("invoice_love_code", "error.invoice_love_code")
		}
	case daoyue.InvoiceCompany:
		if !ecpay.ValidBusinessID(c.BusinessID) {
			f.Add("invoice_business_id", "error.invoice_business_id")
		}
		if c.CompanyName == "" || len([]rune(c.CompanyName)) > 60 {
			f.Add("invoice_company_name", "error.invoice_company_name")
		}
		if c.CompanyAddr == "" || len([]rune(c.CompanyAddr)) > 100 {
			f.Add("invoice_company_addr", "error.invoice_company_addr")
		}
	default:
		f.Add("invoice_type", "error.invoice_type")
	}
	return f
}

// recordInvoiceChoice keeps the client's choice on a new booking when the
// studio issues invoices and the service is paid first.
func (a *App) recordInvoiceChoice(ctx context.Context, tx daoyue.Tx, svc *daoyue.Service, b *daoyue.Booking, c *daoyue.InvoiceChoice) error {
	if svc.Payment != daoyue.PaymentBefore || b.Price.Currency != "TWD" || b.Price.Amount <= 0 {
		return nil
	}
	ok, err := a.issuesInvoices(ctx, tx, b.WorkspaceID)
	if err != nil || !ok {
		return err
	}
	choice := daoyue.InvoiceChoice{Kind: daoyue.InvoiceMember}
	if c != nil {
		choice = c.Normalize()
	}
	now := a.now()
	return tx.PutInvoice(ctx, &daoyue.Invoice{WorkspaceID: b.WorkspaceID, BookingID: b.ID, Choice: choice,
		State: daoyue.InvoiceRequested, CreatedAt: now, UpdatedAt: now})
}

// relateNumber is a booking's RelateNumber at ECPay: letters and digits of
// its id (unique per studio), at most 30.
func relateNumber(bookingID string) string {
	var s strings.Builder
	s.WriteString("DY")
	for _, r := range strings.ToUpper(bookingID) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			s.WriteRune(r)
		}
	}
	out := s.String()
	if len(out) > 30 {
		out = out[:30]
	}
	return out
}

// invoiceChanged is save's invoice consequence: a booking that became paid
// gets its invoice issued (the client's choice, or the default when the
// studio turned invoices on after the booking); one refunded in full gets
// it voided, or never issued.
func (a *App) invoiceChanged(ctx context.Context, tx daoyue.Tx, prev, b *daoyue.Booking) error {
	if prev == nil || b.Price.Currency != "TWD" {
		return nil
	}
	becamePaid := prev.PaymentStatus != daoyue.PaymentPaid && b.PaymentStatus == daoyue.PaymentPaid
	refundedInFull := prev.Refunded < b.Price.Amount && b.Refunded >= b.Price.Amount && b.Price.Amount > 0
	if !becamePaid && !refundedInFull {
		return nil
	}
	inv, err := tx.Invoice(ctx, b.WorkspaceID, b.ID)
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		inv, err = nil, nil
	}
	if err != nil {
		return err
	}
	now := a.now()
	switch {
	case becamePaid:
		if b.RefundOwed >= b.Price.Amount {
			// Paid too late (slot lost) or after a cancellation: owed
			// back, not a sale.
			if inv != nil && inv.State == daoyue.InvoiceRequested {
				inv.State, inv.UpdatedAt = daoyue.InvoiceCancelled, now
				return tx.PutInvoice(ctx, inv)
			}
			return nil
		}
		if inv == nil {
			ok, err := a.issuesInvoices(ctx, tx, b.WorkspaceID)
			if err != nil || !ok {
				return err
			}
			inv = &daoyue.Invoice{WorkspaceID: b.WorkspaceID, BookingID: b.ID, Choice: daoyue.InvoiceChoice{Kind: daoyue.InvoiceMember}, CreatedAt: now}
		} else if inv.State != daoyue.InvoiceRequested {
			return nil
		}
		inv.State, inv.RelateNumber, inv.Amount, inv.Attempts = daoyue.InvoicePending, relateNumber(b.ID), b.Price.Amount, 0
		inv.NextAttemptAt, inv.UpdatedAt = &now, now
		return tx.PutInvoice(ctx, inv)
	default: // refunded in full
		if inv == nil {
			return nil
		}
		switch inv.State {
		case daoyue.InvoiceIssued:
			inv.State, inv.Attempts, inv.NextAttemptAt, inv.Error, inv.ErrorKind = daoyue.InvoiceVoidPending, 0, &now, "", ""
		case daoyue.InvoiceRequested, daoyue.InvoicePending, daoyue.InvoiceFailed:
			inv.State, inv.NextAttemptAt = daoyue.InvoiceCancelled, nil
		default:
			return nil
		}
		inv.UpdatedAt = now
		return tx.PutInvoice(ctx, inv)
	}
}

// maxInvoiceAttempts: transient failures (ECPay unreachable, refusing the
// envelope) are retried with backoff this many times before the studio is
// asked to act; ECPay's refusal of the invoice itself is shown at once.
const maxInvoiceAttempts = 8

// invoiceBackoff is the wait after a failed attempt: 1, 2, 4 … minutes,
// capped at an hour (ECPay locks out callers that retry too fast).
func invoiceBackoff(attempt int) time.Duration {
	d := time.Minute << min(attempt-1, 10)
	return min(d, time.Hour)
}

// IssueDueInvoices issues and voids the invoices that are due (the invoice
// job), a bounded batch, and returns how many it finished. ECPay is called
// outside any transaction; the result is stored only if the invoice is
// still in the state it was read in.
func (a *App) IssueDueInvoices(ctx context.Context, limit int) (int, error) {
	if a.ECPay == nil {
		return 0, nil
	}
	var due []*daoyue.Invoice
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		due, err = tx.DueInvoices(ctx, a.now(), limit)
		return err
	})
	if err != nil {
		return 0, err
	}
	done := 0
	for _, inv := range due {
		ok, err := a.workInvoice(ctx, inv)
		if err != nil {
			return done, err
		}
		if ok {
			done++
		}
	}
	return done, nil
}

func (a *App) workInvoice(ctx context.Context, inv *daoyue.Invoice) (bool, error) {
	sys := daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorSystem, Label: "ecpay"})
	var (
		cred ecpay.Credentials
		b    *daoyue.Booking
		svc  *daoyue.Service
	)
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		if b, err = tx.Booking(ctx, inv.WorkspaceID, inv.BookingID); err != nil {
			return err
		}
		if svc, err = tx.Service(ctx, inv.WorkspaceID, b.ServiceID); err != nil {
			return err
		}
		cred, err = a.invoiceCredentials(ctx, tx, inv.WorkspaceID)
		return err
	})
	var callErr error
	var issued *ecpay.IssuedInvoice
	switch {
	case err != nil && (daoyue.IsCode(err, daoyue.ENOTFOUND) || daoyue.IsCode(err, daoyue.ETRANSITION)):
		callErr = errInvoiceOff
	case err != nil:
		return false, err
	case inv.State == daoyue.InvoicePending:
		issued, callErr = a.ECPay.Client.IssueInvoice(ctx, cred, invoiceFor(inv, b, svc))
	default:
		if inv.IssuedAt == nil {
			callErr = errInvoiceOff
		} else {
			callErr = a.ECPay.Client.VoidInvoice(ctx, cred, inv.Number, *inv.IssuedAt, "全額退款")
		}
	}
	finished := false
	err = a.Store.Update(sys, func(tx daoyue.Tx) error {
		cur, err := tx.Invoice(sys, inv.WorkspaceID, inv.BookingID)
		if err != nil {
			return err
		}
		if cur.State != inv.State || !cur.UpdatedAt.Equal(inv.UpdatedAt) {
			if issued == nil {
				return nil // changed meanwhile (a refund, the studio's retry): the next round sees it
			}
			// Issued, and meanwhile refunded in full: keep the number and void it.
			cur.State = daoyue.InvoiceVoidPending
		}
		now := a.now()
		cur.UpdatedAt = now
		details := map[string]string{"reference": cur.RelateNumber}
		action := ""
		switch {
		case callErr == nil && issued != nil:
			t := issued.InvoiceDate.UTC()
			cur.Number, cur.RandomNumber, cur.IssuedAt, cur.Error, cur.ErrorKind, cur.Attempts = issued.InvoiceNo, issued.RandomNumber, &t, "", "", 0
			if cur.State == daoyue.InvoicePending {
				cur.State, cur.NextAttemptAt = daoyue.InvoiceIssued, nil
			} else {
				cur.NextAttemptAt = &now
			}
			action, details["number"] = "invoice.issued", issued.InvoiceNo
			finished = true
		case callErr == nil:
			cur.State, cur.NextAttemptAt, cur.Error, cur.ErrorKind = daoyue.InvoiceVoided, nil, "", ""
			action, details["number"] = "invoice.voided", cur.Number
			finished = true
		default:
			kind, msg, final := invoiceFailure(callErr)
			cur.Attempts++
			cur.Error, cur.ErrorKind = truncateRunes(msg, 200), kind
			if final || cur.Attempts >= maxInvoiceAttempts {
				if cur.State == daoyue.InvoicePending {
					cur.State = daoyue.InvoiceFailed
				}
				cur.NextAttemptAt = nil // the studio's retry sets it again
				action, details["reason"] = "invoice.failed", kind
			} else {
				next := now.Add(invoiceBackoff(cur.Attempts))
				cur.NextAttemptAt = &next
			}
			a.Log.Warn("ecpay invoice failed", slog.String("reference", cur.RelateNumber), slog.String("kind", kind),
				slog.Int("attempt", cur.Attempts), slog.String("error", msg))
		}
		if err := tx.PutInvoice(sys, cur); err != nil {
			return err
		}
		if action == "" {
			return nil
		}
		return a.audit(sys, tx, cur.WorkspaceID, action, "booking", cur.BookingID, details)
	})
	return finished, err
}

var errInvoiceOff = errors.New("the studio's e-invoice merchant is missing or switched off")

// invoiceFailure sorts a failed call: the fix the studio is shown, ECPay's
// message, and whether retrying as is cannot help.
func invoiceFailure(err error) (kind, msg string, final bool) {
	var rtn *ecpay.RtnError
	var trans *ecpay.TransError
	switch {
	case errors.Is(err, errInvoiceOff):
		return "off", err.Error(), true
	case errors.As(err, &rtn):
		k := "refused"
		switch rtn.Code {
		case 1100002:
			k = "duplicate"
		case 1100003:
			k = "carrier"
		case 1100004:
			k = "love_code"
		case 1100005:
			k = "business_id"
		}
		return k, rtn.Msg, true
	case errors.Is(err, ecpay.ErrInvalid):
		return "refused", err.Error(), true
	case errors.As(err, &trans):
		return "keys", trans.Error(), false
	}
	return "unavailable", ecpayReason(err), false
}

// invoiceFor is the ECPay invoice of a paid booking.
func invoiceFor(inv *daoyue.Invoice, b *daoyue.Booking, svc *daoyue.Service) ecpay.Invoice {
	out := ecpay.Invoice{RelateNumber: inv.RelateNumber, CustomerEmail: b.Client.Email, CustomerPhone: b.Client.Phone,
		CustomerName: truncateRunes(b.Client.Name, 30),
		Items:        []ecpay.InvoiceItem{{Name: truncateRunes(itemName(svc.Name), 100), Count: 1, Word: "堂", Price: inv.Amount}}}
	switch inv.Choice.Kind {
	case daoyue.InvoiceMobile:
		out.CarrierType, out.CarrierNum = ecpay.CarrierMobile, inv.Choice.Carrier
	case daoyue.InvoiceDonate:
		out.LoveCode = inv.Choice.LoveCode
	case daoyue.InvoiceCompany:
		out.BusinessID, out.CustomerName, out.CustomerAddr = inv.Choice.BusinessID, inv.Choice.CompanyName, inv.Choice.CompanyAddr
	default:
		out.CarrierType = ecpay.CarrierECPay
	}
	return out
}

// RetryInvoice is the studio's "try again" on a failed invoice (after the
// fix: keys corrected, the client's new carrier); choice, when not nil,
// replaces the client's choice (the studio asked the client).
func (a *App) RetryInvoice(ctx context.Context, slug, id string, choice *daoyue.InvoiceChoice) (*daoyue.Invoice, error) {
	if choice != nil {
		c := choice.Normalize()
		if err := ValidateInvoiceChoice(c).Err(); err != nil {
			return nil, err
		}
		choice = &c
	}
	var out *daoyue.Invoice
	err := a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		b, err := tx.Booking(ctx, ws.ID, id)
		if err != nil {
			return err
		}
		if !m.Sees(b.PractitionerID) {
			return daoyue.ErrNotFound
		}
		inv, err := tx.Invoice(ctx, ws.ID, id)
		if err != nil {
			return err
		}
		now := a.now()
		switch {
		case inv.State == daoyue.InvoiceFailed:
			inv.State = daoyue.InvoicePending
		case inv.State == daoyue.InvoicePending || inv.State == daoyue.InvoiceVoidPending:
		default:
			return daoyue.Errorf(daoyue.ETRANSITION, "error.invoice_not_failed")
		}
		if choice != nil && inv.State == daoyue.InvoicePending {
			inv.Choice = *choice
		}
		inv.Attempts, inv.NextAttemptAt, inv.UpdatedAt = 0, &now, now
		if err := tx.PutInvoice(ctx, inv); err != nil {
			return err
		}
		out = inv
		return a.audit(ctx, tx, ws.ID, "invoice.retried", "booking", id, map[string]string{"reference": inv.RelateNumber})
	})
	return out, err
}

// bookingInvoice is the booking's invoice, nil when it has none.
func bookingInvoice(ctx context.Context, tx daoyue.Tx, wsID, bookingID string) (*daoyue.Invoice, error) {
	inv, err := tx.Invoice(ctx, wsID, bookingID)
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return nil, nil
	}
	return inv, err
}

// eraseInvoiceChoice forgets the client's invoice details (barcode, love
// code, 統一編號, company name and address) when their data is erased; the
// invoice's number and state stay (ECPay keeps the invoice, as tax law
// requires).
func eraseInvoiceChoice(ctx context.Context, tx daoyue.Tx, wsID, bookingID string) error {
	inv, err := tx.Invoice(ctx, wsID, bookingID)
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return nil
	} else if err != nil {
		return err
	}
	inv.Choice = daoyue.InvoiceChoice{Kind: inv.Choice.Kind}
	return tx.PutInvoice(ctx, inv)
}
