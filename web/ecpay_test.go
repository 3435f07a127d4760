package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/ecpay"
	"github.com/daoyue/daoyue/ecpay/ecpaysim"
	"github.com/daoyue/daoyue/ecpay/ecpaysim/ecpaysimtest"
	"github.com/daoyue/daoyue/internal/testenv"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// Each studio its own ECPay merchant, known to the simulator.
var (
	merchantA = ecpaysim.Merchant{ID: "3100001", HashKey: "AAAAkeyAAAAkey16", HashIV: "AAAAivAAAAivAA16"}
	merchantB = ecpaysim.Merchant{ID: "3100002", HashKey: "BBBBkeyBBBBkey16", HashIV: "BBBBivBBBBivBB16"}
)

type ecpayEnv struct {
	*pageEnv
	te  *testenv.Env
	sim *ecpaysimtest.Server
}

// newECPayEnv is the page fixture with the ECPay simulator: studio A uses
// merchantA, studio B merchantB, both entered through the settings page.
func newECPayEnv(t *testing.T, db *store.DB, production bool) *ecpayEnv {
	t.Helper()
	te := testenv.New(t, db, testenv.Options{Start: pgNow})
	sim := ecpaysimtest.NewServer(t, ecpaysim.Options{Now: te.Clock.Now, Merchants: []ecpaysim.Merchant{merchantA, merchantB},
		RetryDelay: func(int) time.Duration { return 10 * time.Minute }})
	te.App.ECPay = &app.ECPay{Client: sim.Client, PaymentURL: sim.URL(), Production: production}
	te.App.Mail.BaseURL = te.Front.URL
	te.Serve(New(Config{App: te.App, Store: db, Log: te.Log, BaseURL: te.Front.URL}))
	e := &ecpayEnv{pageEnv: pageEnvOn(t, te), te: te, sim: sim}
	for slug, m := range map[string]ecpaysim.Merchant{"studio-a": merchantA, "studio-b": merchantB} {
		owner := e.browser(t)
		owner.login("owner@" + strings.TrimPrefix(slug, "studio-") + ".example")
		got := owner.post("/admin/"+slug+"/settings/ecpay", url.Values{"ecpay_merchant_id": {m.ID}, "ecpay_hash_key": {m.HashKey},
			"ecpay_hash_iv": {m.HashIV}, "ecpay_enabled": {"on"}})
		got.wantText(".flash-ok", msg("zh-TW", "flash.ecpay_saved"))
	}
	return e
}

func eachECPayStore(t *testing.T, fn func(t *testing.T, e *ecpayEnv)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) { fn(t, newECPayEnv(t, db, false)) })
}

// checkout is a client pressing "pay now" on the manage page: our pay page,
// then its form posted to the simulator, which shows the payer page.
func (e *ecpayEnv) checkout(t *testing.T, client *browser, token string) (tradeNo string, payer *goquery.Document) {
	t.Helper()
	manage := client.get("/b/" + token)
	pay := client.submit(manage, "#pay-online form", nil)
	pay.wantStatus(http.StatusOK)
	form := pay.Doc.Find("form#ecpay-checkout")
	action, _ := form.Attr("action")
	if !strings.HasPrefix(action, e.sim.URL()) {
		t.Fatalf("checkout posts to %q, not ECPay", action)
	}
	if csp := pay.Header.Get("Content-Security-Policy"); !strings.Contains(csp, e.sim.URL()) {
		t.Errorf("form-action does not allow ECPay: %s", csp)
	}
	data := url.Values{}
	form.Find("input[type=hidden]").Each(func(_ int, s *goquery.Selection) {
		n, _ := s.Attr("name")
		v, _ := s.Attr("value")
		data.Set(n, v)
	})
	tradeNo = data.Get("MerchantTradeNo")
	if len(tradeNo) > 20 || tradeNo == "" {
		t.Fatalf("MerchantTradeNo %q", tradeNo)
	}
	return tradeNo, e.simPost(t, action, data)
}

