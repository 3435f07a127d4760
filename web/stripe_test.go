package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/internal/testenv"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
	"github.com/daoyue/daoyue/stripesim"
)

const (
	stripeKey    = "sk_test_daoyue_simulated_key"
	stripeSecret = "whsec_daoyue_simulated_secret"
)

type stripeEnv struct {
	*pageEnv
	te  *testenv.Env
	sim *stripesim.Sim
}

// newStripeEnv is the page fixture with Stripe (the simulator) and no
// ECPay: studio A's pay-first service (NT$1,500) pays through Stripe.
func newStripeEnv(t *testing.T, db *store.DB) *stripeEnv {
	t.Helper()
	te := testenv.New(t, db, testenv.Options{Start: pgNow})
	sim := stripesim.New(stripesim.Options{SecretKey: stripeKey, WebhookSecret: stripeSecret, Now: te.Clock.Now})
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	sim.SetBaseURL(srv.URL)
	sim.SetWebhookURL(te.Front.URL + "/webhooks/stripe")
	te.App.Stripe = app.NewStripe(stripeKey, stripeSecret, srv.URL)
	te.App.Mail.BaseURL = te.Front.URL
	te.Serve(New(Config{App: te.App, Store: db, Log: te.Log, BaseURL: te.Front.URL}))
	return &stripeEnv{pageEnv: pageEnvOn(t, te), te: te, sim: sim}
}

// checkout presses "pay now" and returns the Checkout Session it opened.
func (e *stripeEnv) checkout(t *testing.T, client *browser, token string) stripesim.Session {
	t.Helper()
	manage := client.get("/b/" + token)
	pay := client.submit(manage, "#pay-online form", nil)
	pay.wantStatus(http.StatusOK)
	href := pay.attr("a#stripe-checkout", "href")
	if !strings.HasPrefix(href, e.sim.URL()+"/pay/cs_test_") {
		t.Fatalf("pay page links to %q, not Stripe Checkout", href)
	}
	s, ok := e.sim.Session(strings.TrimPrefix(href, e.sim.URL()+"/pay/"))
	if !ok {
		t.Fatalf("no session behind %s", href)
	}
	return s
}

func (e *stripeEnv) booking(id string) *daoyue.Booking {
	e.t.Helper()
	var b *daoyue.Booking
	ctx := context.Background()
	if err := e.db.View(ctx, func(tx daoyue.Tx) error {
		var err error
		b, err = tx.Booking(ctx, e.A.Workspace.ID, id)
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	return b
}

func (e *stripeEnv) payments(id string) []*daoyue.Payment {
	e.t.Helper()
	var out []*daoyue.Payment
	ctx := context.Background()
	_ = e.db.View(ctx, func(tx daoyue.Tx) error {
		var err error
		out, err = tx.BookingPayments(ctx, e.A.Workspace.ID, id)
		return err
	})
	return out
}

func (e *stripeEnv) audits(id, action string) int {
	e.t.Helper()
	var n int
	if err := e.db.SQL().QueryRow(`SELECT count(*) FROM audit WHERE workspace_id = $1 AND object_id = $2 AND action = $3`,
		e.A.Workspace.ID, id, action).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func eachStripeStore(t *testing.T, fn func(t *testing.T, e *stripeEnv)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) { fn(t, newStripeEnv(t, db)) })
}

// Paid: the session carries our reference and the price in Stripe's minor
// unit (TWD in cents); the signed checkout.session.completed confirms the
// booking once; a replay of the same event changes nothing.
func TestStripeCheckoutPaid(t *testing.T) {
	t.Parallel()
	eachStripeStore(t, func(t *testing.T, e *stripeEnv) {
		bk := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, slotA, "Alice")
		client := e.browser(t)
		s := e.checkout(t, client, bk.ManageToken)
		ps := e.payments(bk.Booking.ID)
		if len(ps) != 1 || ps[0].Provider != daoyue.ProviderStripe || ps[0].ProviderRef != s.ID {
			t.Fatalf("attempts: %+v", ps)
		}
		if s.ClientReferenceID != ps[0].Reference || s.Metadata["daoyue_reference"] != ps[0].Reference || s.Metadata["daoyue_booking"] != bk.Booking.ID {
			t.Errorf("session references: %q %v, attempt %q", s.ClientReferenceID, s.Metadata, ps[0].Reference)
		}
		if s.AmountTotal != 150000 || s.Currency != "twd" {
			t.Errorf("NT$1,500 sent to Stripe as %d %s, want 150000 twd (cents)", s.AmountTotal, s.Currency)
		}
		if !strings.HasPrefix(s.SuccessURL, e.ts.URL+"/b/"+bk.ManageToken) || s.CancelURL != e.ts.URL+"/b/"+bk.ManageToken {
			t.Errorf("back URLs %s / %s", s.SuccessURL, s.CancelURL)
		}
		if err := e.sim.Pay(s.ID); err != nil {
			t.Fatal(err)
		}
		d := e.sim.Deliveries()
		if len(d) != 1 || d[0].Status != http.StatusOK || !strings.HasPrefix(d[0].Header, "t=") || !strings.Contains(d[0].Header, ",v1=") {
			t.Fatalf("deliveries: %+v", d)
		}
		b := e.booking(bk.Booking.ID)
		if b.Status != daoyue.StatusConfirmed || b.PaymentStatus != daoyue.PaymentPaid || b.PaymentMethod != "card" {
			t.Fatalf("after payment: %s/%s/%s", b.Status, b.PaymentStatus, b.PaymentMethod)
		}
		if p := e.payments(bk.Booking.ID)[0]; p.State != daoyue.PaymentSucceeded || !strings.HasPrefix(p.ProviderRef, "pi_") {
			t.Errorf("attempt after payment: %+v", p)
		}
		// Replayed: answered, applied once.
		if st, err := e.sim.Deliver(d[0].Body); err != nil || st != http.StatusOK {
			t.Fatalf("replay answered %d, %v", st, err)
		}
		if n := e.audits(bk.Booking.ID, "booking.paid"); n != 1 {
			t.Errorf("paid %d times", n)
		}
		if b := e.booking(bk.Booking.ID); b.RefundOwed != 0 {
			t.Errorf("a replay left a refund owed: %d", b.RefundOwed)
		}
		client.get("/b/"+bk.ManageToken+"?paid=stripe").wantCount("#pay-online", 0)
	})
}

