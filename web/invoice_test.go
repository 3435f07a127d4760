package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/ecpay/ecpaysim"
	"github.com/daoyue/daoyue/ecpay/ecpaysim/ecpaysimtest"
	"github.com/daoyue/daoyue/internal/testenv"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// Studio A's e-invoice merchant: its own id and keys, apart from its
// payment merchant's.
var invMerchantA = ecpaysim.Merchant{ID: "2100001", HashKey: "InvAkeyInvAkey16", HashIV: "InvAivInvAivIn16"}

// newInvoiceEnv is the ECPay fixture (newECPayEnv) with studio A issuing
// e-invoices through the simulator, entered in its settings.
func newInvoiceEnv(t *testing.T, db *store.DB) *ecpayEnv {
	t.Helper()
	te := testenv.New(t, db, testenv.Options{Start: pgNow})
	sim := ecpaysimtest.NewServer(t, ecpaysim.Options{Now: te.Clock.Now, Merchants: []ecpaysim.Merchant{merchantA, merchantB},
		InvoiceMerchants: []ecpaysim.Merchant{invMerchantA}, RetryDelay: func(int) time.Duration { return 10 * time.Minute }})
	te.App.ECPay = &app.ECPay{Client: sim.Client, PaymentURL: sim.URL()}
	te.App.Mail.BaseURL = te.Front.URL
	te.Serve(New(Config{App: te.App, Store: db, Log: te.Log, BaseURL: te.Front.URL}))
	e := &ecpayEnv{pageEnv: pageEnvOn(t, te), te: te, sim: sim}
	owner := e.browser(t)
	owner.login("owner@a.example")
	owner.post("/admin/studio-a/settings/ecpay", url.Values{"ecpay_merchant_id": {merchantA.ID}, "ecpay_hash_key": {merchantA.HashKey},
		"ecpay_hash_iv": {merchantA.HashIV}, "ecpay_enabled": {"on"}}).wantText(".flash-ok", msg("zh-TW", "flash.ecpay_saved"))
	owner.post("/admin/studio-a/settings/invoice", url.Values{"invoice_merchant_id": {invMerchantA.ID}, "invoice_hash_key": {invMerchantA.HashKey},
		"invoice_hash_iv": {invMerchantA.HashIV}, "invoice_enabled": {"on"}}).wantText(".flash-ok", msg("zh-TW", "flash.invoice_saved"))
	return e
}

func eachInvoiceStore(t *testing.T, fn func(t *testing.T, e *ecpayEnv)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) { fn(t, newInvoiceEnv(t, db)) })
}

// bookForm books studio A's pay-first service at start through the public
// form with the invoice fields given, and returns the manage token.
func (e *ecpayEnv) bookForm(t *testing.T, client *browser, start time.Time, name string, invoice url.Values) (*page, string) {
	t.Helper()
	st := start.In(e.A.Workspace.Location()).Format(time.RFC3339)
	form := client.get("/w/studio-a?service=" + e.A.PayFirst.ID + "&start=" + url.QueryEscape(st)).wantStatus(http.StatusOK)
	form.wantCount("#invoice-choice input[name=invoice_type]", 4)
	v := url.Values{"name": {name}, "email": {"client-" + strings.ToLower(start.Format("150405")) + "@client.example"}}
	for k, x := range invoice {
		v[k] = x
	}
	p := client.submit(form, "form.book-form", v)
	if p.Status != http.StatusOK || !strings.HasPrefix(p.URL, "/b/") {
		return p, ""
	}
	return p, strings.TrimPrefix(p.URL, "/b/")
}

func (e *ecpayEnv) invoice(id string) *daoyue.Invoice {
	e.t.Helper()
	var inv *daoyue.Invoice
	ctx := context.Background()
	if err := e.db.View(ctx, func(tx daoyue.Tx) error {
		var err error
		inv, err = tx.Invoice(ctx, e.A.Workspace.ID, id)
		return err
	}); err != nil {
		e.t.Fatalf("invoice of %s: %v", id, err)
	}
	return inv
}

