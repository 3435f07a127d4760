package storetest

import (
	"reflect"
	"time"

	"github.com/daoyue/daoyue"
)

// testPayment: attempts round-trip with every field, are found by the
// provider's reference and by booking, a reference is unique per provider,
// only open attempts are offered for reconciliation, and a booking's
// refund columns round-trip.
func testPayment(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	b := e.booking(w.sa, w.pa.ID, at(10, 0), daoyue.StatusAwaitingPayment)
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	exp := now.Add(72 * time.Hour)
	p := &daoyue.Payment{ID: daoyue.NewID("pay"), WorkspaceID: b.WorkspaceID, BookingID: b.ID, Provider: daoyue.ProviderECPay,
		Reference: "DY" + rnd()[:10], Amount: daoyue.Money{Amount: 1200, Currency: "TWD"}, State: daoyue.PaymentAwaiting,
		Method: "atm", BankCode: "812", Account: "9103522850123456", ExpiresAt: &exp, CreatedAt: now, UpdatedAt: now}
	e.update(func(tx daoyue.Tx) error { return tx.CreatePayment(ctx, p) })
	var got *daoyue.Payment
	e.view(func(tx daoyue.Tx) error {
		var err error
		got, err = tx.PaymentByReference(ctx, daoyue.ProviderECPay, p.Reference)
		return err
	})
	if !reflect.DeepEqual(got, p) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, p)
	}
	// The same reference at the same provider is refused; at another it is not.
	dup := *p
	dup.ID = daoyue.NewID("pay")
	wantCode(t, "duplicate reference", e.try(func(tx daoyue.Tx) error { return tx.CreatePayment(ctx, &dup) }), daoyue.ECONFLICT)
	dup.Provider = daoyue.ProviderStripe
	e.update(func(tx daoyue.Tx) error { return tx.CreatePayment(ctx, &dup) })
	wantCode(t, "unknown reference", e.try(func(tx daoyue.Tx) error {
		_, err := tx.PaymentByReference(ctx, daoyue.ProviderECPay, "nope")
		return err
	}), daoyue.ENOTFOUND)
	wantCode(t, "another workspace's payment", e.try(func(tx daoyue.Tx) error {
		_, err := tx.Payment(ctx, w.b.ID, p.ID)
		return err
	}), daoyue.ENOTFOUND)

	open := func() []string {
		var list []*daoyue.Payment
		e.view(func(tx daoyue.Tx) error {
			var err error
			list, err = tx.OpenPayments(ctx, daoyue.ProviderECPay, now.Add(time.Minute), 10)
			return err
		})
		return ids(list, func(p *daoyue.Payment) string { return p.ID })
	}
	wantEqual(t, "open ECPay payments", open(), []string{p.ID})
	paid := now.Add(time.Hour)
	p.State, p.PaidAt, p.ProviderRef, p.UpdatedAt = daoyue.PaymentSucceeded, &paid, "2412011234567890", paid
	e.update(func(tx daoyue.Tx) error { return tx.UpdatePayment(ctx, p) })
	wantEqual(t, "open after success", len(open()), 0)
	var list []*daoyue.Payment
	e.view(func(tx daoyue.Tx) error {
		var err error
		list, err = tx.BookingPayments(ctx, b.WorkspaceID, b.ID)
		return err
	})
	wantEqual(t, "booking payments", len(list), 2)
	for _, q := range list {
		if q.ID == p.ID {
			wantEqual(t, "updated state", q.State, daoyue.PaymentSucceeded)
		}
	}

	b.PaymentStatus, b.RefundOwed, b.Refunded = daoyue.PaymentPaid, 700, 500
	e.update(func(tx daoyue.Tx) error { return tx.UpdateBooking(ctx, b) })
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.Booking(ctx, b.WorkspaceID, b.ID)
		if err == nil {
			wantEqual(t, "refund owed", got.RefundOwed, int64(700))
			wantEqual(t, "refunded", got.Refunded, int64(500))
		}
		return err
	})
}
