package app_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// attempt records a started provider payment for booking b, as a checkout
// does, and returns its reference.
func (f *fixture) attempt(b *daoyue.Booking, provider daoyue.PaymentProvider) string {
	f.t.Helper()
	ref := "DY" + daoyue.NewToken()[:12]
	ctx := context.Background()
	err := f.env.DB.Update(ctx, func(tx daoyue.Tx) error {
		return tx.CreatePayment(ctx, &daoyue.Payment{ID: daoyue.NewID("pay"), WorkspaceID: b.WorkspaceID, BookingID: b.ID,
			Provider: provider, Reference: ref, Amount: b.Price, State: daoyue.PaymentStarted, CreatedAt: monday, UpdatedAt: monday})
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return ref
}

// A provider's payment, through app.ReceivePayment: it confirms once (a
// repeated notification changes nothing and sends nothing more), never
// for another amount, confirms late when the time is still free, and owes
// the money back when the time is gone or the booking was cancelled.
func TestReceivePayment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db, false)
		ctx := context.Background()
		pay := func(ref string, m daoyue.Money) daoyue.PaymentOutcome {
			t.Helper()
			out, err := f.a.ReceivePayment(ctx, app.Received{Provider: daoyue.ProviderECPay, Reference: ref, Amount: m, Method: "credit", PaidAt: monday})
			if err != nil {
				t.Fatalf("receive %s: %v", ref, err)
			}
			return out
		}
		price := f.st.PayFirst.Price

		// In time: confirmed, with its confirmation email; the notification again changes nothing.
		b := f.book(f.st.PayFirst, f.st.Chen, at(1, 10), "a@client.example").Booking
		ref := f.attempt(b, daoyue.ProviderECPay)
		if got := pay(ref, daoyue.Money{Amount: price.Amount - 1, Currency: price.Currency}); got != app.PaymentMismatch || f.status(b.ID) != daoyue.StatusAwaitingPayment {
			t.Fatalf("a wrong amount: %s, %s", got, f.status(b.ID))
		}
		if got := pay(ref, price); got != daoyue.PaidConfirmed || f.status(b.ID) != daoyue.StatusConfirmed {
			t.Fatalf("in time: %s, %s", got, f.status(b.ID))
		}
		n := len(f.mails(b.ID))
		if got := pay(ref, price); got != "duplicate" || len(f.mails(b.ID)) != n {
			t.Errorf("the same notification again: %s, %d → %d emails", got, n, len(f.mails(b.ID)))
		}
		if _, err := f.a.ReceivePayment(ctx, app.Received{Provider: daoyue.ProviderStripe, Reference: ref, Amount: price}); !daoyue.IsCode(err, daoyue.ENOTFOUND) {
			t.Errorf("the reference at another provider: %v", err)
		}

		// Late, the time still free: confirmed again, and the time is taken again.
		late := f.book(f.st.PayFirst, f.st.Chen, at(2, 10), "b@client.example").Booking
		lateRef := f.attempt(late, daoyue.ProviderECPay)
		f.a.Now = func() time.Time { return monday.Add(25 * time.Hour) }
		if _, err := f.a.ExpireDue(ctx); err != nil || f.status(late.ID) != daoyue.StatusExpired {
			t.Fatalf("expiry: %v %s", err, f.status(late.ID))
		}
		if got := pay(lateRef, price); got != daoyue.PaidConfirmed || f.status(late.ID) != daoyue.StatusConfirmed {
			t.Fatalf("late, time free: %s, %s", got, f.status(late.ID))
		}
		if _, err := f.a.Book(ctx, "studio", app.BookInput{ServiceID: f.st.PayFirst.ID, PractitionerID: f.st.Chen.ID, Start: at(2, 10),
			Client: daoyue.Client{Name: "X", Email: "x@client.example"}}); !daoyue.IsCode(err, daoyue.ESLOT) {
			t.Errorf("the late-paid time was offered again: %v", err)
		}

		// Late, the time taken by someone else: paid, refund owed, still expired.
		lost := f.book(f.st.PayFirst, f.st.Chen, at(3, 10), "c@client.example").Booking
		lostRef := f.attempt(lost, daoyue.ProviderECPay)
		f.a.Now = func() time.Time { return monday.Add(50 * time.Hour) }
		if _, err := f.a.ExpireDue(ctx); err != nil {
			t.Fatal(err)
		}
		f.book(f.st.Online, f.st.Chen, at(3, 10), "d@client.example")
		if got := pay(lostRef, price); got != daoyue.PaidSlotLost || f.status(lost.ID) != daoyue.StatusExpired {
			t.Fatalf("late, time taken: %s, %s", got, f.status(lost.ID))
		}
		d, _ := f.a.Booking(f.owner, "studio", lost.ID)
		if d.Booking.RefundOwed != price.Amount || d.Booking.PaymentStatus != daoyue.PaymentPaid {
			t.Errorf("slot lost: owed %d, %s", d.Booking.RefundOwed, d.Booking.PaymentStatus)
		}

		// A cancellation that wins the race: the money is owed back.
		race := f.book(f.st.PayFirst, f.st.Chen, at(4, 14), "e@client.example").Booking
		raceRef := f.attempt(race, daoyue.ProviderECPay)
		if _, err := f.a.Cancel(f.owner, "studio", race.ID, "studio closed"); err != nil {
			t.Fatal(err)
		}
		if got := pay(raceRef, price); got != daoyue.PaidSlotLost || f.status(race.ID) != daoyue.StatusCancelled {
			t.Errorf("after a cancellation: %s, %s", got, f.status(race.ID))
		}
	})
}

