package ecpay

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Trade statuses of QueryTradeInfo (§6). Other codes (10200095 "not
// established", 10200047 "trade not found") are observed, not documented.
const (
	TradeUnpaid   = "0"
	TradePaid     = "1"
	TradeNotFound = "10200047"
	TradeFailed   = "10200095"
)

// Trade is a verified QueryTradeInfo answer.
type Trade struct {
	MerchantID      string
	MerchantTradeNo string
	StoreID         string
	TradeNo         string
	TradeAmt        int64
	PaymentType     string
	ChargeFee       int64 // PaymentTypeChargeFee
	TradeDate       time.Time
	PaymentDate     time.Time // zero when unpaid
	// TradeStatus is the raw status; see TradeUnpaid, TradePaid, ….
	TradeStatus string
	ItemName    string
	CustomField [4]string
	// Fields holds every returned field, e.g. the method extras.
	Fields url.Values
}

// Paid reports TradeStatus 1.
func (t *Trade) Paid() bool { return t.TradeStatus == TradePaid }

// Found reports whether ECPay knows the trade at all.
func (t *Trade) Found() bool { return t.TradeStatus != TradeNotFound }

// QueryTrade asks ECPay for the state of one trade (POST
// /Cashier/QueryTradeInfo/V5, §6) and verifies the answer's CheckMacValue.
// An unknown MerchantTradeNo is not an error: Found() is false. ECPay
// answers 403 to callers that query too often (§1.3); reconcile sparingly.
func (c *Client) QueryTrade(ctx context.Context, cred Credentials, merchantTradeNo string) (*Trade, error) {
	f, err := c.queryTrade(ctx, "QueryTradeInfo", "/Cashier/QueryTradeInfo/V5", cred, merchantTradeNo)
	if err != nil {
		return nil, err
	}
	if !VerifyCheckMacValue(f, cred) {
		return nil, fmt.Errorf("ecpay QueryTradeInfo: %w", ErrBadCheckMacValue)
	}
	if f.Get("MerchantID") != cred.MerchantID {
		return nil, fmt.Errorf("ecpay QueryTradeInfo: %w", ErrWrongMerchant)
	}
	t := &Trade{
		MerchantID:      f.Get("MerchantID"),
		MerchantTradeNo: f.Get("MerchantTradeNo"),
		StoreID:         f.Get("StoreID"),
		TradeNo:         f.Get("TradeNo"),
		PaymentType:     f.Get("PaymentType"),
		TradeStatus:     f.Get("TradeStatus"),
		ItemName:        f.Get("ItemName"),
		Fields:          f,
	}
	if t.TradeStatus == "" {
		return nil, fmt.Errorf("ecpay QueryTradeInfo: %w: no TradeStatus", ErrMalformed)
	}
	if t.MerchantTradeNo != merchantTradeNo && t.Found() {
		return nil, fmt.Errorf("ecpay QueryTradeInfo: %w: answer is for another trade", ErrMalformed)
	}
	t.TradeAmt, _ = strconv.ParseInt(f.Get("TradeAmt"), 10, 64)
	if fee, err := strconv.ParseFloat(f.Get("PaymentTypeChargeFee"), 64); err == nil && fee >= 0 && fee < 1e12 {
		t.ChargeFee = int64(fee)
	}
	t.TradeDate, _ = parseTaipei(f.Get("TradeDate"))
	t.PaymentDate, _ = parseTaipei(f.Get("PaymentDate"))
	for i := range t.CustomField {
		t.CustomField[i] = f.Get("CustomField" + strconv.Itoa(i+1))
	}
	return t, nil
}

// queryTrade posts a signed query about one trade to the AIO path and
// returns the answer's fields, unverified (each query verifies its own
// shape). A refused request (bad mac, stale TimeStamp) answers an unsigned
// RtnCode/RtnMsg, returned as a *RtnError; the shape is not documented (§12).
func (c *Client) queryTrade(ctx context.Context, op, path string, cred Credentials, merchantTradeNo string) (url.Values, error) {
	if !ValidMerchantTradeNo(merchantTradeNo) {
		return nil, fmt.Errorf("%w: MerchantTradeNo must be 1-20 letters and digits", ErrInvalid)
	}
	v := url.Values{
		"MerchantID":      {cred.MerchantID},
		"MerchantTradeNo": {merchantTradeNo},
		"TimeStamp":       {strconv.FormatInt(c.now().Unix(), 10)},
	}
	v.Set("CheckMacValue", CheckMacValue(v, cred))
	b, err := c.post(ctx, op, c.cfg.PaymentURL+path, "application/x-www-form-urlencoded", v.Encode())
	if err != nil {
		return nil, err
	}
	f := ParseKV(string(b))
	if !f.Has("CheckMacValue") && f.Has("RtnCode") {
		code, _ := strconv.Atoi(f.Get("RtnCode"))
		return nil, &RtnError{Op: op, Code: code, Msg: f.Get("RtnMsg")}
	}
	return f, nil
}

// ParseKV parses ECPay's "k=v&k=v" answers (§6): split on '&' and the first
// '=', decode %XX but keep '+' as is (ECPay does not encode values reliably;
// its SDK had to stop turning '+' in ItemName into a space).
func ParseKV(s string) url.Values {
	v := url.Values{}
	for _, part := range strings.Split(strings.TrimSpace(s), "&") {
		if part == "" {
			continue
		}
		k, val, _ := strings.Cut(part, "=")
		if d, err := url.PathUnescape(val); err == nil {
			val = d
		}
		v.Add(k, val)
	}
	return v
}

// QueryPaymentInfo reads again the ATM account or store code of a trade
// waiting for payment (POST /Cashier/QueryPaymentInfo, §5), e.g. to show it
// to a customer who lost it. ECPay refuses it once the trade is paid; the
// refusal is a *RtnError.
func (c *Client) QueryPaymentInfo(ctx context.Context, cred Credentials, merchantTradeNo string) (*Notification, error) {
	f, err := c.queryTrade(ctx, "QueryPaymentInfo", "/Cashier/QueryPaymentInfo", cred, merchantTradeNo)
	if err != nil {
		return nil, err
	}
	n, err := VerifyNotification(f, cred)
	if err != nil {
		return nil, fmt.Errorf("ecpay QueryPaymentInfo: %w", err)
	}
	if n.MerchantTradeNo != merchantTradeNo {
		return nil, fmt.Errorf("ecpay QueryPaymentInfo: %w: answer is for another trade", ErrMalformed)
	}
	if !n.PaymentInfoIssued {
		return nil, &RtnError{Op: "QueryPaymentInfo", Code: n.RtnCode, Msg: n.RtnMsg}
	}
	return n, nil
}