// simPost posts a form to the simulator and parses its page.
func (e *ecpayEnv) simPost(t *testing.T, u string, data url.Values) *goquery.Document {
	t.Helper()
	resp, err := http.PostForm(u, data)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	if code := doc.Find("#ecpay-error-code").Text(); code != "" {
		t.Fatalf("ECPay error %s: %s", code, doc.Find("#ecpay-error-message").Text())
	}
	return doc
}

// choose presses a method's button on the payer page.
func (e *ecpayEnv) choose(t *testing.T, payer *goquery.Document, button string) *goquery.Document {
	t.Helper()
	btn := payer.Find(button)
	if btn.Length() == 0 {
		h, _ := payer.Html()
		t.Fatalf("no %s on the payer page:\n%s", button, h)
	}
	form := btn.Closest("form")
	action, _ := form.Attr("action")
	data := url.Values{}
	form.Find("input[type=hidden]").Each(func(_ int, s *goquery.Selection) {
		n, _ := s.Attr("name")
		v, _ := s.Attr("value")
		data.Set(n, v)
	})
	n, _ := btn.Attr("name")
	v, _ := btn.Attr("value")
	data.Set(n, v)
	u, _ := url.Parse(e.sim.URL())
	ref, _ := u.Parse(action)
	return e.simPost(t, ref.String(), data)
}

