package ecpay

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Return codes with a meaning the caller acts on (§4.2, §5).
const (
	RtnPaid         = 1        // ReturnURL: paid
	RtnATMIssued    = 2        // PaymentInfoURL: ATM virtual account issued
	RtnStoreIssued  = 10100073 // PaymentInfoURL: CVS / BARCODE code issued
	maxNotification = 64 << 10
)

// Answers ECPay expects from a notification endpoint (§4.3). Anything other
// than exactly "1|OK" makes ECPay send again.
const AnswerOK = "1|OK"

// AnswerError is the "0|message" answer for a notification that could not
// be accepted; ECPay will retry. The message must not reveal anything.
func AnswerError(msg string) string {
	msg = strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == '|' {
			return ' '
		}
		return r
	}, msg)
	return "0|" + truncate(msg, 100)
}

// WriteAnswer writes body as ECPay wants it: 200, plain text, nothing else.
func WriteAnswer(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, body)
}

// Notification is a verified ReturnURL or PaymentInfoURL POST. It is the
// ECPay side of the story only: the caller still checks MerchantTradeNo
// against its own attempt, TradeAmt against the booking amount, and ignores
// SimulatePaid in production (§4.3); processing must be idempotent, since
// ECPay re-sends.
type Notification struct {
	MerchantID      string
	MerchantTradeNo string
	StoreID         string
	RtnCode         int
	RtnMsg          string
	TradeNo         string // ECPay's number; needed for DoAction
	TradeAmt        int64  // NT$
	PaymentType     string // e.g. Credit_CreditCard, ATM_BOT, CVS_CVS
	ChargeFee       int64  // PaymentTypeChargeFee, NT$ (may be absent)
	TradeDate       time.Time
	PaymentDate     time.Time // zero when absent (payment info)
	// SimulatePaid: fired from ECPay's dashboard "模擬付款"; no money moved.
	SimulatePaid bool
	CustomField  [4]string

	// Payment info (PaymentInfoURL) fields.
	BankCode          string    // ATM
	VAccount          string    // ATM
	PaymentNo         string    // CVS
	Barcode           [3]string // BARCODE
	ExpireDate        time.Time // deadline; zero when absent
	ExpireDateRaw     string
	PaymentInfoIssued bool // RtnCode 2 (ATM) or 10100073 (CVS/BARCODE)

	// Fields holds every field received (CheckMacValue included), for
	// the §4.4 extras and for logging what was kept.
	Fields url.Values
}

// Paid reports a ReturnURL notification saying the money arrived.
func (n *Notification) Paid() bool { return n.RtnCode == RtnPaid }

// Method is the payment family: "Credit", "ATM", "CVS", "BARCODE", …
// (PaymentType up to the first '_').
func (n *Notification) Method() string {
	m, _, _ := strings.Cut(n.PaymentType, "_")
	return m
}

// ReadNotification reads the form body of a notification request (at most
// 64 KiB) without merging the URL query, as ECPay signs only the body.
func ReadNotification(r *http.Request) (url.Values, error) {
	if r.Method != http.MethodPost {
		return nil, fmt.Errorf("%w: notification must be a POST", ErrMalformed)
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxNotification+1))
	if err != nil {
		return nil, fmt.Errorf("ecpay: read notification: %w", err)
	}
	if len(b) > maxNotification {
		return nil, fmt.Errorf("%w: notification too large", ErrMalformed)
	}
	v, err := url.ParseQuery(string(b))
	if err != nil {
		return nil, fmt.Errorf("%w: notification body is not a form", ErrMalformed)
	}
	return v, nil
}

// MerchantOf returns the MerchantID a notification claims, so a
// multi-tenant caller can look up whose keys verify it. It proves nothing.
func MerchantOf(form url.Values) string { return form.Get("MerchantID") }

// VerifyNotification checks a ReturnURL or PaymentInfoURL form: exactly one
// value per field, CheckMacValue over every received field (§2.6), and
// MerchantID equal to cred's. It then parses the fields. Amount and trade
// number are the caller's to check.
func VerifyNotification(form url.Values, cred Credentials) (*Notification, error) {
	for k, vs := range form {
		if len(vs) != 1 {
			return nil, fmt.Errorf("%w: field %q repeated", ErrMalformed, truncate(k, 40))
		}
	}
	if !VerifyCheckMacValue(form, cred) {
		return nil, ErrBadCheckMacValue
	}
	if form.Get("MerchantID") != cred.MerchantID {
		return nil, ErrWrongMerchant
	}
	return parseNotification(form)
}

func parseNotification(form url.Values) (*Notification, error) {
	n := &Notification{
		MerchantID:      form.Get("MerchantID"),
		MerchantTradeNo: form.Get("MerchantTradeNo"),
		StoreID:         form.Get("StoreID"),
		RtnMsg:          form.Get("RtnMsg"),
		TradeNo:         form.Get("TradeNo"),
		PaymentType:     form.Get("PaymentType"),
		BankCode:        form.Get("BankCode"),
		VAccount:        form.Get("vAccount"),
		PaymentNo:       form.Get("PaymentNo"),
		ExpireDateRaw:   form.Get("ExpireDate"),
		Fields:          form,
	}
	bad := func(what string) error { return fmt.Errorf("%w: %s", ErrMalformed, what) }
	if n.MerchantTradeNo == "" || n.TradeNo == "" {
		return nil, bad("MerchantTradeNo and TradeNo are required")
	}
	var err error
	if n.RtnCode, err = strconv.Atoi(strings.TrimSpace(form.Get("RtnCode"))); err != nil {
		return nil, bad("RtnCode is not a number")
	}
	if n.TradeAmt, err = strconv.ParseInt(strings.TrimSpace(form.Get("TradeAmt")), 10, 64); err != nil || n.TradeAmt < 0 {
		return nil, bad("TradeAmt is not an amount")
	}
	if s := strings.TrimSpace(form.Get("PaymentTypeChargeFee")); s != "" {
		// ECPay sends integers; tolerate "10.0" rather than refuse a payment.
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 0 || f > 1e12 {
			return nil, bad("PaymentTypeChargeFee is not an amount")
		}
		n.ChargeFee = int64(f)
	}
	if s := form.Get("TradeDate"); s != "" {
		if n.TradeDate, err = parseTaipei(s); err != nil {
			return nil, bad("TradeDate unreadable")
		}
	}
	if s := form.Get("PaymentDate"); s != "" {
		if n.PaymentDate, err = parseTaipei(s); err != nil {
			return nil, bad("PaymentDate unreadable")
		}
	}
	if n.ExpireDateRaw != "" {
		if n.ExpireDate, err = parseTaipei(n.ExpireDateRaw); err != nil {
			return nil, bad("ExpireDate unreadable")
		}
	}
	switch sp := form.Get("SimulatePaid"); sp {
	case "", "0":
	case "1":
		n.SimulatePaid = true
	default:
		return nil, bad("SimulatePaid is not 0 or 1")
	}
	for i := range n.CustomField {
		n.CustomField[i] = form.Get("CustomField" + strconv.Itoa(i+1))
	}
	for i := range n.Barcode {
		n.Barcode[i] = form.Get("Barcode" + strconv.Itoa(i+1))
	}
	n.PaymentInfoIssued = n.RtnCode == RtnATMIssued || n.RtnCode == RtnStoreIssued
	return n, nil
}
