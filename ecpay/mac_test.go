package ecpay_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue/ecpay"
)

var legacyStage = ecpay.Credentials{MerchantID: "2000132", HashKey: "5294y06JbISpM5x9", HashIV: "v77hoKGq4kWxNNIS"}

func vals(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func customEmpty(v url.Values) url.Values {
	for _, k := range []string{"CustomField1", "CustomField2", "CustomField3", "CustomField4", "StoreID"} {
		v.Set(k, "")
	}
	return v
}

// The official and observed vectors of ecpay-api.md §2.3–2.5.
func TestCheckMacValueVectors(t *testing.T) {
	tests := []struct {
		name   string
		fields url.Values
		cred   ecpay.Credentials
		want   string
	}{
		{"§2.3 request", vals("TradeDesc", "促銷方案", "PaymentType", "aio", "MerchantTradeDate", "2023/03/12 15:30:23",
			"MerchantTradeNo", "ecpay20230312153023", "MerchantID", "3002607", "ReturnURL", "https://www.ecpay.com.tw/receive.php",
			"ItemName", "Apple iphone 15", "TotalAmount", "30000", "ChoosePayment", "ALL", "EncryptType", "1"),
			ecpay.StageCredentials, "6C51C9E6888DE861FD62FB1DD17029FC742634498FD813DC43D4243B5685B840"},
		{"§2.4 notification", vals("MerchantID", "3002607", "MerchantTradeNo", "WPLL4E341E122DB44D62", "PaymentDate", "2019/05/09 00:01:21",
			"PaymentType", "Credit_CreditCard", "PaymentTypeChargeFee", "1", "RtnCode", "1", "RtnMsg", "交易成功", "SimulatePaid", "0",
			"TradeAmt", "500", "TradeDate", "2019/05/09 00:00:18", "TradeNo", "1905090000188278"),
			ecpay.StageCredentials, "6E7F053EF215FC851A050A2FF01D72CBE440EA138DC3E905647985DDF236FD25"},
		{"§2.4 legacy keys", vals("MerchantID", "2000132", "MerchantTradeNo", "WPLL4E341E122DB44D62", "PaymentDate", "2019/05/09 00:01:21",
			"PaymentType", "Credit_CreditCard", "PaymentTypeChargeFee", "1", "RtnCode", "1", "RtnMsg", "交易成功", "SimulatePaid", "0",
			"TradeAmt", "500", "TradeDate", "2019/05/09 00:00:18", "TradeNo", "1905090000188278"),
			legacyStage, "59B085BAEC4269DC1182D48DEF106B431055D95622EB285DECD400337144C698"},
		{"§2.5 card with empty fields", customEmpty(vals("MerchantID", "3002607", "MerchantTradeNo", "D9RMXNrihUYM",
			"PaymentDate", "2024/12/31 12:26:09", "PaymentType", "Credit_CreditCard", "PaymentTypeChargeFee", "10", "RtnCode", "1",
			"RtnMsg", "交易成功", "SimulatePaid", "0", "TradeAmt", "402", "TradeDate", "2024/12/31 12:25:43", "TradeNo", "2412311225437371")),
			ecpay.StageCredentials, "85D927637935683EA756CDEF76498FEB9F5D098A7A1AC4F0CB3B3609A9D4116A"},
		{"§2.5 CVS payment info", customEmpty(vals("Barcode1", "", "Barcode2", "", "Barcode3", "", "ExpireDate", "2017/12/28 00:39:03",
			"MerchantID", "2000132", "MerchantTradeNo", "Test1513787899", "PaymentNo", "LLL17355880822", "PaymentType", "CVS_CVS",
			"RtnCode", "10100073", "RtnMsg", "Get CVS Code Succeeded.", "TradeAmt", "2000", "TradeDate", "2017/12/21 00:39:03",
			"TradeNo", "17122100383415923452")),
			legacyStage, "C25373CE6379BB6116FAE8398F4A8E60B71B289D955F6B8A9D9F53FDCC97F571"},
		{"§2.5 ~ and _ ordering", vals("ItemName", "A~B", "X_Y", "1", "XY", "2"),
			ecpay.StageCredentials, "3903FC6E0065123012F58B800E7713A4C644DAF3696FC4BDE4FBF5CE3D3B768D"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ecpay.CheckMacValue(tc.fields, tc.cred); got != tc.want {
				t.Fatalf("CheckMacValue = %s, want %s", got, tc.want)
			}
			f := url.Values{}
			for k, v := range tc.fields {
				f[k] = v
			}
			f.Set("CheckMacValue", tc.want)
			if !ecpay.VerifyCheckMacValue(f, tc.cred) {
				t.Fatal("verify refused the official value")
			}
			f.Set("CheckMacValue", strings.ToLower(tc.want))
			if !ecpay.VerifyCheckMacValue(f, tc.cred) {
				t.Fatal("verify refused lower-case hex")
			}
			f.Set("CheckMacValue", tc.want[:63]+"0")
			if tc.want[63] != '0' && ecpay.VerifyCheckMacValue(f, tc.cred) {
				t.Fatal("verify accepted a changed value")
			}
		})
	}
}