func (e *ecpayEnv) booking(slug, id string) *daoyue.Booking {
	e.t.Helper()
	var b *daoyue.Booking
	ctx := context.Background()
	err := e.db.View(ctx, func(tx daoyue.Tx) error {
		ws, err := tx.WorkspaceBySlug(ctx, slug)
		if err != nil {
			return err
		}
		b, err = tx.Booking(ctx, ws.ID, id)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

func (e *ecpayEnv) mails(slug, id string) []*daoyue.OutboxMessage {
	e.t.Helper()
	var out []*daoyue.OutboxMessage
	ctx := context.Background()
	err := e.db.View(ctx, func(tx daoyue.Tx) error {
		ws, err := tx.WorkspaceBySlug(ctx, slug)
		if err != nil {
			return err
		}
		out, err = tx.OutboxOfBooking(ctx, ws.ID, id)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

func countKind(ms []*daoyue.OutboxMessage, k daoyue.MailKind) int {
	n := 0
	for _, m := range ms {
		if m.Kind == k {
			n++
		}
	}
	return n
}

func (e *ecpayEnv) payments(slug, id string) []*daoyue.Payment {
	e.t.Helper()
	var out []*daoyue.Payment
	ctx := context.Background()
	_ = e.db.View(ctx, func(tx daoyue.Tx) error {
		ws, err := tx.WorkspaceBySlug(ctx, slug)
		if err != nil {
			return err
		}
		out, err = tx.BookingPayments(ctx, ws.ID, id)
		return err
	})
	return out
}

// setPaymentWindow gives studio A's pay-first service a longer deadline
// (ATM needs a whole day before it).
func (e *ecpayEnv) setPaymentWindow(min int) {
	e.t.Helper()
	ctx := context.Background()
	err := e.db.Update(ctx, func(tx daoyue.Tx) error {
		svc, err := tx.Service(ctx, e.A.Workspace.ID, e.A.PayFirst.ID)
		if err != nil {
			return err
		}
		svc.PaymentDeadlineMin = min
		return tx.UpdateService(ctx, svc)
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

var slotA = time.Date(2030, 1, 10, 2, 0, 0, 0, time.UTC)

// Card: settings show the merchant but never the keys; the manage page
// offers "pay now"; paying by card at ECPay confirms the booking, its
// meeting is planned and the confirmation is mailed; duplicates change
// nothing.
func TestECPayCardJourney(t *testing.T) {
	t.Parallel()
	eachECPayStore(t, func(t *testing.T, e *ecpayEnv) {
		owner := e.browser(t)
		owner.login("owner@a.example")
		set := owner.get("/admin/studio-a/settings")
		if v := set.attr("#ecpay input[name=ecpay_merchant_id]", "value"); v != merchantA.ID {
			t.Errorf("merchant id shown as %q", v)
		}
		if strings.Contains(set.HTML, merchantA.HashKey) || strings.Contains(set.HTML, merchantA.HashIV) {
			t.Fatal("the settings page echoes an ECPay key")
		}
		set.wantText("#ecpay-keys", msg("zh-TW", "msg.key_set"))

		bk := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, slotA, "王小明")
		// The payment-required email carries the pay link (token placeholder).
		for _, m := range e.mails("studio-a", bk.Booking.ID) {
			if m.Kind == daoyue.MailPaymentRequired && !strings.Contains(m.Text, "/b/"+daoyue.ManageTokenPlaceholder+"/pay") {
				t.Errorf("payment-required email has no pay link:\n%s", m.Text)
			}
		}
		e.sim.DuplicateNotifications(2)
		client := e.browser(t)
		trade, payer := e.checkout(t, client, bk.ManageToken)
		e.choose(t, payer, "#pay-credit")
		b := e.booking("studio-a", bk.Booking.ID)
		if b.Status != daoyue.StatusConfirmed || b.PaymentStatus != daoyue.PaymentPaid || b.PaymentMethod != "credit" {
			t.Fatalf("after card payment: %s/%s/%s", b.Status, b.PaymentStatus, b.PaymentMethod)
		}
		if b.Meeting.Status == "" || b.Meeting.Status == daoyue.MeetingNone && b.Meeting.Reason == "" {
			t.Errorf("no meeting planned: %+v", b.Meeting)
		}
		ms := e.mails("studio-a", bk.Booking.ID)
		if n := countKind(ms, daoyue.MailConfirmed); n != 1 {
			t.Errorf("%d confirmation emails, want 1", n)
		}
		ps := e.payments("studio-a", bk.Booking.ID)
		if len(ps) != 1 || ps[0].State != daoyue.PaymentSucceeded || ps[0].Reference != trade || ps[0].ProviderRef == "" {
			t.Fatalf("payments: %+v", ps)
		}
		dels := e.sim.Deliveries()
		if len(dels) < 3 {
			t.Fatalf("%d deliveries, want the first and 2 duplicates", len(dels))
		}
		for _, d := range dels {
			if !d.OK || d.Answer != "1|OK" {
				t.Errorf("delivery answered %q", d.Answer)
			}
		}
		client.get("/b/"+bk.ManageToken).wantCount("#pay-online", 0)
		// Paying again is refused: nothing to pay.
		if st := client.raw(http.MethodPost, "/b/"+bk.ManageToken+"/pay", url.Values{}).StatusCode; st != http.StatusConflict {
			t.Errorf("pay page of a paid booking: %d", st)
		}
	})
}

// ATM: the account arrives by email and on the manage page; the client
// pays a day later; the booking is confirmed.
func TestECPayATMJourney(t *testing.T) {
	t.Parallel()
	eachECPayStore(t, func(t *testing.T, e *ecpayEnv) {
		e.setPaymentWindow(4 * 24 * 60)
		bk := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, slotA, "林小姐")
		client := e.browser(t)
		trade, payer := e.checkout(t, client, bk.ManageToken)
		e.choose(t, payer, "#pay-ATM")
		ps := e.payments("studio-a", bk.Booking.ID)
		if len(ps) != 1 || ps[0].State != daoyue.PaymentAwaiting || ps[0].Account == "" || ps[0].ExpiresAt == nil {
			t.Fatalf("after ATM info: %+v", ps)
		}
		if b := e.booking("studio-a", bk.Booking.ID); ps[0].ExpiresAt.After(*b.PaymentDueAt) {
			t.Errorf("ATM deadline %s after the booking's %s", ps[0].ExpiresAt, b.PaymentDueAt)
		}
		manage := client.get("/b/" + bk.ManageToken)
		manage.wantText("#payment-account", ps[0].Account)
		ms := e.mails("studio-a", bk.Booking.ID)
		if countKind(ms, daoyue.MailPaymentDetails) != 1 {
			t.Fatalf("payment details emails: %d", countKind(ms, daoyue.MailPaymentDetails))
		}
		for _, m := range ms {
			if m.Kind == daoyue.MailPaymentDetails && !strings.Contains(m.Text, ps[0].Account) {
				t.Errorf("payment details email without the account:\n%s", m.Text)
			}
		}
		e.te.Clock.Advance(24 * time.Hour)
		if err := e.sim.Pay(merchantA.ID, trade); err != nil {
			t.Fatal(err)
		}
		b := e.booking("studio-a", bk.Booking.ID)
		if b.Status != daoyue.StatusConfirmed || b.PaymentMethod != "atm" {
			t.Fatalf("after ATM payment: %s/%s", b.Status, b.PaymentMethod)
		}
		if n := countKind(e.mails("studio-a", bk.Booking.ID), daoyue.MailConfirmed); n != 1 {
			t.Errorf("%d confirmations", n)
		}
	})
}

// Forged, wrong-amount and other-merchant notifications change nothing;
// the studio's history shows the wrong amount.
func TestECPayRefusedNotifications(t *testing.T) {
	t.Parallel()
	eachECPayStore(t, func(t *testing.T, e *ecpayEnv) {
		bk := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, slotA, "陳先生")
		client := e.browser(t)

		e.sim.ForgeNextNotification()
		_, payer := e.checkout(t, client, bk.ManageToken)
		e.choose(t, payer, "#pay-credit")
		d := e.sim.Deliveries()
		if len(d) == 0 || !strings.HasPrefix(d[0].Answer, "0|") {
			t.Fatalf("forged notification answered %+v", d)
		}
		if b := e.booking("studio-a", bk.Booking.ID); b.Status != daoyue.StatusAwaitingPayment {
			t.Fatalf("forged notification changed the booking: %s", b.Status)
		}
		// ECPay's resend (properly signed) is the real word.
		e.sim.RetryNow()
		if b := e.booking("studio-a", bk.Booking.ID); b.Status != daoyue.StatusConfirmed {
			t.Fatalf("the genuine resend did not confirm: %s", b.Status)
		}

		bk2 := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, slotA.Add(2*time.Hour), "張小姐")
		e.sim.ShiftNextAmount(-100)
		_, payer = e.checkout(t, client, bk2.ManageToken)
		e.choose(t, payer, "#pay-credit")
		if b := e.booking("studio-a", bk2.Booking.ID); b.Status != daoyue.StatusAwaitingPayment || b.PaymentStatus != daoyue.PaymentUnpaid {
			t.Fatalf("a wrong amount was applied: %s/%s", b.Status, b.PaymentStatus)
		}
		last := e.sim.Deliveries()
		if a := last[len(last)-1].Answer; a != "1|OK" {
			t.Errorf("recorded mismatch answered %q", a)
		}
		studio := e.browser(t)
		studio.login("owner@a.example")
		studio.get("/admin/studio-a/bookings/"+bk2.Booking.ID).wantText(".history", msg("zh-TW", "audit.payment.mismatch"))

		// Studio B's merchant, validly signed by B, about A's trade: refused.
		bk3 := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, slotA.Add(4*time.Hour), "李先生")
		trade, _ := e.checkout(t, client, bk3.ManageToken)
		f := url.Values{"MerchantID": {merchantB.ID}, "MerchantTradeNo": {trade}, "RtnCode": {"1"}, "RtnMsg": {"交易成功"},
			"TradeNo": {"2401011234567890"}, "TradeAmt": {"1500"}, "PaymentDate": {"2030/01/07 08:10:00"},
			"PaymentType": {"Credit_CreditCard"}, "PaymentTypeChargeFee": {"41"}, "TradeDate": {"2030/01/07 08:00:00"},
			"SimulatePaid": {"0"}, "StoreID": {""}, "CustomField1": {""}, "CustomField2": {""}, "CustomField3": {""}, "CustomField4": {""}}
		f.Set("CheckMacValue", macOf(f, merchantB))
		if ans := postNotification(t, e.ts.URL+"/webhooks/ecpay/return", f); !strings.HasPrefix(ans, "0|") {
			t.Errorf("another merchant's notification answered %q", ans)
		}
		if b := e.booking("studio-a", bk3.Booking.ID); b.Status != daoyue.StatusAwaitingPayment {
			t.Fatalf("another merchant confirmed A's booking: %s", b.Status)
		}
	})
}

// macOf signs f with m's keys, as ECPay would.
func macOf(f url.Values, m ecpaysim.Merchant) string {
	return ecpay.CheckMacValue(f, ecpay.Credentials{MerchantID: m.ID, HashKey: m.HashKey, HashIV: m.HashIV})
}

func postNotification(t *testing.T, u string, f url.Values) string {
	t.Helper()
	resp, err := http.PostForm(u, f)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// SimulatePaid (ECPay dashboard's 模擬付款) confirms in development and is
// refused in production.
func TestECPaySimulatePaid(t *testing.T) {
	t.Parallel()
	for _, production := range []bool{false, true} {
		e := newECPayEnv(t, storetest.NewSQLite(t), production)
		bk := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, slotA, "黃同學")
		trade, _ := e.checkout(t, e.browser(t), bk.ManageToken)
		if err := e.sim.SimulatePay(merchantA.ID, trade); err != nil {
			t.Fatal(err)
		}
		want := daoyue.StatusConfirmed
		if production {
			want = daoyue.StatusAwaitingPayment
		}
		if b := e.booking("studio-a", bk.Booking.ID); b.Status != want {
			t.Errorf("production=%v: SimulatePaid left the booking %s, want %s", production, b.Status, want)
		}
	}
}

// Late payments: after expiry with the slot free it confirms; with the
// slot taken the studio and the client see "paid, slot lost — refund". A
// cancellation before the notification owes the money back.
func TestECPayLateAndRacing(t *testing.T) {
	t.Parallel()
	eachECPayStore(t, func(t *testing.T, e *ecpayEnv) {
		client := e.browser(t)
		// Slot free.
		free := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, slotA, "甲")
		e.sim.DelayNotifications(26 * time.Hour)
		_, payer := e.checkout(t, client, free.ManageToken)
		e.choose(t, payer, "#pay-credit")
		// Slot taken after expiry.
		lost := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, slotA.Add(3*time.Hour), "乙")
		_, payer = e.checkout(t, client, lost.ManageToken)
		e.choose(t, payer, "#pay-credit")
		e.sim.DelayNotifications(0)

		e.te.Clock.Advance(25 * time.Hour)
		if _, err := e.app.ExpireDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, slotA.Add(3*time.Hour), "丙") // takes 乙's time
		e.te.Clock.Advance(90 * time.Minute)
		e.sim.RetryNow()

		if b := e.booking("studio-a", free.Booking.ID); b.Status != daoyue.StatusConfirmed {
			t.Errorf("late payment, slot free: %s", b.Status)
		}
		b := e.booking("studio-a", lost.Booking.ID)
		if b.Status != daoyue.StatusExpired || b.RefundOwed != 1500 {
			t.Fatalf("late payment, slot taken: %s owed %d", b.Status, b.RefundOwed)
		}
		studio := e.browser(t)
		studio.login("owner@a.example")
		studio.get("/admin/studio-a/bookings/"+lost.Booking.ID).wantText("#slot-lost", msg("zh-TW", "msg.paid_slot_lost"))
		client.get("/b/"+lost.ManageToken).wantText(".next-step", "NT$1,500")

		// Cancel, then the notification arrives: refund owed.
		race := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, slotA.Add(6*time.Hour), "丁")
		e.sim.DelayNotifications(time.Minute)
		_, payer = e.checkout(t, client, race.ManageToken)
		e.choose(t, payer, "#pay-credit")
		e.sim.DelayNotifications(0)
		studio.post("/admin/studio-a/bookings/"+race.Booking.ID+"/cancel", url.Values{"reason": {"老師請假"}}).wantStatus(http.StatusOK)
		e.te.Clock.Advance(2 * time.Minute)
		e.sim.RetryNow()
		if b := e.booking("studio-a", race.Booking.ID); b.Status != daoyue.StatusCancelled || b.RefundOwed != 1500 {
			t.Fatalf("cancel then payment: %s owed %d", b.Status, b.RefundOwed)
		}
	})
}

