package daoyue

import "time"

// ClientBooking is what a client may see of their booking: its time, state,
// price and payment, and their own details. It has no field for the
// meeting's private details (join URL, meeting ID, passcode), the studio's
// payment method and note, or the manage token's hash, so nothing built
// from it can show them.
type ClientBooking struct {
	ID            string
	Start         time.Time
	End           time.Time
	Online        bool
	Status        Status
	Client        Client
	Note          string
	Price         Money
	PaymentStatus PaymentStatus
	PaidAt        *time.Time
	PaymentDueAt  *time.Time
	RefundOwed    int64 // the client is owed this back (minor units)
	Refunded      int64
}

// ForClient returns the booking as its client may see it.
func (b *Booking) ForClient() ClientBooking {
	return ClientBooking{ID: b.ID, Start: b.Start, End: b.End, Online: b.Online, Status: b.Status, Client: b.Client,
		Note: b.Note, Price: b.Price, PaymentStatus: b.PaymentStatus, PaidAt: copyTime(b.PaidAt), PaymentDueAt: copyTime(b.PaymentDueAt),
		RefundOwed: b.RefundOwed, Refunded: b.Refunded}
}

// CanChange reports whether the client may still ask to move or cancel the
// booking (Booking.CanChange).
func (c ClientBooking) CanChange(now time.Time) bool { return canChange(c.Status, c.End, now) }

func copyTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}