// A forged signature is refused (400) and changes nothing; an unsigned
// delivery too; the genuine one then confirms.
func TestStripeForgedRefused(t *testing.T) {
	t.Parallel()
	e := newStripeEnv(t, storetest.NewSQLite(t))
	bk := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, slotA, "Bob")
	s := e.checkout(t, e.browser(t), bk.ManageToken)
	e.sim.ForgeNextEvent()
	if err := e.sim.Pay(s.ID); err != nil {
		t.Fatal(err)
	}
	d := e.sim.Deliveries()
	if len(d) != 1 || d[0].Status != http.StatusBadRequest {
		t.Fatalf("forged delivery answered %+v", d)
	}
	if b := e.booking(bk.Booking.ID); b.Status != daoyue.StatusAwaitingPayment {
		t.Fatalf("a forged event changed the booking: %s", b.Status)
	}
	resp, err := http.Post(e.ts.URL+"/webhooks/stripe", "application/json", strings.NewReader(string(d[0].Body)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unsigned delivery answered %d", resp.StatusCode)
	}
	if st, _ := e.sim.Deliver(d[0].Body); st != http.StatusOK {
		t.Fatalf("the genuine delivery answered %d", st)
	}
	if b := e.booking(bk.Booking.ID); b.Status != daoyue.StatusConfirmed {
		t.Fatalf("the genuine event did not confirm: %s", b.Status)
	}
	if strings.Contains(e.te.Logs.String(), stripeSecret) || strings.Contains(e.te.Logs.String(), stripeKey) {
		t.Fatal("a Stripe secret is in the logs")
	}
}

// A session paid for another amount (NT$100 more, or cents that are not
// whole dollars) is never applied; the studio's history shows it.
func TestStripeWrongAmount(t *testing.T) {
	t.Parallel()
	eachStripeStore(t, func(t *testing.T, e *stripeEnv) {
		client := e.browser(t)
		for i, shift := range []int64{10000, 50} {
			bk := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, slotA.Add(time.Duration(i)*2*time.Hour), "Carol")
			s := e.checkout(t, client, bk.ManageToken)
			e.sim.ShiftNextAmount(shift)
			if err := e.sim.Pay(s.ID); err != nil {
				t.Fatal(err)
			}
			if b := e.booking(bk.Booking.ID); b.Status != daoyue.StatusAwaitingPayment || b.PaymentStatus != daoyue.PaymentUnpaid {
				t.Fatalf("shift %d: applied: %s/%s", shift, b.Status, b.PaymentStatus)
			}
			if n := e.audits(bk.Booking.ID, "payment.mismatch"); n != 1 {
				t.Errorf("shift %d: %d mismatch entries", shift, n)
			}
		}
	})
}

// A delayed method: completed but unpaid waits; async_payment_succeeded
// confirms.
func TestStripeAsyncPayment(t *testing.T) {
	t.Parallel()
	e := newStripeEnv(t, storetest.NewSQLite(t))
	bk := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, slotA, "Dan")
	s := e.checkout(t, e.browser(t), bk.ManageToken)
	if err := e.sim.PayAsync(s.ID); err != nil {
		t.Fatal(err)
	}
	if b := e.booking(bk.Booking.ID); b.Status != daoyue.StatusAwaitingPayment {
		t.Fatalf("an unpaid completed session confirmed: %s", b.Status)
	}
	if err := e.sim.SucceedAsync(s.ID); err != nil {
		t.Fatal(err)
	}
	if b := e.booking(bk.Booking.ID); b.Status != daoyue.StatusConfirmed {
		t.Fatalf("after async_payment_succeeded: %s", b.Status)
	}
}

func TestStripeAmounts(t *testing.T) {
	for _, c := range []struct {
		m    daoyue.Money
		want int64
		cur  string
	}{
		{daoyue.Money{Amount: 1500, Currency: "TWD"}, 150000, "twd"},
		{daoyue.Money{Amount: 1500, Currency: "JPY"}, 1500, "jpy"},
		{daoyue.Money{Amount: 1250, Currency: "USD"}, 1250, "usd"},
	} {
		got, cur, err := app.StripeAmount(c.m)
		if err != nil || got != c.want || cur != c.cur {
			t.Errorf("StripeAmount(%v) = %d %s %v", c.m, got, cur, err)
		}
		back, ok := app.FromStripeAmount(got, cur)
		if !ok || back != c.m {
			t.Errorf("FromStripeAmount(%d, %s) = %v %v", got, cur, back, ok)
		}
	}
	if _, ok := app.FromStripeAmount(150050, "twd"); ok {
		t.Error("TWD cents accepted")
	}
	if _, _, err := app.StripeAmount(daoyue.Money{Amount: 1000, Currency: "KWD"}); err == nil {
		t.Error("a three-decimal currency accepted")
	}
}