// A notification that never comes: the reconciliation asks ECPay and
// confirms the booking.
func TestECPayReconciliation(t *testing.T) {
	t.Parallel()
	eachECPayStore(t, func(t *testing.T, e *ecpayEnv) {
		bk := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, slotA, "趙")
		e.sim.DropNotifications(true)
		_, payer := e.checkout(t, e.browser(t), bk.ManageToken)
		e.choose(t, payer, "#pay-credit")
		if b := e.booking("studio-a", bk.Booking.ID); b.Status != daoyue.StatusAwaitingPayment {
			t.Fatalf("dropped notification applied? %s", b.Status)
		}
		if n, err := e.app.ReconcileECPay(context.Background(), 10); err != nil || n != 0 {
			t.Fatalf("a fresh attempt was reconciled: %d, %v", n, err)
		}
		e.te.Clock.Advance(20 * time.Minute)
		if n, err := e.app.ReconcileECPay(context.Background(), 10); err != nil || n != 1 {
			t.Fatalf("reconciled %d (%v), want 1", n, err)
		}
		if b := e.booking("studio-a", bk.Booking.ID); b.Status != daoyue.StatusConfirmed {
			t.Fatalf("after reconciliation: %s", b.Status)
		}
		if n, _ := e.app.ReconcileECPay(context.Background(), 10); n != 0 {
			t.Errorf("reconciled again: %d", n)
		}
	})
}