// §9.7: the MD5 variant.
func TestCheckMacValueMD5Vector(t *testing.T) {
	f := vals("IA_Allow_No", "1909181313013546", "IA_Date", "2019-09-18 13:13:23", "IA_Invoice_No", "UV11100019",
		"IIS_Remain_Allowance_Amt", "0", "RtnCode", "1", "RtnMsg", "")
	if got := ecpay.CheckMacValueMD5(f, ecpay.StageInvoiceCredentials); got != "50A276E71DAE26343013958B405EEEA0" {
		t.Fatalf("MD5 = %s", got)
	}
}

// §9.2: the official AES vector (upper-case hex url-encoding).
func TestEncryptDataVector(t *testing.T) {
	const want = "uvI4yrErM37XNQkXGAgRgJAgHn2t72jahaMZzYhWL1HmvH4WV18VJDP2i9pTbC+tby5nxVExLLFyAkbjbS2Dvg=="
	got, err := ecpay.EncryptData(ecpay.StageInvoiceCredentials, []byte(`{"Name":"Test","ID":"A123456789"}`))
	if err != nil || got != want {
		t.Fatalf("EncryptData = %q, %v", got, err)
	}
	plain, err := ecpay.DecryptData(ecpay.StageInvoiceCredentials, want)
	if err != nil || string(plain) != `{"Name":"Test","ID":"A123456789"}` {
		t.Fatalf("DecryptData = %q, %v", plain, err)
	}
	// §9.2's "lower-case" variant turns out to be the whole url-encoded
	// string lower-cased (CheckMacValue style), not just the hex: it
	// decrypts to lower-cased JSON. Pinned so nobody copies it.
	plain, err = ecpay.DecryptData(ecpay.StageInvoiceCredentials, "IySZc5qE4FlUH0Vo7pbcOcWGxDlxmOx/MebY+sEa/utxBMWYVDE9rv/2SD7EpvQar2jKhFbMXdR4/jOXGfBlAA==")
	if err != nil || string(plain) != `{"name":"test","id":"a123456789"}` {
		t.Fatalf("DecryptData(lower) = %q, %v", plain, err)
	}
	for _, bad := range []string{"", "!!", "AAAA", "uvI4yrErM37XNQkXGAgRgJAgHn2t72jahaMZzYhWL1HmvH4WV18VJDP2i9pTbC+tby5nxVExLLFyAkbjbS2Dvw=="} {
		if _, err := ecpay.DecryptData(ecpay.StageInvoiceCredentials, bad); !errors.Is(err, ecpay.ErrMalformed) {
			t.Errorf("DecryptData(%q) err = %v", bad, err)
		}
	}
}

