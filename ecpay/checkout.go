package ecpay

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Payment methods for ChoosePayment and IgnorePayment (§3.3).
const (
	PaymentAll     = "ALL"
	PaymentCredit  = "Credit"
	PaymentWebATM  = "WebATM"
	PaymentATM     = "ATM"
	PaymentCVS     = "CVS"
	PaymentBarcode = "BARCODE"
	PaymentApple   = "ApplePay"
	PaymentTWQR    = "TWQR"
	PaymentBNPL    = "BNPL"
	PaymentWeiXin  = "WeiXin"
)

// Order is one checkout attempt. A MerchantTradeNo is burnt as soon as the
// browser submits it, paid or not (§3.4): make a fresh one per attempt and
// keep the mapping to the booking.
type Order struct {
	// MerchantTradeNo: 1–20 letters and digits, unique forever.
	MerchantTradeNo string
	// TotalAmount in NT$ (a positive integer).
	TotalAmount int64
	// ItemName: items separated by '#'; ECPay cuts it at 400 characters.
	ItemName string
	// TradeDesc: ≤ 200 characters, no special characters.
	TradeDesc string
	// ReturnURL receives the authoritative server-to-server payment result.
	ReturnURL string
	// OrderResultURL receives the browser POST of the result (card only);
	// when set, ClientBackURL is ignored by ECPay.
	OrderResultURL string
	// ClientBackURL is the "back to shop" link on ECPay's result page.
	ClientBackURL string
	// PaymentInfoURL receives the ATM account / CVS code (server-to-server);
	// ClientRedirectURL receives the same by browser POST.
	PaymentInfoURL    string
	ClientRedirectURL string
	// ChoosePayment defaults to PaymentAll. IgnorePayment hides methods
	// from ALL (e.g. methods whose deadline cannot precede the session).
	ChoosePayment string
	IgnorePayment []string
	// ATMExpireDays is the ATM deadline in days (1–60; 0 = ECPay's default 3).
	ATMExpireDays int
	// CVSExpireMinutes is the convenience-store code lifetime in minutes
	// (StoreExpireDate for CVS; 0 = ECPay's default).
	CVSExpireMinutes int
	// BarcodeExpireDays is StoreExpireDate for BARCODE, in days. ECPay uses
	// one field for CVS and BARCODE with different units (§3.3); it is sent
	// only when ChoosePayment is BARCODE, as CVSExpireMinutes is otherwise.
	BarcodeExpireDays int
	// StoreID is an optional branch code echoed back.
	StoreID string
	// CustomField echoes back in notifications (≤ 50 characters each).
	CustomField [4]string
	// NeedExtraPaidInfo asks for the §4.4 extra fields.
	NeedExtraPaidInfo bool
	// Language: "" (Chinese), "ENG", "KOR", "JPN", "CHI".
	Language string
	// TradeDate is MerchantTradeDate; zero = now.
	TradeDate time.Time
}

// Field is one form field, in the order to render it.
type Field struct{ Name, Value string }

// CheckoutForm is what the web layer renders as an auto-submitting HTML
// form: <form method="post" action=Action> with one hidden input per field
// (HTML-escaped by html/template), then submit() on load with a button for
// browsers without JavaScript.
type CheckoutForm struct {
	Action string
	Fields []Field
}

// Values returns the fields as url.Values.
func (f *CheckoutForm) Values() url.Values {
	v := url.Values{}
	for _, x := range f.Fields {
		v.Set(x.Name, x.Value)
	}
	return v
}

var (
	tradeNoRE     = regexp.MustCompile(`^[0-9A-Za-z]{1,20}$`)
	storeIDRE     = regexp.MustCompile(`^[0-9A-Za-z]{0,20}$`)
	knownPayments = map[string]bool{PaymentAll: true, PaymentCredit: true, PaymentWebATM: true, PaymentATM: true,
		PaymentCVS: true, PaymentBarcode: true, PaymentApple: true, PaymentTWQR: true, PaymentBNPL: true, PaymentWeiXin: true}
)

// ValidMerchantTradeNo reports whether s is 1–20 ASCII letters and digits (§3.2).
func ValidMerchantTradeNo(s string) bool { return tradeNoRE.MatchString(s) }