// Card refunds through ECPay: partial, then the rest; too much is refused
// by us before ECPay is asked.
func TestECPayCardRefunds(t *testing.T) {
	t.Parallel()
	eachECPayStore(t, func(t *testing.T, e *ecpayEnv) {
		bk := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, slotA, "錢")
		trade, payer := e.checkout(t, e.browser(t), bk.ManageToken)
		e.choose(t, payer, "#pay-credit")
		e.te.Clock.Advance(20 * time.Hour) // past the 20:15 close: refundable (R)
		studio := e.browser(t)
		studio.login("owner@a.example")
		base := "/admin/studio-a/bookings/" + bk.Booking.ID
		detail := studio.get(base)
		detail.wantCount("#ecpay-refund form", 1)
		part := studio.submit(detail, "#ecpay-refund form", url.Values{"amount": {"500"}})
		part.wantText(".flash-ok", msg("zh-TW", "flash.ecpay_refunded"))
		part.wantText("#refunded", "NT$500")
		if tr, _ := e.sim.Trade(merchantA.ID, trade); tr.Refunded != 500 {
			t.Errorf("ECPay refunded %d", tr.Refunded)
		}
		tooMuch := studio.post(base+"/refund/ecpay", url.Values{"amount": {"2000"}})
		if tooMuch.Status != http.StatusUnprocessableEntity {
			t.Errorf("refund above the payment: %d", tooMuch.Status)
		}
		rest := studio.post(base+"/refund/ecpay", url.Values{"amount": {"1000"}})
		rest.wantText("#refunded", "NT$1,500")
		if tr, _ := e.sim.Trade(merchantA.ID, trade); tr.Refunded != 1500 {
			t.Errorf("ECPay refunded %d", tr.Refunded)
		}
	})
}