func TestValidators(t *testing.T) {
	for _, tc := range []struct {
		f    func(string) bool
		in   string
		want bool
	}{
		{ecpay.ValidMobileBarcode, "/ABC+123", true},
		{ecpay.ValidMobileBarcode, "/AB-.XYZ", true},
		{ecpay.ValidMobileBarcode, "/abc1234", false},
		{ecpay.ValidMobileBarcode, "ABC12345", false},
		{ecpay.ValidMobileBarcode, "/ABC123", false},
		{ecpay.ValidMobileBarcode, "/ABC12345", false},
		{ecpay.ValidLoveCode, "168001", true},
		{ecpay.ValidLoveCode, "919", true},
		{ecpay.ValidLoveCode, "X123", true},
		{ecpay.ValidLoveCode, "12", false},
		{ecpay.ValidLoveCode, "12345678", false},
		{ecpay.ValidLoveCode, "12a4", false},
		{ecpay.ValidBusinessID, "53538851", true},  // ECPay's stage 統編 (§1.2)
		{ecpay.ValidBusinessID, "04595257", true},  // sum 40
		{ecpay.ValidBusinessID, "04595252", true},  // sum 35: valid only under the 2023 rule
		{ecpay.ValidBusinessID, "04595254", false}, // sum 37
		{ecpay.ValidBusinessID, "10458574", true},  // 7th digit 7: sum 29, 28 counted as 1 gives 20
		{ecpay.ValidBusinessID, "10458571", false}, // sum 26 / 17
		{ecpay.ValidBusinessID, "5353885", false},
		{ecpay.ValidBusinessID, "5353885a", false},
		{ecpay.ValidCitizenCertificate, "AB12345678901234", true},
		{ecpay.ValidCitizenCertificate, "ab12345678901234", false},
		{ecpay.ValidMerchantTradeNo, "BK7Q2M9X0425A1", true},
		{ecpay.ValidMerchantTradeNo, "123456789012345678901", false},
		{ecpay.ValidMerchantTradeNo, "BK-1", false},
	} {
		if got := tc.f(tc.in); got != tc.want {
			t.Errorf("%q: got %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestCheckoutForm(t *testing.T) {
	c := ecpay.New(ecpay.Config{PaymentURL: ecpay.StagePaymentURL + "/"})
	o := ecpay.Order{MerchantTradeNo: "BK7Q2M9X0425A1", TotalAmount: 1200, ItemName: "瑜伽私人課 60分鐘 x 1",
		TradeDesc: "StudioBooking", ReturnURL: "https://api.example.tw/ecpay/notify",
		ClientBackURL: "https://book.example.tw/b/BK7Q2M9X", PaymentInfoURL: "https://api.example.tw/ecpay/info",
		IgnorePayment: []string{ecpay.PaymentBarcode, ecpay.PaymentWebATM}, ATMExpireDays: 2, CVSExpireMinutes: 4320,
		CustomField: [4]string{"BK7Q2M9X"}, TradeDate: time.Date(2026, 9, 24, 2, 5, 9, 0, time.UTC)}
	f, err := c.CheckoutForm(ecpay.StageCredentials, o)
	if err != nil {
		t.Fatal(err)
	}
	if f.Action != "https://payment-stage.ecpay.com.tw/Cashier/AioCheckOut/V5" {
		t.Errorf("action %s", f.Action)
	}
	v := f.Values()
	for k, want := range map[string]string{"MerchantTradeDate": "2026/09/24 10:05:09", "ChoosePayment": "ALL",
		"IgnorePayment": "BARCODE#WebATM", "ExpireDate": "2", "StoreExpireDate": "4320", "EncryptType": "1",
		"PaymentType": "aio", "TotalAmount": "1200", "CustomField1": "BK7Q2M9X", "MerchantID": "3002607"} {
		if v.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, v.Get(k), want)
		}
	}
	if v.Has("CustomField2") || v.Has("OrderResultURL") {
		t.Error("empty optional fields are sent")
	}
	if last := f.Fields[len(f.Fields)-1]; last.Name != "CheckMacValue" || !ecpay.VerifyCheckMacValue(v, ecpay.StageCredentials) {
		t.Errorf("CheckMacValue last and valid: %+v", last)
	}
	for name, mut := range map[string]func(*ecpay.Order){
		"trade no":    func(o *ecpay.Order) { o.MerchantTradeNo = "BK_1" },
		"long no":     func(o *ecpay.Order) { o.MerchantTradeNo = strings.Repeat("A", 21) },
		"amount":      func(o *ecpay.Order) { o.TotalAmount = 0 },
		"item":        func(o *ecpay.Order) { o.ItemName = "" },
		"return url":  func(o *ecpay.Order) { o.ReturnURL = "/relative" },
		"same url":    func(o *ecpay.Order) { o.OrderResultURL = o.ReturnURL },
		"atm days":    func(o *ecpay.Order) { o.ATMExpireDays = 61 },
		"html":        func(o *ecpay.Order) { o.TradeDesc = "<b>x</b>" },
		"choose":      func(o *ecpay.Order) { o.ChoosePayment = "Cash" },
		"ignore":      func(o *ecpay.Order) { o.IgnorePayment = []string{"ALL"} },
		"custom long": func(o *ecpay.Order) { o.CustomField[3] = strings.Repeat("x", 51) },
	} {
		o2 := o
		mut(&o2)
		if _, err := c.CheckoutForm(ecpay.StageCredentials, o2); !errors.Is(err, ecpay.ErrInvalid) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestVerifyNotification(t *testing.T) {
	f := customEmpty(vals("MerchantID", "3002607", "MerchantTradeNo", "D9RMXNrihUYM",
		"PaymentDate", "2024/12/31 12:26:09", "PaymentType", "Credit_CreditCard", "PaymentTypeChargeFee", "10", "RtnCode", "1",
		"RtnMsg", "交易成功", "SimulatePaid", "0", "TradeAmt", "402", "TradeDate", "2024/12/31 12:25:43", "TradeNo", "2412311225437371",
		"CheckMacValue", "85D927637935683EA756CDEF76498FEB9F5D098A7A1AC4F0CB3B3609A9D4116A"))
	body := f.Encode()
	form, err := url.ParseQuery(body)
	if err != nil {
		t.Fatal(err)
	}
	n, err := ecpay.VerifyNotification(form, ecpay.StageCredentials)
	if err != nil {
		t.Fatal(err)
	}
	if !n.Paid() || n.TradeAmt != 402 || n.ChargeFee != 10 || n.SimulatePaid || n.Method() != "Credit" ||
		n.TradeNo != "2412311225437371" || !n.PaymentDate.Equal(time.Date(2024, 12, 31, 4, 26, 9, 0, time.UTC)) {
		t.Fatalf("parsed %+v", n)
	}
	other := ecpay.Credentials{MerchantID: "3002607", HashKey: "aaaaaaaaaaaaaaaa", HashIV: "bbbbbbbbbbbbbbbb"}
	if _, err := ecpay.VerifyNotification(form, other); !errors.Is(err, ecpay.ErrBadCheckMacValue) {
		t.Errorf("other keys: %v", err)
	}
	wrongMerchant := ecpay.StageCredentials
	wrongMerchant.MerchantID = "3002608"
	if _, err := ecpay.VerifyNotification(form, wrongMerchant); !errors.Is(err, ecpay.ErrWrongMerchant) {
		t.Errorf("merchant: %v", err)
	}
	tampered, _ := url.ParseQuery(body)
	tampered.Set("TradeAmt", "4020")
	if _, err := ecpay.VerifyNotification(tampered, ecpay.StageCredentials); !errors.Is(err, ecpay.ErrBadCheckMacValue) {
		t.Errorf("tampered: %v", err)
	}
	dup, _ := url.ParseQuery(body + "&TradeAmt=1")
	if _, err := ecpay.VerifyNotification(dup, ecpay.StageCredentials); !errors.Is(err, ecpay.ErrMalformed) {
		t.Errorf("repeated field: %v", err)
	}
	// A dropped empty field changes the hash (§10): hash what was received.
	dropped, _ := url.ParseQuery(body)
	dropped.Del("StoreID")
	if _, err := ecpay.VerifyNotification(dropped, ecpay.StageCredentials); !errors.Is(err, ecpay.ErrBadCheckMacValue) {
		t.Errorf("dropped StoreID: %v", err)
	}
}

func TestAnswers(t *testing.T) {
	if ecpay.AnswerOK != "1|OK" {
		t.Fatal(ecpay.AnswerOK)
	}
	if got := ecpay.AnswerError("bad\r\nthing|x"); got != "0|bad  thing x" {
		t.Fatalf("AnswerError = %q", got)
	}
}

func TestCredentialsRedacted(t *testing.T) {
	c := ecpay.StageCredentials
	for _, s := range []string{c.String(), c.GoString()} {
		if strings.Contains(s, c.HashKey) || strings.Contains(s, c.HashIV) {
			t.Fatalf("secret in %q", s)
		}
	}
}

func TestParseKV(t *testing.T) {
	v := ecpay.ParseKV("ItemName=A+B%20C&TradeStatus=1&Empty=&X=a=b")
	if v.Get("ItemName") != "A+B C" || v.Get("TradeStatus") != "1" || !v.Has("Empty") || v.Get("X") != "a=b" {
		t.Fatalf("%v", v)
	}
}

func TestReadNotification(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/notify?MerchantID=evil", strings.NewReader("MerchantID=3002607&RtnCode=1"))
	v, err := ecpay.ReadNotification(r)
	if err != nil || v.Get("MerchantID") != "3002607" || len(v["MerchantID"]) != 1 {
		t.Fatalf("%v %v", v, err)
	}
	if _, err := ecpay.ReadNotification(httptest.NewRequest(http.MethodGet, "/notify", nil)); !errors.Is(err, ecpay.ErrMalformed) {
		t.Fatalf("GET: %v", err)
	}
	big := httptest.NewRequest(http.MethodPost, "/notify", strings.NewReader("a="+strings.Repeat("x", 70<<10)))
	if _, err := ecpay.ReadNotification(big); !errors.Is(err, ecpay.ErrMalformed) {
		t.Fatalf("big: %v", err)
	}
	w := httptest.NewRecorder()
	ecpay.WriteAnswer(w, ecpay.AnswerOK)
	if w.Body.String() != "1|OK" || w.Code != 200 {
		t.Fatalf("answer %q", w.Body.String())
	}
}

func TestFitDeadline(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, ecpay.Taipei())
	var o ecpay.Order
	o.FitDeadline(now, time.Date(2026, 3, 5, 12, 0, 0, 0, ecpay.Taipei()))
	// Days ending 3/3 and 3/4 23:59:59 fit; 3/5's end does not.
	if o.ATMExpireDays != 2 || o.BarcodeExpireDays != 2 || o.CVSExpireMinutes != 3*24*60+120 || len(o.IgnorePayment) != 0 {
		t.Fatalf("%+v", o)
	}
	o = ecpay.Order{}
	o.FitDeadline(now, now.Add(5*time.Hour))
	if o.ATMExpireDays != 0 || o.CVSExpireMinutes != 300 || !slices.Equal(o.IgnorePayment, []string{"ATM", "BARCODE"}) {
		t.Fatalf("%+v", o)
	}
	o = ecpay.Order{}
	o.FitDeadline(now, now.Add(30*time.Second))
	if !slices.Equal(o.IgnorePayment, []string{"ATM", "BARCODE", "CVS"}) {
		t.Fatalf("%+v", o)
	}
}
