package ecpay

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// DoAction actions for card trades (§7).
const (
	ActionCapture = "C" // 關帳: send an authorised trade for capture
	ActionRefund  = "R" // 退刷: refund after close; partial allowed
	ActionCancel  = "E" // 取消: cancel a pending close
	ActionAbandon = "N" // 放棄: drop an authorised, unclosed trade
)

// DoActionRequest is one /CreditDetail/DoAction call.
type DoActionRequest struct {
	MerchantTradeNo string
	TradeNo         string // ECPay's, from the notification or query
	Action          string
	// Amount in NT$: the refund amount for R (≤ what remains), the trade
	// amount for the other actions.
	Amount int64
}

// DoAction captures, refunds, cancels or abandons a credit-card trade
// (§7). ATM/CVS/BARCODE trades have no refund API. RtnCode != 1 comes back
// as *RtnError. The answer is verified when it carries a CheckMacValue; ECPay
// does not say it always does (§12.5).
func (c *Client) DoAction(ctx context.Context, cred Credentials, r DoActionRequest) error {
	switch r.Action {
	case ActionCapture, ActionRefund, ActionCancel, ActionAbandon:
	default:
		return fmt.Errorf("%w: unknown DoAction %q", ErrInvalid, truncate(r.Action, 5))
	}
	if !ValidMerchantTradeNo(r.MerchantTradeNo) || r.TradeNo == "" || r.Amount <= 0 {
		return fmt.Errorf("%w: DoAction needs MerchantTradeNo, TradeNo and a positive amount", ErrInvalid)
	}
	v := url.Values{
		"MerchantID":      {cred.MerchantID},
		"MerchantTradeNo": {r.MerchantTradeNo},
		"TradeNo":         {r.TradeNo},
		"Action":          {r.Action},
		"TotalAmount":     {strconv.FormatInt(r.Amount, 10)},
	}
	v.Set("CheckMacValue", CheckMacValue(v, cred))
	b, err := c.post(ctx, "DoAction", c.cfg.PaymentURL+"/CreditDetail/DoAction",
		"application/x-www-form-urlencoded", v.Encode())
	if err != nil {
		return err
	}
	f := ParseKV(string(b))
	if f.Has("CheckMacValue") && !VerifyCheckMacValue(f, cred) {
		return fmt.Errorf("ecpay DoAction: %w", ErrBadCheckMacValue)
	}
	code, err := strconv.Atoi(f.Get("RtnCode"))
	if err != nil {
		return fmt.Errorf("ecpay DoAction: %w: no RtnCode", ErrMalformed)
	}
	if code != 1 {
		return &RtnError{Op: "DoAction", Code: code, Msg: f.Get("RtnMsg")}
	}
	return nil
}

// Refund refunds amount NT$ of a closed card trade (Action R).
func (c *Client) Refund(ctx context.Context, cred Credentials, merchantTradeNo, tradeNo string, amount int64) error {
	return c.DoAction(ctx, cred, DoActionRequest{MerchantTradeNo: merchantTradeNo, TradeNo: tradeNo, Action: ActionRefund, Amount: amount})
}