// Nothing a client sees before paying carries the meeting's join link, id
// or passcode: the manage page, the pay page, the payment-required and
// payment-details emails.
func TestECPayNoJoinLinkBeforePayment(t *testing.T) {
	t.Parallel()
	e := newECPayEnv(t, storetest.NewSQLite(t), false)
	e.setPaymentWindow(4 * 24 * 60)
	bk := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, slotA, "周")
	// Even with a meeting recorded on the booking (as if made early).
	ctx := context.Background()
	err := e.db.Update(ctx, func(tx daoyue.Tx) error {
		b, err := tx.Booking(ctx, e.A.Workspace.ID, bk.Booking.ID)
		if err != nil {
			return err
		}
		b.Meeting.JoinURL, b.Meeting.ZoomID, b.Meeting.Passcode = "https://zoom.example/j/98765432101?pwd=SECRET", 98765432101, "SECRETPC"
		return tx.UpdateBooking(ctx, b)
	})
	if err != nil {
		t.Fatal(err)
	}
	client := e.browser(t)
	leaks := func(where, s string) {
		for _, x := range []string{"zoom.example", "98765432101", "SECRETPC", "/j/"} {
			if strings.Contains(s, x) {
				t.Errorf("%s carries %q", where, x)
			}
		}
	}
	leaks("manage page", client.get("/b/"+bk.ManageToken).HTML)
	pay := client.post("/b/"+bk.ManageToken+"/pay", url.Values{})
	leaks("pay page", pay.HTML)
	trade := pay.attr("input[name=MerchantTradeNo]", "value")
	_, payer := e.checkout(t, client, bk.ManageToken)
	e.choose(t, payer, "#pay-ATM")
	leaks("manage page with ATM details", client.get("/b/"+bk.ManageToken).HTML)
	for _, m := range e.mails("studio-a", bk.Booking.ID) {
		leaks(string(m.Kind)+" email", m.Text+m.HTML+m.ICS)
	}
	_ = trade
}

