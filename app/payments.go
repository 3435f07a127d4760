package app

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
)

// Payments: every provider's money reaches a booking through ReceivePayment
// (ECPay and Stripe notifications) or ConfirmTransfer (the studio checked a
// reported bank transfer); both apply Booking.PaymentArrived and store the
// change through save, like every other booking change.

// TransferReport is a client's word that they paid by bank transfer.
type TransferReport struct {
	Last5  string    // the last five digits of the paying account (匯款後五碼)
	Amount int64     // what they sent, in minor units
	SentAt time.Time // when they say they sent it
}

// ReportTransfer records a client's reported transfer for the booking
// behind token: the studio sees it among the bookings to act on, and the
// booking waits past its deadline until the studio answers.
func (a *App) ReportTransfer(ctx context.Context, token string, in TransferReport) (*ClientView, error) {
	in.Last5 = foldDigits(strings.TrimSpace(in.Last5))
	f := daoyue.FieldErrors{}
	if len(in.Last5) != 5 || strings.Trim(in.Last5, "0123456789") != "" {
		f.Add("last5", "error.transfer_last5")
	}
	if in.Amount <= 0 || in.Amount > 100_000_000 {
		f.Add("amount", "error.transfer_amount")
	}
	if in.SentAt.IsZero() || in.SentAt.After(a.now().Add(10*time.Minute)) || in.SentAt.Before(a.now().AddDate(0, 0, -14)) {
		f.Add("sent_at", "error.transfer_time")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return a.clientChange(ctx, token, "booking.transfer_reported", func(tx daoyue.Tx, c *clientCase) (map[string]string, error) {
		b := c.full
		if strings.TrimSpace(c.Workspace.PaymentInstructions) == "" {
			return nil, daoyue.Errorf(daoyue.ETRANSITION, "error.no_bank_transfer")
		}
		if err := b.TransferReported(a.now()); err != nil {
			return nil, err
		}
		sent := in.SentAt.UTC()
		p := &daoyue.Payment{ID: daoyue.NewID("pay"), WorkspaceID: b.WorkspaceID, BookingID: b.ID,
			Provider: daoyue.ProviderBankTransfer, Reference: daoyue.NewID("tr"), State: daoyue.PaymentReported,
			Amount: daoyue.Money{Amount: in.Amount, Currency: b.Price.Currency}, Method: "transfer",
			PayerRef: in.Last5, ReportedAt: &sent, CreatedAt: a.now(), UpdatedAt: a.now()}
		if err := tx.CreatePayment(ctx, p); err != nil {
			return nil, err
		}
		return map[string]string{"last5": in.Last5, "amount": strconv.FormatInt(in.Amount, 10), "sent_at": sent.Format(time.RFC3339)}, nil
	})
}

// foldDigits turns full-width digits (０-９, typed on many phones' Chinese
// keyboards) into ASCII ones.
func foldDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return '0' + (r - '０')
		}
		return r
	}, s)
}

// reportedTransfer returns the booking's latest reported transfer.
func reportedTransfer(ctx context.Context, tx daoyue.Tx, b *daoyue.Booking) (*daoyue.Payment, error) {
	ps, err := tx.BookingPayments(ctx, b.WorkspaceID, b.ID)
	if err != nil {
		return nil, err
	}
	for i := len(ps) - 1; i >= 0; i-- {
		if ps[i].Provider == daoyue.ProviderBankTransfer && ps[i].State == daoyue.PaymentReported {
			return ps[i], nil
		}
	}
	return nil, daoyue.Errorf(daoyue.ETRANSITION, "error.no_reported_transfer")
}

// ConfirmTransfer is the studio's one click on a reported transfer that
// arrived: the booking is paid (and confirmed, with its meeting).
func (a *App) ConfirmTransfer(ctx context.Context, slug, id string) (*BookingDetail, error) {
	return a.change(ctx, slug, id, "booking.transfer_confirmed", func(tx daoyue.Tx, d *BookingDetail) (map[string]string, error) {
		b := d.Booking
		p, err := reportedTransfer(ctx, tx, b)
		if err != nil {
			return nil, err
		}
		if _, err := b.PaymentArrived(b.Price, "bank_transfer", true, a.now()); err != nil {
			return nil, err
		}
		b.PaymentNote = "…" + p.PayerRef
		now := a.now()
		p.State, p.PaidAt, p.UpdatedAt = daoyue.PaymentSucceeded, &now, now
		return map[string]string{"last5": p.PayerRef}, tx.UpdatePayment(ctx, p)
	})
}

// RejectTransfer is the studio's answer to a reported transfer that did
// not arrive: the booking owes payment again under its deadline.
func (a *App) RejectTransfer(ctx context.Context, slug, id string) (*BookingDetail, error) {
	return a.change(ctx, slug, id, "booking.transfer_rejected", func(tx daoyue.Tx, d *BookingDetail) (map[string]string, error) {
		p, err := reportedTransfer(ctx, tx, d.Booking)
		if err != nil {
			return nil, err
		}
		if err := d.Booking.TransferNotFound(a.now()); err != nil {
			return nil, err
		}
		p.State, p.Failure, p.UpdatedAt = daoyue.PaymentFailed, "not found by the studio", a.now()
		return map[string]string{"last5": p.PayerRef}, tx.UpdatePayment(ctx, p)
	})
}