func (e *ecpayEnv) bookingByToken(token string) *daoyue.Booking {
	e.t.Helper()
	var b *daoyue.Booking
	ctx := context.Background()
	if err := e.db.View(ctx, func(tx daoyue.Tx) error {
		var err error
		b, err = tx.BookingByManageToken(ctx, daoyue.HashToken(token))
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	return b
}

func (e *ecpayEnv) issueDue(t *testing.T, want int) {
	t.Helper()
	n, err := e.app.IssueDueInvoices(context.Background(), 10)
	if err != nil || n != want {
		t.Fatalf("IssueDueInvoices: %d, %v; want %d", n, err, want)
	}
}

// A card payment issues the client's mobile-barcode invoice, once; the
// studio and the client see its number.
func TestInvoiceOnCardPayment(t *testing.T) {
	t.Parallel()
	eachInvoiceStore(t, func(t *testing.T, e *ecpayEnv) {
		client := e.browser(t)
		_, token := e.bookForm(t, client, slotA, "王小明", url.Values{"invoice_type": {"mobile"}, "invoice_carrier": {"/abc+123"}})
		if token == "" {
			t.Fatal("booking with a mobile barcode refused")
		}
		b := e.bookingByToken(token)
		if inv := e.invoice(b.ID); inv.State != daoyue.InvoiceRequested || inv.Choice.Kind != daoyue.InvoiceMobile || inv.Choice.Carrier != "/ABC+123" {
			t.Fatalf("invoice at booking: %+v", inv)
		}
		client.get("/b/"+token).wantText("#invoice", msg("zh-TW", "invoice.client.requested"))
		e.issueDue(t, 0) // nothing before payment
		_, payer := e.checkout(t, client, token)
		e.choose(t, payer, "#pay-credit")
		if inv := e.invoice(b.ID); inv.State != daoyue.InvoicePending {
			t.Fatalf("invoice after payment: %s", inv.State)
		}
		e.issueDue(t, 1)
		e.issueDue(t, 0)
		invs := e.sim.Invoices()
		if len(invs) != 1 || invs[0].CarrierType != "3" || invs[0].CarrierNum != "/ABC+123" || invs[0].SalesAmount != 1500 || invs[0].MerchantID != invMerchantA.ID {
			t.Fatalf("ECPay's invoices: %+v", invs)
		}
		inv := e.invoice(b.ID)
		if inv.State != daoyue.InvoiceIssued || inv.Number != invs[0].InvoiceNo || inv.IssuedAt == nil || inv.RelateNumber != invs[0].RelateNumber {
			t.Fatalf("stored invoice: %+v", inv)
		}
		studio := e.browser(t)
		studio.login("owner@a.example")
		detail := studio.get("/admin/studio-a/bookings/" + b.ID)
		detail.wantText("#invoice-number", inv.Number)
		detail.wantText("#invoice-state", msg("zh-TW", "invoice.state.issued"))
		detail.wantText(".history", msg("zh-TW", "audit.invoice.issued"))
		client.get("/b/"+token).wantText("#invoice-number", inv.Number)
		// The settings page never shows the invoice keys.
		set := studio.get("/admin/studio-a/settings")
		if strings.Contains(set.HTML, invMerchantA.HashKey) || strings.Contains(set.HTML, invMerchantA.HashIV) {
			t.Fatal("the settings page echoes an e-invoice key")
		}
		set.wantText("#invoice-keys", msg("zh-TW", "msg.key_set"))
	})
}

// A donation (love code) and a company's 統一編號 reach ECPay as such; the
// default is ECPay's member carrier.
func TestInvoiceDonationCompanyDefault(t *testing.T) {
	t.Parallel()
	eachInvoiceStore(t, func(t *testing.T, e *ecpayEnv) {
		client := e.browser(t)
		_, donate := e.bookForm(t, client, slotA, "甲", url.Values{"invoice_type": {"donation"}, "invoice_love_code": {"168001"}})
		_, company := e.bookForm(t, client, slotA.Add(2*time.Hour), "乙", url.Values{"invoice_type": {"company"},
			"invoice_business_id": {"04595257"}, "invoice_company_name": {"道悅股份有限公司"}, "invoice_company_addr": {"台北市信義區"}})
		_, plain := e.bookForm(t, client, slotA.Add(4*time.Hour), "丙", nil)
		for _, tok := range []string{donate, company, plain} {
			if tok == "" {
				t.Fatal("a valid invoice choice was refused")
			}
			_, payer := e.checkout(t, client, tok)
			e.choose(t, payer, "#pay-credit")
		}
		e.issueDue(t, 3)
		byRelate := map[string]ecpaysim.Invoice{}
		for _, inv := range e.sim.Invoices() {
			byRelate[inv.RelateNumber] = inv
		}
		d := byRelate[e.invoice(e.bookingByToken(donate).ID).RelateNumber]
		if d.LoveCode != "168001" || d.CarrierType != "" {
			t.Errorf("donation: %+v", d)
		}
		c := byRelate[e.invoice(e.bookingByToken(company).ID).RelateNumber]
		if c.CustomerIdentifier != "04595257" || c.Data["CustomerName"] != "道悅股份有限公司" || c.Data["Print"] != "1" {
			t.Errorf("company: %+v", c)
		}
		p := byRelate[e.invoice(e.bookingByToken(plain).ID).RelateNumber]
		if p.CarrierType != "1" || p.Email == "" {
			t.Errorf("default: %+v", p)
		}
	})
}

// Invalid choices are refused at booking with the field named, in both
// languages, and nothing is saved; the JSON API refuses them too.
func TestInvoiceInvalidChoiceRefused(t *testing.T) {
	t.Parallel()
	e := newInvoiceEnv(t, storetest.NewSQLite(t))
	client := e.browser(t)
	p, token := e.bookForm(t, client, slotA, "王小明", url.Values{"invoice_type": {"mobile"}, "invoice_carrier": {"ABC1234"}})
	if token != "" || p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("an invalid barcode booked: %d %s", p.Status, p.URL)
	}
	p.wantText("#e-invoice-carrier", msg("zh-TW", "error.invoice_carrier"))
	client.lang = "en"
	p, _ = e.bookForm(t, client, slotA, "Ming", url.Values{"invoice_type": {"company"}, "invoice_business_id": {"12345678"},
		"invoice_company_name": {"X"}, "invoice_company_addr": {"Y"}})
	p.wantText("#e-invoice-business-id", msg("en", "error.invoice_business_id"))
	p, _ = e.bookForm(t, client, slotA, "Ming", url.Values{"invoice_type": {"donation"}, "invoice_love_code": {"12"}})
	p.wantText("#e-invoice-love-code", msg("en", "error.invoice_love_code"))

	body, _ := json.Marshal(map[string]any{"service_id": e.A.PayFirst.ID, "start": slotA.Format(time.RFC3339),
		"client":  map[string]any{"name": "王小明", "email": "ming@client.example"},
		"invoice": map[string]any{"type": "mobile", "carrier": "/abc"}})
	resp, err := http.Post(e.ts.URL+"/api/v1/public/workspaces/studio-a/bookings", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(b), "invoice_carrier") {
		t.Fatalf("API with a bad barcode: %d %s", resp.StatusCode, b)
	}
	var n int
	if err := e.db.SQL().QueryRow(`SELECT count(*) FROM bookings WHERE workspace_id = $1 AND service_id = $2`, e.A.Workspace.ID, e.A.PayFirst.ID).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d bookings saved (%v)", n, err)
	}
	var m int
	if err := e.db.SQL().QueryRow(`SELECT count(*) FROM invoices`).Scan(&m); err != nil || m != 0 {
		t.Fatalf("%d invoices saved (%v)", m, err)
	}
	// A valid choice through the API is kept.
	body, _ = json.Marshal(map[string]any{"service_id": e.A.PayFirst.ID, "start": slotA.Format(time.RFC3339),
		"client":  map[string]any{"name": "王小明", "email": "ming@client.example"},
		"invoice": map[string]any{"type": "donation", "love_code": "8585"}})
	resp2, err := http.Post(e.ts.URL+"/api/v1/public/workspaces/studio-a/bookings", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp2.Body.Close()
	var booked struct{ ID string }
	_ = json.NewDecoder(resp2.Body).Decode(&booked)
	if resp2.StatusCode != http.StatusCreated {
		t.Fatalf("API booking with a love code: %d", resp2.StatusCode)
	}
	if inv := e.invoice(booked.ID); inv.Choice.Kind != daoyue.InvoiceDonate || inv.Choice.LoveCode != "8585" {
		t.Errorf("API invoice choice: %+v", inv.Choice)
	}
}

// ECPay refuses the invoice (wrong keys): it is retried with backoff, the
// studio sees the fix, corrects the keys, retries, and it is issued once.
func TestInvoiceFailureThenRetry(t *testing.T) {
	t.Parallel()
	eachInvoiceStore(t, func(t *testing.T, e *ecpayEnv) {
		studio := e.browser(t)
		studio.login("owner@a.example")
		studio.post("/admin/studio-a/settings/invoice", url.Values{"invoice_merchant_id": {invMerchantA.ID},
			"invoice_hash_iv": {"WRONGivWRONGiv16"}, "invoice_enabled": {"on"}}).wantText(".flash-ok", msg("zh-TW", "flash.invoice_saved"))
		client := e.browser(t)
		_, token := e.bookForm(t, client, slotA, "王小明", nil)
		_, payer := e.checkout(t, client, token)
		e.choose(t, payer, "#pay-credit")
		id := e.bookingByToken(token).ID
		e.issueDue(t, 0)
		inv := e.invoice(id)
		if inv.State != daoyue.InvoicePending || inv.Attempts != 1 || inv.ErrorKind != "keys" || inv.NextAttemptAt == nil || !inv.NextAttemptAt.After(e.te.Clock.Now()) {
			t.Fatalf("after a refused envelope: %+v", inv)
		}
		e.issueDue(t, 0) // backing off: not due yet
		if e.invoice(id).Attempts != 1 {
			t.Fatal("retried before its backoff")
		}
		e.te.Clock.Advance(2 * time.Minute)
		e.issueDue(t, 0)
		if e.invoice(id).Attempts != 2 {
			t.Fatal("not retried after its backoff")
		}
		detail := studio.get("/admin/studio-a/bookings/" + id)
		detail.wantText("#invoice-error", msg("zh-TW", "invoice.fix.keys"))
		if len(e.sim.Invoices()) != 0 {
			t.Fatal("issued with wrong keys?")
		}
		// Never a key in the logs.
		if strings.Contains(e.te.Logs.String(), invMerchantA.HashKey) {
			t.Fatal("the e-invoice key is in the logs")
		}
		studio.post("/admin/studio-a/settings/invoice", url.Values{"invoice_merchant_id": {invMerchantA.ID},
			"invoice_hash_iv": {invMerchantA.HashIV}, "invoice_enabled": {"on"}})
		studio.submit(studio.get("/admin/studio-a/bookings/"+id), "#invoice-error form:first-of-type", nil).
			wantText(".flash-ok", msg("zh-TW", "flash.invoice_retried"))
		e.issueDue(t, 1)
		if inv := e.invoice(id); inv.State != daoyue.InvoiceIssued || inv.ErrorKind != "" || len(e.sim.Invoices()) != 1 {
			t.Fatalf("after the fix: %+v", inv)
		}
	})
}

// A full refund voids the issued invoice at ECPay; a partial one leaves it
// (the allowance is done in ECPay's dashboard) and says so.
func TestInvoiceVoidOnFullRefund(t *testing.T) {
	t.Parallel()
	eachInvoiceStore(t, func(t *testing.T, e *ecpayEnv) {
		client := e.browser(t)
		_, token := e.bookForm(t, client, slotA, "錢", nil)
		_, payer := e.checkout(t, client, token)
		e.choose(t, payer, "#pay-credit")
		e.issueDue(t, 1)
		id := e.bookingByToken(token).ID
		e.te.Clock.Advance(20 * time.Hour) // past the card close: refundable
		studio := e.browser(t)
		studio.login("owner@a.example")
		base := "/admin/studio-a/bookings/" + id
		studio.post(base+"/refund/ecpay", url.Values{"amount": {"500"}}).wantText(".flash-ok", msg("zh-TW", "flash.ecpay_refunded"))
		if inv := e.invoice(id); inv.State != daoyue.InvoiceIssued {
			t.Fatalf("a partial refund changed the invoice: %s", inv.State)
		}
		studio.get(base).wantText("#invoice-allowance", msg("zh-TW", "msg.invoice_partial_refund"))
		studio.post(base+"/refund/ecpay", url.Values{"amount": {"1000"}}).wantText(".flash-ok", msg("zh-TW", "flash.ecpay_refunded"))
		if inv := e.invoice(id); inv.State != daoyue.InvoiceVoidPending {
			t.Fatalf("after the full refund: %s", inv.State)
		}
		e.issueDue(t, 1)
		invs := e.sim.Invoices()
		if len(invs) != 1 || !invs[0].Voided {
			t.Fatalf("ECPay's invoice not voided: %+v", invs)
		}
		if inv := e.invoice(id); inv.State != daoyue.InvoiceVoided {
			t.Fatalf("stored: %s", inv.State)
		}
		studio.get(base).wantText("#invoice-state", msg("zh-TW", "invoice.state.voided"))
		client.get("/b/"+token).wantText("#invoice", msg("zh-TW", "invoice.client.voided"))
	})
}

// Erasing a client's data forgets their invoice details; the invoice's
// number stays.
func TestInvoiceChoiceErased(t *testing.T) {
	t.Parallel()
	e := newInvoiceEnv(t, storetest.NewSQLite(t))
	client := e.browser(t)
	_, token := e.bookForm(t, client, slotA, "公司客人", url.Values{"invoice_type": {"company"},
		"invoice_business_id": {"04595257"}, "invoice_company_name": {"道悅股份有限公司"}, "invoice_company_addr": {"台北市信義區"}})
	_, payer := e.checkout(t, client, token)
	e.choose(t, payer, "#pay-credit")
	e.issueDue(t, 1)
	b := e.bookingByToken(token)
	if _, err := e.app.EraseClient(ctxAs(t, e.pageEnv, "owner@a.example"), "studio-a", b.Client.Email); err != nil {
		t.Fatal(err)
	}
	inv := e.invoice(b.ID)
	if inv.Choice != (daoyue.InvoiceChoice{Kind: daoyue.InvoiceCompany}) || inv.Number == "" || inv.State != daoyue.InvoiceIssued {
		t.Fatalf("after erasure: %+v", inv)
	}
}