// The public API's answer to a pay-first booking carries its checkout link
// when the studio takes ECPay, and null when the client pays by the
// studio's transfer instructions.
func TestAPIPaymentURL(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newECPayEnv(t, db, false)
		book := func(slug string, svc *daoyue.Service, prac string) map[string]any {
			t.Helper()
			body := `{"service_id":"` + svc.ID + `","practitioner_id":"` + prac + `","start":"2030-01-08T10:00:00+08:00","client":{"name":"Amy","email":"amy@client.example"}}`
			resp, err := http.Post(e.ts.URL+"/api/v1/public/workspaces/"+slug+"/bookings", "application/json", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var out map[string]any
			raw, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusCreated || json.Unmarshal(raw, &out) != nil {
				t.Fatalf("book: %d %s", resp.StatusCode, raw)
			}
			return out
		}
		a := book("studio-a", e.A.PayFirst, e.A.Chen.ID)
		if u, _ := a["payment_url"].(string); u != e.ts.URL+"/b/"+a["manage_token"].(string)+"/pay" {
			t.Errorf("payment_url at a studio with ECPay: %v", a["payment_url"])
		}
		// The link opens the checkout.
		if resp, err := http.Get(a["payment_url"].(string)); err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("opening payment_url: %v", err)
		}
		// Studio B switches ECPay off: null.
		owner := e.browser(t)
		owner.login("owner@b.example")
		owner.post("/admin/studio-b/settings/ecpay", url.Values{"ecpay_merchant_id": {merchantB.ID}})
		b := book("studio-b", e.B.PayFirst, e.B.Chen.ID)
		if b["payment_url"] != nil {
			t.Errorf("payment_url without online payment: %v", b["payment_url"])
		}
	})
}
