package daoyue

import (
	"testing"
	"time"
)

func payFirst() *Booking {
	b := &Booking{Start: t0.Add(48 * time.Hour), End: t0.Add(49 * time.Hour), Price: Money{1000, "TWD"}}
	b.Submitted(svcWith(ConfirmAuto, PaymentBefore), t0)
	return b
}

// What a received payment does, for every state a booking can be in when
// the money arrives.
func TestPaymentArrived(t *testing.T) {
	later := t0.Add(2 * time.Hour) // after the 60-minute deadline
	cases := []struct {
		name       string
		setup      func(b *Booking)
		slotFree   bool
		at         time.Time
		want       PaymentOutcome
		status     Status
		refundOwed int64
	}{
		{"in time", func(*Booking) {}, true, t0.Add(time.Minute), PaidConfirmed, StatusConfirmed, 0},
		{"after expiry, slot still free", func(b *Booking) { _ = b.Expire(later) }, true, later, PaidConfirmed, StatusConfirmed, 0},
		{"after expiry, slot taken", func(b *Booking) { _ = b.Expire(later) }, false, later, PaidSlotLost, StatusExpired, 1000},
		{"after expiry, session over", func(b *Booking) { _ = b.Expire(later) }, true, b0End().Add(time.Hour), PaidSlotLost, StatusExpired, 1000},
		{"after a cancellation", func(b *Booking) { _ = b.Cancel("", t0) }, true, t0.Add(time.Minute), PaidSlotLost, StatusCancelled, 1000},
		{"a second payment", func(b *Booking) { _, _ = b.PaymentArrived(b.Price, "credit", true, t0) }, true, t0.Add(time.Minute), PaidTwice, StatusConfirmed, 1000},
		{"confirmed, to pay at the studio", func(b *Booking) { b.Status = StatusConfirmed }, true, t0, PaidRecorded, StatusConfirmed, 0},
		{"reported transfer, then the money", func(b *Booking) { _ = b.TransferReported(t0) }, true, later, PaidConfirmed, StatusConfirmed, 0},
	}
	for _, c := range cases {
		b := payFirst()
		c.setup(b)
		got, err := b.PaymentArrived(Money{1000, "TWD"}, "credit", c.slotFree, c.at)
		if err != nil || got != c.want || b.Status != c.status || b.RefundOwed != c.refundOwed || b.PaymentStatus != PaymentPaid {
			t.Errorf("%s: %q %v → %s, refund owed %d, payment %s; want %q → %s, %d", c.name, got, err, b.Status, b.RefundOwed, b.PaymentStatus, c.want, c.status, c.refundOwed)
		}
	}
}

func b0End() time.Time { return payFirst().End }

// Another amount or currency never confirms, and changes nothing.
func TestPaymentMismatch(t *testing.T) {
	for _, m := range []Money{{999, "TWD"}, {1000, "USD"}, {100000, "TWD"}} {
		b := payFirst()
		before := *b
		if _, err := b.PaymentArrived(m, "credit", true, t0); err != ErrPaymentMismatch {
			t.Errorf("%v: %v", m, err)
		}
		if b.Status != before.Status || b.PaymentStatus != before.PaymentStatus || b.RefundOwed != 0 {
			t.Errorf("%v changed the booking: %s %s", m, b.Status, b.PaymentStatus)
		}
	}
}

// A reported transfer holds the booking past its deadline until the studio
// answers; "not found" puts the deadline back in force.
func TestTransferReported(t *testing.T) {
	b := payFirst()
	if err := b.TransferReported(t0); err != nil {
		t.Fatal(err)
	}
	if err := b.TransferReported(t0); err == nil {
		t.Error("reported twice")
	}
	late := t0.Add(3 * time.Hour)
	if err := b.Expire(late); err == nil || b.Status != StatusAwaitingPayment {
		t.Fatalf("a reported transfer expired: %v %s", err, b.Status)
	}
	if err := b.TransferNotFound(late); err != nil || b.PaymentStatus != PaymentUnpaid {
		t.Fatalf("not found: %v %s", err, b.PaymentStatus)
	}
	if err := b.Expire(late); err != nil || b.Status != StatusExpired {
		t.Errorf("after 'not found' past the deadline: %v %s", err, b.Status)
	}
	c := payFirst()
	c.Status = StatusConfirmed
	if err := c.TransferReported(t0); err == nil {
		t.Error("a transfer reported on a confirmed booking")
	}
}

// Cancelling a paid booking owes the money back; refunds (full, partial,
// too much) and waivers.
func TestRefunds(t *testing.T) {
	b := payFirst()
	_, _ = b.PaymentArrived(b.Price, "credit", true, t0)
	if err := b.Cancel("", t0); err != nil || b.RefundOwed != 1000 {
		t.Fatalf("cancel a paid booking: %v, owed %d", err, b.RefundOwed)
	}
	for _, bad := range []int64{0, -5, 1001} {
		if err := b.Refund(bad, t0); !IsCode(err, EINVALID) {
			t.Errorf("refund %d: %v", bad, err)
		}
	}
	if err := b.Refund(400, t0); err != nil || b.RefundOwed != 600 || b.Refunded != 400 {
		t.Fatalf("partial refund: %v owed %d refunded %d", err, b.RefundOwed, b.Refunded)
	}
	if err := b.RefundWaived(t0); err != nil || b.RefundOwed != 0 || b.Refunded != 400 {
		t.Fatalf("waive: %v owed %d", err, b.RefundOwed)
	}
	if err := b.RefundWaived(t0); err == nil {
		t.Error("waived twice")
	}
	// A kept, paid booking may be refunded in part, never beyond what was paid.
	k := payFirst()
	_, _ = k.PaymentArrived(k.Price, "credit", true, t0)
	if err := k.Refund(300, t0); err != nil || k.Refunded != 300 {
		t.Fatalf("refund of a kept booking: %v", err)
	}
	if err := k.Refund(701, t0); err == nil {
		t.Error("refunded more than paid")
	}
	// Unpaid: nothing to refund.
	if err := payFirst().Refund(1, t0); err == nil {
		t.Error("refund of an unpaid booking")
	}
}
