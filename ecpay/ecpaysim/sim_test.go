package ecpaysim_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daoyue/daoyue/ecpay"
	"github.com/daoyue/daoyue/ecpay/ecpaysim"
)

var t0 = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)

// A developer server mounting the simulator under /ecpaysim: the payer
// page, the index and its buttons all stay under the prefix.
func TestMountedUnderPrefix(t *testing.T) {
	var mu sync.Mutex
	var got []url.Values
	mux := http.NewServeMux()
	mux.HandleFunc("POST /hook", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		got = append(got, r.PostForm)
		mu.Unlock()
		io.WriteString(w, "1|OK")
	})
	s := ecpaysim.New(ecpaysim.Options{Now: func() time.Time { return t0 }})
	s.Mount(mux, "/ecpaysim")
	srv := httptest.NewServer(mux)
	defer srv.Close()
	s.SetBaseURL(srv.URL + "/ecpaysim")

	c := ecpay.New(ecpay.Config{PaymentURL: s.URL(), Now: s.Now})
	f, err := c.CheckoutForm(ecpay.StageCredentials, ecpay.Order{MerchantTradeNo: "DEV1", TotalAmount: 1500,
		ItemName: "課程", TradeDesc: "dev", ReturnURL: srv.URL + "/hook", PaymentInfoURL: srv.URL + "/hook",
		ChoosePayment: ecpay.PaymentATM})
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page := postForm(t, hc, f.Action, f.Values(), http.StatusOK)
	if !strings.Contains(page, `action="/ecpaysim/Cashier/sim/choose"`) || !strings.Contains(page, `id="pay-ATM"`) {
		t.Fatalf("payer page: %s", page)
	}
	tradeNo := regexp.MustCompile(`id="trade-no">(\d+)<`).FindStringSubmatch(page)[1]
	postForm(t, hc, srv.URL+"/ecpaysim/Cashier/sim/choose", url.Values{"TradeNo": {tradeNo}, "method": {"ATM"}}, http.StatusOK)

	resp, err := http.Get(srv.URL + "/ecpaysim/")
	if err != nil {
		t.Fatal(err)
	}
	index, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(index, []byte(`id="sim-pay-`+tradeNo+`"`)) || !bytes.Contains(index, []byte(`action="/ecpaysim/sim/pay"`)) {
		t.Fatalf("index: %s", index)
	}
	postForm(t, hc, srv.URL+"/ecpaysim/sim/advance", url.Values{"hours": {"24"}}, http.StatusSeeOther)
	postForm(t, hc, srv.URL+"/ecpaysim/sim/pay", url.Values{"TradeNo": {tradeNo}}, http.StatusSeeOther)
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || got[0].Get("RtnCode") != "2" || got[1].Get("RtnCode") != "1" || got[1].Get("PaymentDate") != "2026/03/03 10:00:00" {
		t.Fatalf("notifications %v", got)
	}
	if tr, _ := s.Trade("3002607", "DEV1"); tr.State != ecpaysim.StatePaid {
		t.Fatalf("trade %+v", tr)
	}
}

func postForm(t *testing.T, hc *http.Client, u string, v url.Values, status int) string {
	t.Helper()
	resp, err := hc.PostForm(u, v)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("POST %s: %d %s", u, resp.StatusCode, b)
	}
	return string(b)
}

// Configured merchants are accepted alongside the stage merchant, and the
// stage ones can be turned off.
func TestMerchants(t *testing.T) {
	own := ecpaysim.Merchant{ID: "3100001", HashKey: "0123456789abcdef", HashIV: "fedcba9876543210"}
	s := ecpaysim.New(ecpaysim.Options{Merchants: []ecpaysim.Merchant{own}, NoStageMerchants: true, Now: func() time.Time { return t0 }})
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	s.SetBaseURL(srv.URL)
	c := ecpay.New(ecpay.Config{PaymentURL: srv.URL, Now: s.Now})
	o := ecpay.Order{MerchantTradeNo: "M1", TotalAmount: 100, ItemName: "x", TradeDesc: "x", ReturnURL: "https://shop.test/n"}
	for cred, want := range map[ecpay.Credentials]string{
		{MerchantID: own.ID, HashKey: own.HashKey, HashIV: own.HashIV}: `id="pay-credit"`,
		ecpay.StageCredentials: "MerchantID Error",
	} {
		f, _ := c.CheckoutForm(cred, o)
		if page := postForm(t, srv.Client(), f.Action, f.Values(), http.StatusOK); !strings.Contains(page, want) {
			t.Errorf("%s: %s", cred, page)
		}
	}
}

func TestMainServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- ecpaysim.Main(ctx, "127.0.0.1:0", ecpaysim.Options{}, &syncWriter{w: &out}) }()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// The notifications have ECPay's shape (§4.1, §4.2, §5): a form POST with
// Accept: text/html, every documented field present (empty ones too), and a
// CheckMacValue over exactly the fields sent.
func TestNotificationShape(t *testing.T) {
	type hit struct {
		ct, accept string
		form       url.Values
	}
	var mu sync.Mutex
	var hits []hit
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		hits = append(hits, hit{r.Header.Get("Content-Type"), r.Header.Get("Accept"), r.PostForm})
		mu.Unlock()
		io.WriteString(w, "1|OK")
	}))
	defer shop.Close()
	s := ecpaysim.New(ecpaysim.Options{Now: func() time.Time { return t0 }})
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	s.SetBaseURL(srv.URL)
	c := ecpay.New(ecpay.Config{PaymentURL: srv.URL, Now: s.Now})
	for i, method := range []string{"Credit", "ATM", "CVS", "BARCODE"} {
		no := "SHAPE" + method
		f, _ := c.CheckoutForm(ecpay.StageCredentials, ecpay.Order{MerchantTradeNo: no, TotalAmount: 500, ItemName: "x",
			TradeDesc: "x", ReturnURL: shop.URL + "/r", PaymentInfoURL: shop.URL + "/i"})
		page := postForm(t, srv.Client(), f.Action, f.Values(), http.StatusOK)
		tradeNo := regexp.MustCompile(`id="trade-no">(\d+)<`).FindStringSubmatch(page)[1]
		if len(tradeNo) != 16 {
			t.Errorf("TradeNo %q", tradeNo)
		}
		postForm(t, srv.Client(), srv.URL+"/Cashier/sim/choose", url.Values{"TradeNo": {tradeNo}, "method": {method}}, http.StatusOK)
		if i > 0 {
			if err := s.Pay("3002607", no); err != nil {
				t.Fatal(err)
			}
		}
	}
	common := []string{"MerchantID", "MerchantTradeNo", "StoreID", "RtnCode", "RtnMsg", "TradeNo", "TradeAmt",
		"PaymentType", "TradeDate", "CustomField1", "CustomField2", "CustomField3", "CustomField4", "CheckMacValue"}
	result := append([]string{"PaymentDate", "PaymentTypeChargeFee", "SimulatePaid"}, common...)
	want := map[string][]string{
		"1":        result,
		"2":        append([]string{"BankCode", "vAccount", "ExpireDate"}, common...),
		"10100073": append([]string{"PaymentNo", "Barcode1", "Barcode2", "Barcode3", "ExpireDate"}, common...),
	}
	mu.Lock()
	defer mu.Unlock()
	if len(hits) != 7 { // card result; ATM, CVS, BARCODE info + result each
		t.Fatalf("%d notifications", len(hits))
	}
	for _, h := range hits {
		if h.ct != "application/x-www-form-urlencoded" || h.accept != "text/html" {
			t.Errorf("headers %q %q", h.ct, h.accept)
		}
		code := h.form.Get("RtnCode")
		for _, k := range want[code] {
			if _, ok := h.form[k]; !ok && !(code == "10100073" && k == "PaymentNo" && h.form.Get("PaymentType") == "BARCODE_BARCODE") {
				t.Errorf("RtnCode %s %s: no %s", code, h.form.Get("PaymentType"), k)
			}
		}
		if ecpay.CheckMacValue(h.form, ecpay.StageCredentials) != h.form.Get("CheckMacValue") {
			t.Errorf("mac of %v", h.form)
		}
	}
}
