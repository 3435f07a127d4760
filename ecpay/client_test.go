package ecpay_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daoyue/daoyue/ecpay"
	"github.com/daoyue/daoyue/ecpay/ecpaysim"
	"github.com/daoyue/daoyue/ecpay/ecpaysim/ecpaysimtest"
)

// t0 is 10:00 in Taipei, far from the 20:15 card close.
var t0 = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)

// shop is the merchant side: notification endpoints that verify with the
// client and answer as configured, and browser landing pages.
type shop struct {
	t      *testing.T
	cred   ecpay.Credentials
	srv    *httptest.Server
	mu     sync.Mutex
	got    []*ecpay.Notification // verified
	bad    []error               // refused
	answer string                // default 1|OK
	landed url.Values            // OrderResultURL / ClientRedirectURL form
}

func newShop(t *testing.T, cred ecpay.Credentials) *shop {
	sh := &shop{t: t, cred: cred, answer: ecpay.AnswerOK}
	mux := http.NewServeMux()
	notify := func(w http.ResponseWriter, r *http.Request) {
		form, err := ecpay.ReadNotification(r)
		var n *ecpay.Notification
		if err == nil {
			n, err = ecpay.VerifyNotification(form, sh.cred)
		}
		sh.mu.Lock()
		defer sh.mu.Unlock()
		if err != nil {
			sh.bad = append(sh.bad, err)
			ecpay.WriteAnswer(w, ecpay.AnswerError("refused"))
			return
		}
		sh.got = append(sh.got, n)
		ecpay.WriteAnswer(w, sh.answer)
	}
	mux.HandleFunc("POST /notify", notify)
	mux.HandleFunc("POST /info", notify)
	land := func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		sh.mu.Lock()
		sh.landed = r.PostForm
		sh.mu.Unlock()
		io.WriteString(w, "landed")
	}
	mux.HandleFunc("POST /result", land)
	mux.HandleFunc("POST /redirect", land)
	sh.srv = httptest.NewServer(mux)
	t.Cleanup(sh.srv.Close)
	return sh
}

func (sh *shop) notifications() []*ecpay.Notification {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return append([]*ecpay.Notification(nil), sh.got...)
}

func (sh *shop) refused() []error {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return append([]error(nil), sh.bad...)
}

func (sh *shop) setAnswer(a string) { sh.mu.Lock(); sh.answer = a; sh.mu.Unlock() }

type env struct {
	t    *testing.T
	sim  *ecpaysimtest.Server
	shop *shop
	cred ecpay.Credentials
	hc   *http.Client
}

