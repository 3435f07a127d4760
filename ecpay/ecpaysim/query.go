package ecpaysim

import (
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Trade statuses of QueryTradeInfo (§6): 0 and 1 documented, the others
// observed.
const (
	StatusUnpaid   = "0"
	StatusPaid     = "1"
	StatusNotFound = "10200047"
	StatusFailed   = "10200095"
)

// writeKV answers "k=v&k=v" with raw values (§6). '%' and '&' are escaped,
// since a raw '&' would end the field; everything else, '+' included, is
// left as ECPay leaves it.
func writeKV(w http.ResponseWriter, v url.Values) {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	esc := strings.NewReplacer("%", "%25", "&", "%26")
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"="+esc.Replace(v.Get(k)))
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = io.WriteString(w, strings.Join(parts, "&"))
}

// requestError answers an unsigned RtnCode/RtnMsg pair for a request ECPay
// would refuse; the real shape is not documented (§12).
func requestError(w http.ResponseWriter, code, msg string) {
	writeKV(w, url.Values{"RtnCode": {code}, "RtnMsg": {msg}})
}

// checkRequest parses a signed server-to-server form and finds its merchant.
func (s *Sim) checkRequest(w http.ResponseWriter, r *http.Request) (url.Values, Merchant, bool) {
	if err := r.ParseForm(); err != nil {
		requestError(w, CodeBadParameter, "Parameter Error")
		return nil, Merchant{}, false
	}
	f := r.PostForm
	m, ok := s.merchants[f.Get("MerchantID")]
	if !ok {
		requestError(w, CodeBadParameter, "MerchantID Error")
		return nil, Merchant{}, false
	}
	if !macOK(f, m) {
		requestError(w, CodeBadMac, "CheckMacValue Error")
		return nil, Merchant{}, false
	}
	return f, m, true
}

// queryTrade is POST /Cashier/QueryTradeInfo/V5 (§6).
func (s *Sim) queryTrade(w http.ResponseWriter, r *http.Request) {
	f, m, ok := s.checkRequest(w, r)
	if !ok {
		return
	}
	ts, err := strconv.ParseInt(f.Get("TimeStamp"), 10, 64)
	now := s.Now()
	if err != nil || now.Sub(time.Unix(ts, 0)).Abs() > 3*time.Minute {
		requestError(w, CodeBadParameter, "TimeStamp Error") // valid 3 minutes (§6)
		return
	}
	s.mu.Lock()
	t := s.trades[m.ID+"/"+f.Get("MerchantTradeNo")]
	v := url.Values{"MerchantID": {m.ID}, "MerchantTradeNo": {f.Get("MerchantTradeNo")}}
	if t == nil {
		v.Set("TradeStatus", StatusNotFound)
		for _, k := range []string{"StoreID", "TradeNo", "TradeAmt", "PaymentDate", "PaymentType", "HandlingCharge",
			"PaymentTypeChargeFee", "TradeDate", "ItemName", "CustomField1", "CustomField2", "CustomField3", "CustomField4"} {
			v.Set(k, "")
		}
	} else {
		s.settleCard(t)
		v = s.common(t)
		v.Set("ItemName", t.ItemName)
		v.Set("HandlingCharge", strconv.FormatInt(t.ChargeFee, 10))
		v.Set("PaymentTypeChargeFee", strconv.FormatInt(t.ChargeFee, 10))
		v.Set("PaymentDate", "")
		switch {
		case t.State == StatePaid:
			v.Set("TradeStatus", StatusPaid)
			v.Set("PaymentDate", t.PaymentDate.In(taipei).Format(tradeDateLayout))
			for k, x := range extras(t) {
				v.Set(k, x)
			}
		case t.State == StateFailed, t.State == StateAwaiting && now.After(t.ExpireAt):
			v.Set("TradeStatus", StatusFailed)
		default:
			v.Set("TradeStatus", StatusUnpaid)
		}
	}
	s.mu.Unlock()
	v.Set("CheckMacValue", checkMacValue(v, m.HashKey, m.HashIV))
	writeKV(w, v)
}