// CheckoutForm builds the signed AioCheckOut/V5 form for o (§3).
func (c *Client) CheckoutForm(cred Credentials, o Order) (*CheckoutForm, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	if cred.MerchantID == "" || cred.HashKey == "" || cred.HashIV == "" {
		return nil, fmt.Errorf("%w: incomplete credentials", ErrInvalid)
	}
	choose := o.ChoosePayment
	if choose == "" {
		choose = PaymentAll
	}
	td := o.TradeDate
	if td.IsZero() {
		td = c.now()
	}
	f := []Field{
		{"MerchantID", cred.MerchantID},
		{"MerchantTradeNo", o.MerchantTradeNo},
		{"MerchantTradeDate", td.In(taipei).Format(tradeDateLayout)},
		{"PaymentType", "aio"},
		{"TotalAmount", strconv.FormatInt(o.TotalAmount, 10)},
		{"TradeDesc", o.TradeDesc},
		{"ItemName", o.ItemName},
		{"ReturnURL", o.ReturnURL},
		{"ChoosePayment", choose},
		{"EncryptType", "1"},
	}
	add := func(name, v string) {
		if v != "" {
			f = append(f, Field{name, v})
		}
	}
	add("StoreID", o.StoreID)
	add("OrderResultURL", o.OrderResultURL)
	add("ClientBackURL", o.ClientBackURL)
	add("PaymentInfoURL", o.PaymentInfoURL)
	add("ClientRedirectURL", o.ClientRedirectURL)
	add("IgnorePayment", strings.Join(o.IgnorePayment, "#"))
	if o.ATMExpireDays > 0 {
		add("ExpireDate", strconv.Itoa(o.ATMExpireDays))
	}
	if choose == PaymentBarcode {
		if o.BarcodeExpireDays > 0 {
			add("StoreExpireDate", strconv.Itoa(o.BarcodeExpireDays))
		}
	} else if o.CVSExpireMinutes > 0 {
		add("StoreExpireDate", strconv.Itoa(o.CVSExpireMinutes))
	}
	if o.NeedExtraPaidInfo {
		add("NeedExtraPaidInfo", "Y")
	}
	add("Language", o.Language)
	for i, v := range o.CustomField {
		add("CustomField"+strconv.Itoa(i+1), v)
	}
	v := url.Values{}
	for _, x := range f {
		v.Set(x.Name, x.Value)
	}
	f = append(f, Field{"CheckMacValue", CheckMacValue(v, cred)})
	return &CheckoutForm{Action: c.cfg.PaymentURL + "/Cashier/AioCheckOut/V5", Fields: f}, nil
}

func (o Order) validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, a...)...)
	}
	switch {
	case !ValidMerchantTradeNo(o.MerchantTradeNo):
		return bad("MerchantTradeNo must be 1-20 letters and digits")
	case o.TotalAmount <= 0 || o.TotalAmount > 1<<31-1:
		return bad("TotalAmount must be a positive number of NT$")
	case strings.TrimSpace(o.ItemName) == "" || utf8.RuneCountInString(o.ItemName) > 400:
		return bad("ItemName must be 1-400 characters")
	case strings.TrimSpace(o.TradeDesc) == "" || utf8.RuneCountInString(o.TradeDesc) > 200:
		return bad("TradeDesc must be 1-200 characters")
	case o.ReturnURL == "":
		return bad("ReturnURL is required")
	case o.OrderResultURL != "" && o.OrderResultURL == o.ReturnURL:
		return bad("OrderResultURL must differ from ReturnURL") // §3.2
	case o.ATMExpireDays < 0 || o.ATMExpireDays > 60:
		return bad("ATMExpireDays must be 1-60")
	case o.CVSExpireMinutes < 0 || o.BarcodeExpireDays < 0:
		return bad("store deadlines cannot be negative")
	case !storeIDRE.MatchString(o.StoreID):
		return bad("StoreID must be letters and digits")
	case o.ChoosePayment != "" && !knownPayments[o.ChoosePayment]:
		return bad("unknown ChoosePayment")
	}
	for _, u := range []string{o.ReturnURL, o.OrderResultURL, o.ClientBackURL, o.PaymentInfoURL, o.ClientRedirectURL} {
		if u == "" {
			continue
		}
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" || len(u) > 200 {
			return bad("callback URLs must be absolute http(s) URLs of at most 200 characters")
		}
	}
	for _, m := range o.IgnorePayment {
		if !knownPayments[m] || m == PaymentAll {
			return bad("unknown IgnorePayment method")
		}
	}
	for _, s := range append([]string{o.ItemName, o.TradeDesc}, o.CustomField[:]...) {
		// §1.3: no HTML tags in values.
		if strings.ContainsAny(s, "<>") {
			return bad("values cannot contain < or >")
		}
	}
	for _, s := range o.CustomField {
		if utf8.RuneCountInString(s) > 50 {
			return bad("CustomField values are at most 50 characters")
		}
	}
	return nil
}

// FitDeadline sets the ATM, CVS and BARCODE payment deadlines so that a
// customer cannot pay after deadline (e.g. the latest time the booking can
// still be confirmed), and hides through IgnorePayment the methods whose
// shortest deadline already passes it. It assumes the conservative reading
// of ECPay's units: an ATM or BARCODE deadline of n days ends at 23:59:59
// Taipei time n days from now (the exact rule is not documented, §5, §12.3);
// CVS counts minutes from now. Card payment is immediate and never hidden.
// IgnorePayment only works with ChoosePayment ALL: a single-method order
// whose method it hides must not be offered.
func (o *Order) FitDeadline(now, deadline time.Time) {
	hide := func(m string) {
		if !slices.Contains(o.IgnorePayment, m) {
			o.IgnorePayment = append(o.IgnorePayment, m)
		}
	}
	// Whole days whose end still precedes the deadline.
	l := now.In(taipei)
	days := 0
	for days < 60 && !time.Date(l.Year(), l.Month(), l.Day()+days+1, 23, 59, 59, 0, taipei).After(deadline) {
		days++
	}
	if days >= 1 {
		o.ATMExpireDays, o.BarcodeExpireDays = days, days
	} else {
		hide(PaymentATM)
		hide(PaymentBarcode)
	}
	if mins := int(deadline.Sub(now) / time.Minute); mins >= 1 {
		o.CVSExpireMinutes = min(mins, 43200)
	} else {
		hide(PaymentCVS)
	}
}