func newEnv(t *testing.T, o ecpaysim.Options) *env {
	if o.Now == nil {
		o.Now = func() time.Time { return t0 }
	}
	sim := ecpaysimtest.NewServer(t, o)
	return &env{t: t, sim: sim, shop: newShop(t, ecpay.StageCredentials), cred: ecpay.StageCredentials,
		hc: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (e *env) order(no string, amount int64) ecpay.Order {
	return ecpay.Order{MerchantTradeNo: no, TotalAmount: amount, ItemName: "瑜伽私人課 60分鐘 x 1#教室費",
		TradeDesc: "DaoYue booking", ReturnURL: e.shop.srv.URL + "/notify", PaymentInfoURL: e.shop.srv.URL + "/info",
		ClientBackURL: "https://book.example.tw/b/BK1", CustomField: [4]string{"BK1"}}
}

// submit is the browser posting the auto-submitting form; it returns the
// page ECPay shows.
func (e *env) submit(o ecpay.Order) string {
	e.t.Helper()
	f, err := e.sim.Client.CheckoutForm(e.cred, o)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.post(f.Action, f.Values())
}

func (e *env) post(u string, v url.Values) string {
	e.t.Helper()
	resp, err := e.hc.PostForm(u, v)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("POST %s: %d %s", u, resp.StatusCode, b)
	}
	return string(b)
}

var tradeNoRE = regexp.MustCompile(`id="trade-no">(\d+)<`)

// pay picks a method on the payer page, as the button with that id does.
func (e *env) pay(page, method string) string {
	e.t.Helper()
	m := tradeNoRE.FindStringSubmatch(page)
	if m == nil {
		e.t.Fatalf("no payer page: %s", page)
	}
	if !strings.Contains(page, `value="`+method+`"`) {
		e.t.Fatalf("method %s not offered", method)
	}
	return e.post(e.sim.URL()+"/Cashier/sim/choose", url.Values{"TradeNo": {m[1]}, "method": {method}})
}

func TestCardPaymentNotifiesAndRedirects(t *testing.T) {
	e := newEnv(t, ecpaysim.Options{})
	o := e.order("BK1A1", 1200)
	o.OrderResultURL = e.shop.srv.URL + "/result"
	page := e.submit(o)
	for _, id := range []string{`id="pay-credit"`, `id="pay-ATM"`, `id="pay-CVS"`, `id="pay-BARCODE"`, `id="pay-cancel"`} {
		if !strings.Contains(page, id) {
			t.Errorf("payer page lacks %s", id)
		}
	}
	res := e.pay(page, "Credit")
	if !strings.Contains(res, `action="`+e.shop.srv.URL+`/result"`) || !strings.Contains(res, `id="continue"`) {
		t.Fatalf("no auto-post to OrderResultURL: %s", res)
	}
	ns := e.shop.notifications()
	if len(ns) != 1 {
		t.Fatalf("notifications %d, refused %v", len(ns), e.shop.refused())
	}
	n := ns[0]
	if !n.Paid() || n.TradeAmt != 1200 || n.MerchantTradeNo != "BK1A1" || n.PaymentType != "Credit_CreditCard" ||
		n.SimulatePaid || n.CustomField[0] != "BK1" || n.RtnMsg != "交易成功" || !n.PaymentDate.Equal(t0) || n.ChargeFee != 33 {
		t.Fatalf("notification %+v", n)
	}
	// The browser's copy of the result verifies too (§4.5).
	form := url.Values{}
	for _, m := range regexp.MustCompile(`name="([^"]+)" value="([^"]*)"`).FindAllStringSubmatch(res, -1) {
		form.Set(m[1], htmlUnescape(m[2]))
	}
	if _, err := ecpay.VerifyNotification(form, e.cred); err != nil {
		t.Fatalf("browser result: %v", err)
	}
	tr, err := e.sim.Client.QueryTrade(context.Background(), e.cred, "BK1A1")
	if err != nil || !tr.Paid() || tr.TradeAmt != 1200 || tr.TradeNo != n.TradeNo || tr.ItemName != "瑜伽私人課 60分鐘 x 1#教室費" {
		t.Fatalf("query %+v %v", tr, err)
	}
	if d := e.sim.Deliveries(); len(d) != 1 || !d[0].OK || e.sim.Pending() != 0 {
		t.Fatalf("deliveries %+v", d)
	}
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&#43;", "+").Replace(s)
}

func TestCardWithoutOrderResultURLShowsBackLink(t *testing.T) {
	e := newEnv(t, ecpaysim.Options{})
	res := e.pay(e.submit(e.order("BK1A2", 500)), "Credit")
	if !strings.Contains(res, `id="back-to-merchant" href="https://book.example.tw/b/BK1"`) {
		t.Fatalf("result page: %s", res)
	}
}

func TestRetriesUntilExactlyOK(t *testing.T) {
	e := newEnv(t, ecpaysim.Options{RetryDelay: func(int) time.Duration { return 10 * time.Minute }})
	e.shop.setAnswer("1|OK\n") // not exactly 1|OK
	e.pay(e.submit(e.order("BK1R1", 800)), "Credit")
	if n := len(e.shop.notifications()); n != 1 || e.sim.Pending() != 1 {
		t.Fatalf("after first: %d notifications, %d pending", n, e.sim.Pending())
	}
	e.sim.Advance(9 * time.Minute)
	if n := len(e.shop.notifications()); n != 1 {
		t.Fatalf("resent early: %d", n)
	}
	e.sim.Advance(time.Minute)
	ns := e.shop.notifications()
	if len(ns) != 2 || ns[1].RtnMsg != "paid" || !ns[1].Paid() {
		t.Fatalf("resend %+v", ns)
	}
	e.shop.setAnswer(ecpay.AnswerOK)
	e.sim.RetryNow()
	if n := len(e.shop.notifications()); n != 3 || e.sim.Pending() != 0 {
		t.Fatalf("after OK: %d, pending %d", n, e.sim.Pending())
	}
	// With a merchant that never answers OK: 1 + 4 deliveries, then stop.
	e.shop.setAnswer("OK")
	e.pay(e.submit(e.order("BK1R2", 800)), "Credit")
	for range 10 {
		e.sim.Advance(15 * time.Minute)
	}
	count := 0
	for _, d := range e.sim.Deliveries() {
		if d.MerchantTradeNo == "BK1R2" {
			count++
		}
	}
	if count != 5 {
		t.Fatalf("deliveries for BK1R2: %d, want 5", count)
	}
}

func TestATMPaidADayLater(t *testing.T) {
	e := newEnv(t, ecpaysim.Options{})
	o := e.order("BK2A1", 2400)
	o.ChoosePayment, o.ATMExpireDays = ecpay.PaymentATM, 2
	res := e.pay(e.submit(o), "ATM")
	if !strings.Contains(res, `id="atm-vaccount"`) {
		t.Fatalf("no account shown: %s", res)
	}
	ns := e.shop.notifications()
	if len(ns) != 1 || !ns[0].PaymentInfoIssued || ns[0].RtnCode != ecpay.RtnATMIssued || ns[0].BankCode != "004" ||
		len(ns[0].VAccount) != 16 || ns[0].Paid() || ns[0].Method() != "ATM" {
		t.Fatalf("info %+v refused %v", ns, e.shop.refused())
	}
	wantExp := time.Date(2026, 3, 4, 0, 0, 0, 0, ecpay.Taipei())
	if !ns[0].ExpireDate.Equal(wantExp) {
		t.Fatalf("ExpireDate %v", ns[0].ExpireDate)
	}
	tr, err := e.sim.Client.QueryTrade(context.Background(), e.cred, "BK2A1")
	if err != nil || tr.Paid() || tr.TradeStatus != ecpay.TradeUnpaid {
		t.Fatalf("query before %+v %v", tr, err)
	}
	again, err := e.sim.Client.QueryPaymentInfo(context.Background(), e.cred, "BK2A1")
	if err != nil || again.VAccount != ns[0].VAccount || !again.ExpireDate.Equal(wantExp) {
		t.Fatalf("QueryPaymentInfo %+v %v", again, err)
	}
	e.sim.Advance(24 * time.Hour)
	if err := e.sim.Pay(e.cred.MerchantID, "BK2A1"); err != nil {
		t.Fatal(err)
	}
	ns = e.shop.notifications()
	if len(ns) != 2 || !ns[1].Paid() || ns[1].PaymentType != "ATM_BOT" || !ns[1].PaymentDate.Equal(t0.Add(24*time.Hour)) {
		t.Fatalf("result %+v", ns[1])
	}
	tr, err = e.sim.Client.QueryTrade(context.Background(), e.cred, "BK2A1")
	if err != nil || !tr.Paid() {
		t.Fatalf("query after %+v %v", tr, err)
	}
	var re *ecpay.RtnError
	if _, err := e.sim.Client.QueryPaymentInfo(context.Background(), e.cred, "BK2A1"); !errors.As(err, &re) {
		t.Fatalf("QueryPaymentInfo after payment: %v", err)
	}
	if err := e.sim.Pay(e.cred.MerchantID, "BK2A1"); !errors.Is(err, ecpaysim.ErrNotPayable) {
		t.Fatalf("paid twice: %v", err)
	}
}

func TestATMDeadlinePasses(t *testing.T) {
	e := newEnv(t, ecpaysim.Options{})
	o := e.order("BK2A2", 2400)
	o.ChoosePayment, o.ATMExpireDays = ecpay.PaymentATM, 1
	e.pay(e.submit(o), "ATM")
	e.sim.Advance(3 * 24 * time.Hour)
	if err := e.sim.Pay(e.cred.MerchantID, "BK2A2"); !errors.Is(err, ecpaysim.ErrExpired) {
		t.Fatalf("late payment: %v", err)
	}
	tr, err := e.sim.Client.QueryTrade(context.Background(), e.cred, "BK2A2")
	if err != nil || tr.TradeStatus != ecpay.TradeFailed {
		t.Fatalf("query %+v %v", tr, err)
	}
}

func TestCVSAndBarcodeInfo(t *testing.T) {
	e := newEnv(t, ecpaysim.Options{})
	o := e.order("BK3C1", 600)
	o.CVSExpireMinutes = 4320
	o.ClientRedirectURL = e.shop.srv.URL + "/redirect"
	res := e.pay(e.submit(o), "CVS")
	if !strings.Contains(res, e.shop.srv.URL+"/redirect") {
		t.Fatalf("no ClientRedirectURL post: %s", res)
	}
	n := e.shop.notifications()[0]
	if n.RtnCode != ecpay.RtnStoreIssued || !strings.HasPrefix(n.PaymentNo, "LLL") || !n.ExpireDate.Equal(t0.Add(72*time.Hour)) {
		t.Fatalf("cvs %+v", n)
	}
	if err := e.sim.Pay(e.cred.MerchantID, "BK3C1"); err != nil {
		t.Fatal(err)
	}
	if n := e.shop.notifications()[1]; !n.Paid() || n.PaymentType != "CVS_CVS" {
		t.Fatalf("cvs paid %+v", n)
	}
	o = e.order("BK3B1", 600)
	o.ChoosePayment, o.BarcodeExpireDays = ecpay.PaymentBarcode, 5
	e.pay(e.submit(o), "BARCODE")
	n = e.shop.notifications()[2]
	if n.RtnCode != ecpay.RtnStoreIssued || n.Barcode[0] == "" || n.Barcode[2] == "" || !n.ExpireDate.Equal(t0.AddDate(0, 0, 5)) {
		t.Fatalf("barcode %+v", n)
	}
}

func TestDuplicateTradeNoRefused(t *testing.T) {
	e := newEnv(t, ecpaysim.Options{})
	e.submit(e.order("BK4D1", 1000)) // abandoned on the payer page
	page := e.submit(e.order("BK4D1", 1000))
	if !strings.Contains(page, `id="ecpay-error-code">10300028<`) || !strings.Contains(page, "訂單編號重覆") {
		t.Fatalf("duplicate accepted: %s", page)
	}
	if tr, err := e.sim.Client.QueryTrade(context.Background(), e.cred, "BK4D1"); err != nil || tr.TradeStatus != ecpay.TradeUnpaid {
		t.Fatalf("query %+v %v", tr, err)
	}
	if tr, err := e.sim.Client.QueryTrade(context.Background(), e.cred, "NOSUCH1"); err != nil || tr.Found() {
		t.Fatalf("unknown %+v %v", tr, err)
	}
}

func TestCheckoutRefusals(t *testing.T) {
	e := newEnv(t, ecpaysim.Options{})
	f, err := e.sim.Client.CheckoutForm(e.cred, e.order("BK4E1", 1000))
	if err != nil {
		t.Fatal(err)
	}
	v := f.Values()
	v.Set("TotalAmount", "1")
	if page := e.post(f.Action, v); !strings.Contains(page, ">10200073<") {
		t.Fatalf("tampered form accepted: %s", page)
	}
	o := e.order("BK4E2", 250000) // above every method's limit
	if page := e.submit(o); !strings.Contains(page, `id="ecpay-error-code">10100050<`) {
		t.Fatalf("amount: %s", page)
	}
	o = e.order("BK4E3", 7000) // too much for CVS: not offered
	page := e.submit(o)
	if strings.Contains(page, `id="pay-CVS"`) || !strings.Contains(page, `id="pay-ATM"`) {
		t.Fatalf("limits: %s", page)
	}
	o = e.order("BK4E4", 700)
	o.IgnorePayment = []string{ecpay.PaymentCVS, ecpay.PaymentBarcode}
	if page := e.submit(o); strings.Contains(page, `id="pay-CVS"`) || strings.Contains(page, `id="pay-BARCODE"`) {
		t.Fatalf("IgnorePayment: %s", page)
	}
	other := ecpay.Credentials{MerchantID: "3999999", HashKey: "aaaaaaaaaaaaaaaa", HashIV: "bbbbbbbbbbbbbbbb"}
	f, _ = e.sim.Client.CheckoutForm(other, e.order("BK4E5", 1000))
	if page := e.post(f.Action, f.Values()); !strings.Contains(page, "MerchantID Error") {
		t.Fatalf("unknown merchant: %s", page)
	}
}

func TestNotificationKnobs(t *testing.T) {
	e := newEnv(t, ecpaysim.Options{})
	// Duplicates after 1|OK: the caller must be idempotent.
	e.sim.DuplicateNotifications(2)
	e.pay(e.submit(e.order("BK5K1", 900)), "Credit")
	if ns := e.shop.notifications(); len(ns) != 3 || ns[0].TradeNo != ns[2].TradeNo {
		t.Fatalf("duplicates %d", len(ns))
	}
	e.sim.DuplicateNotifications(0)

	// Forged: refused by the verifier; ECPay's resend then verifies.
	e.sim.ForgeNextNotification()
	e.pay(e.submit(e.order("BK5K2", 900)), "Credit")
	if errs := e.shop.refused(); len(errs) != 1 || !errors.Is(errs[0], ecpay.ErrBadCheckMacValue) {
		t.Fatalf("forged accepted: %v", errs)
	}
	e.sim.RetryNow()
	if ns := e.shop.notifications(); len(ns) != 4 || ns[3].MerchantTradeNo != "BK5K2" {
		t.Fatalf("after forged: %d", len(ns))
	}

	// Wrong amount: signed correctly; only the caller's amount check sees it.
	e.sim.ShiftNextAmount(-800)
	e.pay(e.submit(e.order("BK5K3", 900)), "Credit")
	if n := e.shop.notifications()[4]; n.TradeAmt != 100 {
		t.Fatalf("amount %d", n.TradeAmt)
	}
	if tr, _ := e.sim.Client.QueryTrade(context.Background(), e.cred, "BK5K3"); tr.TradeAmt != 900 {
		t.Fatalf("query amount %d", tr.TradeAmt)
	}

	// Late: held until the clock passes the delay.
	e.sim.DelayNotifications(30 * time.Minute)
	e.pay(e.submit(e.order("BK5K4", 900)), "Credit")
	if n := len(e.shop.notifications()); n != 5 {
		t.Fatalf("late sent early: %d", n)
	}
	e.sim.Advance(30 * time.Minute)
	if n := len(e.shop.notifications()); n != 6 {
		t.Fatalf("late never sent: %d", n)
	}
	e.sim.DelayNotifications(0)

	// Never sent: reconciliation finds the payment.
	e.sim.DropNotifications(true)
	e.pay(e.submit(e.order("BK5K5", 900)), "Credit")
	e.sim.Advance(2 * time.Hour)
	if n := len(e.shop.notifications()); n != 6 {
		t.Fatalf("dropped sent: %d", n)
	}
	if tr, err := e.sim.Client.QueryTrade(context.Background(), e.cred, "BK5K5"); err != nil || !tr.Paid() {
		t.Fatalf("query %+v %v", tr, err)
	}
	e.sim.DropNotifications(false)

	// Declined card: RtnCode != 1, query says failed.
	e.pay(e.submit(e.order("BK5K6", 900)), "CreditDecline")
	if n := e.shop.notifications()[6]; n.Paid() || n.RtnCode == 1 {
		t.Fatalf("decline %+v", n)
	}
	if tr, _ := e.sim.Client.QueryTrade(context.Background(), e.cred, "BK5K6"); tr.TradeStatus != ecpay.TradeFailed {
		t.Fatalf("decline status %s", tr.TradeStatus)
	}

	// Dashboard simulation: SimulatePaid=1.
	e.submit(e.order("BK5K7", 900))
	if err := e.sim.SimulatePay(e.cred.MerchantID, "BK5K7"); err != nil {
		t.Fatal(err)
	}
	if n := e.shop.notifications()[7]; !n.Paid() || !n.SimulatePaid {
		t.Fatalf("simulate %+v", n)
	}
}

func TestQueryRefusesStaleTimestamp(t *testing.T) {
	e := newEnv(t, ecpaysim.Options{})
	c := ecpay.New(ecpay.Config{PaymentURL: e.sim.URL(), Now: func() time.Time { return t0.Add(-5 * time.Minute) }})
	var re *ecpay.RtnError
	if _, err := c.QueryTrade(context.Background(), e.cred, "BK6Q1"); !errors.As(err, &re) {
		t.Fatalf("stale: %v", err)
	}
	wrong := ecpay.Credentials{MerchantID: e.cred.MerchantID, HashKey: "aaaaaaaaaaaaaaaa", HashIV: "bbbbbbbbbbbbbbbb"}
	if _, err := e.sim.Client.QueryTrade(context.Background(), wrong, "BK6Q1"); !errors.As(err, &re) || re.Code != 10200073 {
		t.Fatalf("bad mac: %v", err)
	}
}

func TestRefunds(t *testing.T) {
	e := newEnv(t, ecpaysim.Options{})
	ctx := context.Background()
	e.pay(e.submit(e.order("BK7F1", 1000)), "Credit")
	n := e.shop.notifications()[0]
	var re *ecpay.RtnError
	// Not closed yet (closes at 20:15): refund refused, abandon possible.
	if err := e.sim.Client.Refund(ctx, e.cred, "BK7F1", n.TradeNo, 300); !errors.As(err, &re) {
		t.Fatalf("refund before close: %v", err)
	}
	e.sim.Advance(24 * time.Hour)
	if err := e.sim.Client.Refund(ctx, e.cred, "BK7F1", n.TradeNo, 300); err != nil {
		t.Fatalf("partial: %v", err)
	}
	if err := e.sim.Client.Refund(ctx, e.cred, "BK7F1", n.TradeNo, 701); !errors.As(err, &re) {
		t.Fatalf("over-refund: %v", err)
	}
	if err := e.sim.Client.Refund(ctx, e.cred, "BK7F1", n.TradeNo, 700); err != nil {
		t.Fatalf("rest: %v", err)
	}
	if tr, _ := e.sim.Trade(e.cred.MerchantID, "BK7F1"); tr.Refunded != 1000 || tr.CardState != ecpaysim.CardCancelled {
		t.Fatalf("trade %+v", tr)
	}
	if err := e.sim.Client.DoAction(ctx, e.cred, ecpay.DoActionRequest{MerchantTradeNo: "BK7F1", TradeNo: "1", Action: ecpay.ActionRefund, Amount: 1}); !errors.As(err, &re) {
		t.Fatalf("wrong TradeNo: %v", err)
	}

	// Same day: abandon (N) before the close.
	e.pay(e.submit(e.order("BK7F2", 1000)), "Credit")
	n = e.shop.notifications()[1]
	if err := e.sim.Client.DoAction(ctx, e.cred, ecpay.DoActionRequest{MerchantTradeNo: "BK7F2", TradeNo: n.TradeNo, Action: ecpay.ActionAbandon, Amount: 1000}); err != nil {
		t.Fatalf("abandon: %v", err)
	}
	if tr, _ := e.sim.Trade(e.cred.MerchantID, "BK7F2"); tr.CardState != ecpaysim.CardAbandoned {
		t.Fatalf("abandoned %+v", tr)
	}

	// ATM trades have no refund API.
	o := e.order("BK7F3", 1000)
	o.ChoosePayment = ecpay.PaymentATM
	e.pay(e.submit(o), "ATM")
	_ = e.sim.Pay(e.cred.MerchantID, "BK7F3")
	n = e.shop.notifications()[3]
	e.sim.Advance(24 * time.Hour)
	if err := e.sim.Client.Refund(ctx, e.cred, "BK7F3", n.TradeNo, 1000); !errors.As(err, &re) {
		t.Fatalf("ATM refund: %v", err)
	}
}

var invCred = ecpay.StageInvoiceCredentials

func booking(rel string) ecpay.Invoice {
	return ecpay.Invoice{RelateNumber: rel, CustomerEmail: "client@example.tw", CarrierType: ecpay.CarrierMobile,
		CarrierNum: "/ABC+123", Items: []ecpay.InvoiceItem{{Name: "瑜伽私人課 60分鐘", Count: 1, Word: "堂", Price: 1200}}}
}

func TestInvoiceIssueAndVoid(t *testing.T) {
	e := newEnv(t, ecpaysim.Options{})
	ctx := context.Background()
	inv, err := e.sim.Client.IssueInvoice(ctx, invCred, booking("BK8I1"))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[A-Z]{2}\d{8}$`).MatchString(inv.InvoiceNo) || len(inv.RandomNumber) != 4 || !inv.InvoiceDate.Equal(t0) {
		t.Fatalf("issued %+v", inv)
	}
	var re *ecpay.RtnError
	if _, err := e.sim.Client.IssueInvoice(ctx, invCred, booking("BK8I1")); !errors.As(err, &re) || re.Code != ecpaysim.RtnDuplicateRelate {
		t.Fatalf("duplicate RelateNumber: %v", err)
	}
	donate := booking("BK8I2")
	donate.CarrierType, donate.CarrierNum, donate.LoveCode = ecpay.CarrierNone, "", "168001"
	if _, err := e.sim.Client.IssueInvoice(ctx, invCred, donate); err != nil {
		t.Fatalf("donation: %v", err)
	}
	b2b := booking("BK8I3")
	b2b.CarrierType, b2b.CarrierNum = ecpay.CarrierNone, ""
	b2b.BusinessID, b2b.CustomerName, b2b.CustomerAddr = "53538851", "道悅有限公司", "台北市信義區市府路1號"
	if _, err := e.sim.Client.IssueInvoice(ctx, invCred, b2b); err != nil {
		t.Fatalf("B2B: %v", err)
	}
	if err := e.sim.Client.VoidInvoice(ctx, invCred, inv.InvoiceNo, inv.InvoiceDate, "預約取消"); err != nil {
		t.Fatalf("void: %v", err)
	}
	if err := e.sim.Client.VoidInvoice(ctx, invCred, inv.InvoiceNo, inv.InvoiceDate, "預約取消"); !errors.As(err, &re) || re.Code != ecpaysim.RtnAlreadyVoided {
		t.Fatalf("void twice: %v", err)
	}
	if err := e.sim.Client.VoidInvoice(ctx, invCred, "ZZ99999999", inv.InvoiceDate, "x"); !errors.As(err, &re) {
		t.Fatalf("void unknown: %v", err)
	}
	if got := e.sim.Invoices(); len(got) != 3 || !got[0].Voided || got[1].LoveCode != "168001" {
		t.Fatalf("sim invoices %+v", got)
	}
}

func TestInvoiceErrors(t *testing.T) {
	e := newEnv(t, ecpaysim.Options{LoveCodes: []string{"168001"}, Barcodes: []string{"/ABC+123"}})
	ctx := context.Background()
	// Refused locally before any call.
	for name, mut := range map[string]func(*ecpay.Invoice){
		"barcode":     func(i *ecpay.Invoice) { i.CarrierNum = "/abc1234" },
		"love code":   func(i *ecpay.Invoice) { i.CarrierType, i.CarrierNum, i.LoveCode = "", "", "12" },
		"two choices": func(i *ecpay.Invoice) { i.LoveCode = "168001" },
		"統編":          func(i *ecpay.Invoice) { i.CarrierType, i.CarrierNum, i.BusinessID = "", "", "53538852" },
		"no company":  func(i *ecpay.Invoice) { i.CarrierType, i.CarrierNum, i.BusinessID = "", "", "53538851" },
		"no contact":  func(i *ecpay.Invoice) { i.CustomerEmail = "" },
		"relate":      func(i *ecpay.Invoice) { i.RelateNumber = "BK-1" },
	} {
		inv := booking("BK9E1")
		mut(&inv)
		if _, err := e.sim.Client.IssueInvoice(ctx, invCred, inv); !errors.Is(err, ecpay.ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Envelope refusals are TransErrors.
	var te *ecpay.TransError
	wrongKeys := ecpay.Credentials{MerchantID: invCred.MerchantID, HashKey: "aaaaaaaaaaaaaaaa", HashIV: "bbbbbbbbbbbbbbbb"}
	if _, err := e.sim.Client.IssueInvoice(ctx, wrongKeys, booking("BK9E2")); !errors.As(err, &te) || te.Code != ecpaysim.TransDecrypt {
		t.Fatalf("wrong keys: %v", err)
	}
	unknown := ecpay.Credentials{MerchantID: "2999999", HashKey: invCred.HashKey, HashIV: invCred.HashIV}
	if _, err := e.sim.Client.IssueInvoice(ctx, unknown, booking("BK9E3")); !errors.As(err, &te) || te.Code != ecpaysim.TransUnknownMerchant {
		t.Fatalf("unknown merchant: %v", err)
	}
	stale := ecpay.New(ecpay.Config{InvoiceURL: e.sim.URL(), Now: func() time.Time { return t0.Add(-11 * time.Minute) }})
	if _, err := stale.IssueInvoice(ctx, invCred, booking("BK9E4")); !errors.As(err, &te) || te.Code != ecpaysim.TransTimestamp {
		t.Fatalf("stale: %v", err)
	}
	// Registry checks.
	for code, want := range map[string]bool{"168001": true, "919": false} {
		if ok, err := e.sim.Client.CheckLoveCode(ctx, invCred, code); err != nil || ok != want {
			t.Errorf("love code %s: %v %v", code, ok, err)
		}
	}
	for code, want := range map[string]bool{"/ABC+123": true, "/ZZZZZZZ": false} {
		if ok, err := e.sim.Client.CheckBarcode(ctx, invCred, code); err != nil || ok != want {
			t.Errorf("barcode %s: %v %v", code, ok, err)
		}
	}
}

func TestInvoiceRulesServerSide(t *testing.T) {
	// The simulator enforces §9.4 by itself, for callers that skip Validate.
	e := newEnv(t, ecpaysim.Options{})
	for name, data := range map[string]string{
		"barcode":  `{"MerchantID":"2000132","RelateNumber":"A1","CustomerEmail":"a@b.tw","Print":"0","Donation":"0","CarrierType":"3","CarrierNum":"ABC","TaxType":"1","SalesAmount":100,"InvType":"07","Items":[{"ItemName":"x","ItemCount":1,"ItemWord":"堂","ItemPrice":100,"ItemAmount":100}]}`,
		"sum":      `{"MerchantID":"2000132","RelateNumber":"A2","CustomerEmail":"a@b.tw","Print":"0","Donation":"0","CarrierType":"1","CarrierNum":"","TaxType":"1","SalesAmount":90,"InvType":"07","Items":[{"ItemName":"x","ItemCount":1,"ItemWord":"堂","ItemPrice":100,"ItemAmount":100}]}`,
		"lovecode": `{"MerchantID":"2000132","RelateNumber":"A3","CustomerEmail":"a@b.tw","Print":"0","Donation":"1","LoveCode":"1","CarrierType":"","TaxType":"1","SalesAmount":100,"InvType":"07","Items":[{"ItemName":"x","ItemCount":1,"ItemWord":"堂","ItemPrice":100,"ItemAmount":100}]}`,
	} {
		enc, _ := ecpay.EncryptData(invCred, []byte(data))
		body := `{"MerchantID":"2000132","RqHeader":{"Timestamp":` + strconv.FormatInt(t0.Unix(), 10) + `,"Revision":"3.0.0"},"Data":"` + enc + `"}`
		resp, err := http.Post(e.sim.URL()+"/B2CInvoice/Issue", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var env struct {
			TransCode int
			Data      string
		}
		if err := json.Unmarshal(b, &env); err != nil || env.TransCode != 1 {
			t.Fatalf("%s: %s", name, b)
		}
		plain, err := ecpay.DecryptData(invCred, env.Data)
		var rtn struct{ RtnCode int }
		if err != nil || json.Unmarshal(plain, &rtn) != nil || rtn.RtnCode == 1 || rtn.RtnCode == 0 {
			t.Fatalf("%s: %s %v", name, plain, err)
		}
		if len(e.sim.Invoices()) != 0 {
			t.Fatalf("%s: issued", name)
		}
	}
}