// Received is a provider's verified word that money arrived for one of
// our payment attempts.
type Received struct {
	Provider    daoyue.PaymentProvider
	Reference   string       // our reference (MerchantTradeNo, session id)
	Amount      daoyue.Money // what the provider says was paid
	Method      string
	ProviderRef string
	PaidAt      time.Time
}

// PaymentMismatch is ReceivePayment's outcome for money that does not
// match its attempt (another amount or currency): nothing is applied, the
// studio sees it in the booking's history.
const PaymentMismatch daoyue.PaymentOutcome = "mismatch"

// ReceivePayment applies a provider's payment to its booking, once: a
// repeated notification of the same attempt changes nothing and reports
// the first outcome's booking state again. An unknown reference is
// ENOTFOUND (not ours).
func (a *App) ReceivePayment(ctx context.Context, in Received) (daoyue.PaymentOutcome, error) {
	ctx = daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorSystem, Label: string(in.Provider)})
	var outcome daoyue.PaymentOutcome
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		p, err := tx.PaymentByReference(ctx, in.Provider, in.Reference)
		if err != nil {
			return err
		}
		if p.State == daoyue.PaymentSucceeded {
			outcome = "duplicate"
			return nil
		}
		b, err := tx.Booking(ctx, p.WorkspaceID, p.BookingID)
		if err != nil {
			return err
		}
		if err := tx.LockPractitioner(ctx, b.WorkspaceID, b.PractitionerID); err != nil {
			return err
		}
		if b, err = tx.Booking(ctx, p.WorkspaceID, p.BookingID); err != nil {
			return err
		}
		details := map[string]string{"provider": string(in.Provider), "reference": in.Reference, "method": in.Method,
			"amount": strconv.FormatInt(in.Amount.Amount, 10) + " " + in.Amount.Currency}
		if in.Amount != p.Amount || p.Amount != b.Price {
			outcome = PaymentMismatch
			return a.audit(ctx, tx, b.WorkspaceID, "payment.mismatch", "booking", b.ID, details)
		}
		prev := *b
		slotFree, err := a.slotStillFree(ctx, tx, b)
		if err != nil {
			return err
		}
		if outcome, err = b.PaymentArrived(in.Amount, in.Method, slotFree, a.now()); err != nil {
			return err
		}
		if prev.Status == daoyue.StatusExpired && b.Status == daoyue.StatusConfirmed {
			// A late payment keeps the time it was for: take it again.
			if err := tx.Reserve(ctx, daoyue.Reservation{WorkspaceID: b.WorkspaceID, PractitionerID: b.PractitionerID, BookingID: b.ID, Block: b.Block()}); err != nil {
				return err
			}
		}
		paid := in.PaidAt.UTC()
		if paid.IsZero() {
			paid = a.now()
		}
		p.State, p.Method, p.ProviderRef, p.PaidAt, p.UpdatedAt = daoyue.PaymentSucceeded, in.Method, in.ProviderRef, &paid, a.now()
		if err := tx.UpdatePayment(ctx, p); err != nil {
			return err
		}
		details["outcome"] = string(outcome)
		return a.save(ctx, tx, &prev, b, "booking.paid", details)
	})
	return outcome, err
}

// slotStillFree reports whether an expired booking's time is free of every
// other booking (checked under the practitioner's lock). Only the calendar
// counts: the studio's notice and hours were met when the client booked.
func (a *App) slotStillFree(ctx context.Context, tx daoyue.Tx, b *daoyue.Booking) (bool, error) {
	if b.Status != daoyue.StatusExpired {
		return true, nil
	}
	blk := b.Block()
	busy, err := tx.Busy(ctx, b.WorkspaceID, []string{b.PractitionerID}, blk.Start, blk.End)
	if err != nil {
		return false, err
	}
	for _, iv := range busy[b.PractitionerID] {
		if iv.Start.Before(blk.End) && blk.Start.Before(iv.End) {
			return false, nil
		}
	}
	return true, nil
}

// RecordRefund records money the studio gave back (by bank, or at ECPay's
// own dashboard), in minor units.
func (a *App) RecordRefund(ctx context.Context, slug, id string, amount int64) (*BookingDetail, error) {
	return a.change(ctx, slug, id, "booking.refunded", func(tx daoyue.Tx, d *BookingDetail) (map[string]string, error) {
		return map[string]string{"amount": strconv.FormatInt(amount, 10)}, d.Booking.Refund(amount, a.now())
	})
}

// WaiveRefund clears a refund owed that the studio keeps under its policy.
func (a *App) WaiveRefund(ctx context.Context, slug, id string) (*BookingDetail, error) {
	return a.change(ctx, slug, id, "booking.refund_waived", func(tx daoyue.Tx, d *BookingDetail) (map[string]string, error) {
		owed := d.Booking.RefundOwed
		return map[string]string{"amount": strconv.FormatInt(owed, 10)}, d.Booking.RefundWaived(a.now())
	})
}

// clientChange changes the booking behind token as its client, under the
// practitioner's lock, through save.
func (a *App) clientChange(ctx context.Context, token, action string, fn func(tx daoyue.Tx, c *clientCase) (map[string]string, error)) (*ClientView, error) {
	var c *clientCase
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		var err error
		if c, err = lockClientCase(ctx, tx, token); err != nil {
			return err
		}
		prev := *c.full
		ctx := daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorClient, Label: c.full.Client.Name})
		details, err := fn(tx, c)
		if err != nil {
			return err
		}
		if err := a.save(ctx, tx, &prev, c.full, action, details); err != nil {
			return err
		}
		c.Booking = c.full.ForClient()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &c.ClientView, nil
}