// The same notification several times at once (a provider's retry, or its
// server notification racing the client's return): one confirms, the
// others are duplicates, and nothing is owed back.
func TestReceivePaymentConcurrentDuplicates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db, false)
		ctx := context.Background()
		price := f.st.PayFirst.Price
		b := f.book(f.st.PayFirst, f.st.Chen, at(1, 10), "a@client.example").Booking
		ref := f.attempt(b, daoyue.ProviderECPay)
		const n = 8
		outs := make([]daoyue.PaymentOutcome, n)
		errs := make([]error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				<-start
				outs[i], errs[i] = f.a.ReceivePayment(ctx, app.Received{Provider: daoyue.ProviderECPay, Reference: ref, Amount: price, Method: "credit", PaidAt: monday})
			})
		}
		close(start)
		wg.Wait()
		confirmed := 0
		for i := range n {
			switch {
			case errs[i] != nil:
				t.Errorf("notification %d: %v", i, errs[i])
			case outs[i] == daoyue.PaidConfirmed:
				confirmed++
			case outs[i] != "duplicate":
				t.Errorf("notification %d: %s, want %s or duplicate", i, outs[i], daoyue.PaidConfirmed)
			}
		}
		if confirmed != 1 {
			t.Errorf("%d notifications confirmed, want 1", confirmed)
		}
		d, err := f.a.Booking(f.owner, "studio", b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Booking.RefundOwed != 0 || d.Booking.Status != daoyue.StatusConfirmed {
			t.Errorf("after %d copies of one payment: %s, refund owed %d", n, d.Booking.Status, d.Booking.RefundOwed)
		}
	})
}

// The sweep forgets client addresses about two hours after their last
// attempt (what the privacy policy says): the booking limits' counters
// and expired My bookings links are deleted, recent ones are kept.
func TestForgetStale(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db, false)
		f.a.Limits = app.DefaultLimits
		ctx := context.Background()
		if _, err := f.a.Book(ctx, "studio", app.BookInput{ServiceID: f.st.Online.ID, PractitionerID: f.st.Lin.ID, Start: at(1, 10),
			Client: daoyue.Client{Name: "王小明", Email: "a@client.example"}, ClientAddr: "203.0.113.9"}); err != nil {
			t.Fatal(err)
		}
		rows := func() int {
			t.Helper()
			var n int
			q := `SELECT COUNT(*) FROM throttles WHERE key LIKE '%203.0.113.9%'`
			if err := db.SQL().QueryRowContext(ctx, q).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if rows() == 0 {
			t.Fatal("the booking kept no counter for its address")
		}
		f.a.Now = func() time.Time { return monday.Add(30 * time.Minute) }
		if err := f.a.ForgetStale(ctx); err != nil || rows() == 0 {
			t.Fatalf("a counter half an hour old was forgotten (%v)", err)
		}
		f.a.Now = func() time.Time { return monday.Add(2*time.Hour + time.Minute) }
		if err := f.a.ForgetStale(ctx); err != nil || rows() != 0 {
			t.Fatalf("%d counters of the address two hours on (%v)", rows(), err)
		}
	})
}
