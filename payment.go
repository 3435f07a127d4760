package daoyue

import (
	"context"
	"time"
)

// PaymentProvider names a way a studio takes money (PRODUCT.md, Payments).
type PaymentProvider string

const (
	// ProviderBankTransfer: the studio publishes a bank account; the client
	// reports the transfer (last five digits) and the studio confirms it.
	ProviderBankTransfer PaymentProvider = "bank_transfer"
	// ProviderECPay: 綠界 AIO checkout (card, ATM, convenience store).
	ProviderECPay PaymentProvider = "ecpay"
	// ProviderStripe: Stripe Checkout, for studios outside Taiwan.
	ProviderStripe PaymentProvider = "stripe"
)

// PaymentState is where one attempt to pay stands.
type PaymentState string

const (
	PaymentStarted   PaymentState = "started"   // checkout opened; nothing known yet
	PaymentAwaiting  PaymentState = "awaiting"  // ATM account or store code issued: the client pays later
	PaymentReported  PaymentState = "reported"  // the client says they transferred; the studio checks
	PaymentSucceeded PaymentState = "succeeded" // money received (provider's signed word, or the studio's)
	PaymentFailed    PaymentState = "failed"    // refused, or the transfer was not found
)

// A Payment is one attempt to pay for a booking through a provider. A
// booking may have several (a checkout abandoned, then another); at most
// one succeeds unless the client paid twice, which leaves a refund owed.
type Payment struct {
	ID          string
	WorkspaceID string
	BookingID   string
	Provider    PaymentProvider
	// Reference is our name for the attempt at the provider (ECPay's
	// MerchantTradeNo, Stripe's session id), unique per provider.
	Reference string
	Amount    Money
	State     PaymentState
	Method    string // credit, atm, cvs, barcode, transfer …
	// ProviderRef is the provider's own id (ECPay TradeNo, a PaymentIntent).
	ProviderRef string
	// What the client needs to finish an ATM or store payment: the bank
	// code and virtual account, or the store payment code; with its expiry.
	BankCode  string
	Account   string
	PayCode   string
	ExpiresAt *time.Time
	// A reported transfer: the last five digits of the paying account and
	// when the client says it was sent.
	PayerRef   string
	ReportedAt *time.Time
	PaidAt     *time.Time
	Failure    string // the provider's message when it failed (for the studio)
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Open reports whether the attempt may still turn into money.
func (p *Payment) Open() bool {
	return p.State == PaymentStarted || p.State == PaymentAwaiting || p.State == PaymentReported
}

// PaymentStore keeps payment attempts. In a write transaction, Payment and
// PaymentByReference hold the attempt they return until the transaction
// ends (as BookingStore's reads for a change do): two copies of one
// notification take turns, the second reading what the first recorded.
// Locks are taken attempt first, then booking.
type PaymentStore interface {
	CreatePayment(ctx context.Context, p *Payment) error
	UpdatePayment(ctx context.Context, p *Payment) error
	Payment(ctx context.Context, workspaceID, id string) (*Payment, error)
	// PaymentByReference finds an attempt by the provider's notification
	// (ENOTFOUND when it is not ours).
	PaymentByReference(ctx context.Context, provider PaymentProvider, reference string) (*Payment, error)
	// BookingPayments lists a booking's attempts, oldest first.
	BookingPayments(ctx context.Context, workspaceID, bookingID string) ([]*Payment, error)
	// OpenPayments lists attempts of provider still open and created before
	// `before`, oldest first (reconciliation of lost notifications).
	OpenPayments(ctx context.Context, provider PaymentProvider, before time.Time, limit int) ([]*Payment, error)
}

// PaymentOutcome says what a received payment did to its booking.
type PaymentOutcome string

const (
	PaidConfirmed PaymentOutcome = "confirmed"  // it confirmed the booking (late ones too, slot still free)
	PaidRecorded  PaymentOutcome = "recorded"   // the booking was already confirmed: now it is paid
	PaidSlotLost  PaymentOutcome = "slot_lost"  // too late: the slot is gone or the booking ended — refund owed
	PaidTwice     PaymentOutcome = "paid_twice" // the booking was already paid: this one is owed back
)

// PaymentArrived applies a received payment of amount to the booking.
// slotFree says whether an expired booking's time can still be kept (the
// caller checks under the practitioner's lock). A payment of another
// amount or currency than the booking's price never confirms it: the
// caller refuses it before (ErrPaymentMismatch).
func (b *Booking) PaymentArrived(amount Money, method string, slotFree bool, now time.Time) (PaymentOutcome, error) {
	if amount != b.Price {
		return "", ErrPaymentMismatch
	}
	if b.PaymentStatus == PaymentPaid {
		b.RefundOwed += amount.Amount
		b.UpdatedAt = now
		return PaidTwice, nil
	}
	paid := func() {
		b.PaymentStatus, b.PaymentMethod, b.PaidAt, b.UpdatedAt = PaymentPaid, method, &now, now
	}
	switch {
	case b.Status == StatusAwaitingPayment:
		paid()
		b.Status = StatusConfirmed
		return PaidConfirmed, nil
	case b.Status == StatusConfirmed:
		paid()
		return PaidRecorded, nil
	case b.Status == StatusExpired && slotFree && now.Before(b.Start):
		paid()
		b.Status = StatusConfirmed
		return PaidConfirmed, nil
	default:
		// Expired with the slot taken, cancelled, declined, or pending (no
		// pay link is offered before acceptance): keep the money's record
		// and owe it back.
		paid()
		b.RefundOwed += amount.Amount
		return PaidSlotLost, nil
	}
}

// ErrPaymentMismatch: a payment's amount, currency or booking is not the
// booking's. It is never applied.
var ErrPaymentMismatch = Errorf(ECONFLICT, "error.payment_mismatch")

// TransferReported records that the client says they paid by transfer:
// the booking waits for the studio past its deadline (the client did their
// part in time), and the studio sees it among the bookings to act on.
func (b *Booking) TransferReported(now time.Time) error {
	if b.Status != StatusAwaitingPayment || b.PaymentStatus != PaymentUnpaid {
		return errTransition("report_transfer", b.Status)
	}
	b.PaymentStatus, b.UpdatedAt = PaymentReportedByClient, now
	return nil
}

// TransferNotFound is the studio's answer to a reported transfer that did
// not arrive: the booking owes payment again, and expires at once if its
// deadline has passed (at the next sweep).
func (b *Booking) TransferNotFound(now time.Time) error {
	if b.PaymentStatus != PaymentReportedByClient {
		return errTransition("reject_transfer", b.Status)
	}
	b.PaymentStatus, b.UpdatedAt = PaymentUnpaid, now
	return nil
}

// Refund records money given back: at most what is owed, or, when nothing
// is owed, what was paid and not yet given back (a studio may refund a
// booking it keeps, in part or in full).
func (b *Booking) Refund(amount int64, now time.Time) error {
	limit := b.RefundOwed
	if limit == 0 && b.PaymentStatus == PaymentPaid {
		limit = b.Price.Amount - b.Refunded
	}
	if amount <= 0 || amount > limit {
		f := FieldErrors{}
		f.Add("amount", "error.refund_amount")
		return f.Err()
	}
	b.Refunded += amount
	b.RefundOwed = max(0, b.RefundOwed-amount)
	b.UpdatedAt = now
	return nil
}

// RefundWaived clears a refund owed that the studio will not pay (its
// cancellation policy keeps the money); the history says who decided.
func (b *Booking) RefundWaived(now time.Time) error {
	if b.RefundOwed == 0 {
		return errTransition("waive_refund", b.Status)
	}
	b.RefundOwed, b.UpdatedAt = 0, now
	return nil
}