// queryPaymentInfo is POST /Cashier/QueryPaymentInfo (§5): the payment
// info again, signed; refused once paid (shape unconfirmed).
func (s *Sim) queryPaymentInfo(w http.ResponseWriter, r *http.Request) {
	f, m, ok := s.checkRequest(w, r)
	if !ok {
		return
	}
	ts, err := strconv.ParseInt(f.Get("TimeStamp"), 10, 64)
	if err != nil || s.Now().Sub(time.Unix(ts, 0)).Abs() > 3*time.Minute {
		requestError(w, CodeBadParameter, "TimeStamp Error")
		return
	}
	s.mu.Lock()
	t := s.trades[m.ID+"/"+f.Get("MerchantTradeNo")]
	var v url.Values
	switch {
	case t == nil:
		s.mu.Unlock()
		requestError(w, StatusNotFound, "Cant not find the trade data.")
		return
	case t.State != StateAwaiting:
		s.mu.Unlock()
		requestError(w, CodeActionRefused, "訂單非待繳費狀態")
		return
	default:
		v = s.infoFields(t)
	}
	s.mu.Unlock()
	v.Set("CheckMacValue", checkMacValue(v, m.HashKey, m.HashIV))
	writeKV(w, v)
}

// DoAction error codes: the simulator's choice (§12.5).
const (
	CodeActionRefused = "10200151"
	CodeActionWindow  = "10200152"
	CodeAmount        = "10200153"
)

// doAction is POST /CreditDetail/DoAction (§7).
func (s *Sim) doAction(w http.ResponseWriter, r *http.Request) {
	f, m, ok := s.checkRequest(w, r)
	if !ok {
		return
	}
	answer := func(code, msg string) {
		writeKV(w, url.Values{"MerchantID": {m.ID}, "MerchantTradeNo": {f.Get("MerchantTradeNo")},
			"TradeNo": {f.Get("TradeNo")}, "RtnCode": {code}, "RtnMsg": {msg}})
	}
	amount, err := strconv.ParseInt(f.Get("TotalAmount"), 10, 64)
	if err != nil || amount <= 0 {
		answer(CodeAmount, "TotalAmount Error")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.trades[m.ID+"/"+f.Get("MerchantTradeNo")]
	if t == nil || t.TradeNo != f.Get("TradeNo") {
		answer(StatusNotFound, "Cant not find the trade data.")
		return
	}
	if t.Method != "Credit" || t.State != StatePaid {
		answer(CodeActionRefused, "非信用卡已授權交易，無法執行")
		return
	}
	now := s.nowLocked()
	if l := now.In(taipei); !s.o.ManualClose && l.Hour() == 20 && l.Minute() >= 15 && l.Minute() < 30 {
		answer(CodeActionWindow, "關帳作業中，請於 20:30 後再試") // §7
		return
	}
	s.settleCard(t)
	switch act := f.Get("Action"); {
	case act == "N" && t.CardState == CardAuthorised:
		t.CardState = CardAbandoned
	case act == "C" && t.CardState == CardAuthorised:
		t.CardState = CardClosing
		if s.o.ManualClose {
			t.closeAt = nextClose(now)
		}
	case act == "E" && t.CardState == CardClosing:
		t.CardState = CardAuthorised
	case act == "R" && t.CardState == CardClosed:
		if amount > t.Amount-t.Refunded {
			answer(CodeAmount, "退刷金額超過可退金額")
			return
		}
		t.Refunded += amount
		if t.Refunded == t.Amount {
			t.CardState = CardCancelled
		}
	default:
		answer(CodeActionRefused, "交易狀態不允許此動作 ("+t.CardState+")")
		return
	}
	answer("1", "成功")
}
