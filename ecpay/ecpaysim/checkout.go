package ecpaysim

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Error codes on ECPay's checkout error page. 10300028 (duplicate
// MerchantTradeNo) is observed (§3.4); the others are this simulator's
// choice, as ECPay's are not documented (§12.2).
const (
	CodeDuplicateTradeNo = "10300028"
	CodeBadMac           = "10200073"
	CodeBadParameter     = "10100050"
	CodeCardDeclined     = 10100248
)

// Amount limits per method, individual-member table (§3.5).
var limits = map[string][2]int64{"Credit": {5, 199999}, "ATM": {11, 49999}, "CVS": {33, 6000}, "BARCODE": {17, 20000}}

// simulated are the methods the payer page offers, in page order.
var simulated = []string{"Credit", "ATM", "CVS", "BARCODE"}

var (
	tradeNoRE = regexp.MustCompile(`^[0-9A-Za-z]{1,20}$`)
	allMethod = map[string]bool{"ALL": true, "Credit": true, "WebATM": true, "ATM": true, "CVS": true, "BARCODE": true,
		"ApplePay": true, "TWQR": true, "BNPL": true, "WeiXin": true, "GooglePay": true}
)

type checkoutError struct{ code, msg string }

func (e *checkoutError) Error() string { return e.code + " " + e.msg }

func badParam(format string, a ...any) error {
	return &checkoutError{CodeBadParameter, fmt.Sprintf(format, a...)}
}

// checkout is POST /Cashier/AioCheckOut/V5 (§3, §11).
func (s *Sim) checkout(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, CodeBadParameter, "Parameter Error")
		return
	}
	t, err := s.createTrade(r.PostForm)
	if err != nil {
		var ce *checkoutError
		if errors.As(err, &ce) {
			s.errorPage(w, ce.code, ce.msg)
			return
		}
		s.errorPage(w, CodeBadParameter, err.Error())
		return
	}
	s.payerPage(w, t)
}

func (s *Sim) createTrade(f url.Values) (*Trade, error) {
	for k, v := range f {
		if len(v) != 1 {
			return nil, badParam("%s repeated", k)
		}
		if strings.ContainsAny(v[0], "<>") {
			return nil, badParam("%s contains HTML", k) // §1.3
		}
	}
	m, ok := s.merchants[f.Get("MerchantID")]
	if !ok {
		return nil, badParam("MerchantID Error")
	}
	if !macOK(f, m) {
		return nil, &checkoutError{CodeBadMac, "CheckMacValue Error"}
	}
	for _, k := range []string{"MerchantTradeNo", "MerchantTradeDate", "PaymentType", "TotalAmount", "TradeDesc",
		"ItemName", "ReturnURL", "ChoosePayment", "EncryptType"} {
		if strings.TrimSpace(f.Get(k)) == "" {
			return nil, badParam("%s is required", k)
		}
	}
	mtn := f.Get("MerchantTradeNo")
	switch {
	case !tradeNoRE.MatchString(mtn):
		return nil, badParam("MerchantTradeNo Error")
	case f.Get("PaymentType") != "aio":
		return nil, badParam("PaymentType Error")
	case f.Get("EncryptType") != "1":
		return nil, badParam("EncryptType Error")
	case utf8.RuneCountInString(f.Get("TradeDesc")) > 200:
		return nil, badParam("TradeDesc too long")
	case !allMethod[f.Get("ChoosePayment")]:
		return nil, badParam("ChoosePayment Error")
	}
	if _, err := time.ParseInLocation(tradeDateLayout, f.Get("MerchantTradeDate"), taipei); err != nil {
		return nil, badParam("MerchantTradeDate Format Error")
	}
	for _, k := range []string{"ReturnURL", "OrderResultURL", "ClientBackURL", "PaymentInfoURL", "ClientRedirectURL"} {
		if u := f.Get(k); u != "" {
			p, err := url.Parse(u)
			if err != nil || len(u) > 200 || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
				return nil, badParam("%s Error", k)
			}
		}
	}
	if f.Get("OrderResultURL") != "" && f.Get("OrderResultURL") == f.Get("ReturnURL") {
		return nil, badParam("OrderResultURL must differ from ReturnURL")
	}
	amount, err := strconv.ParseInt(f.Get("TotalAmount"), 10, 64)
	if err != nil || amount <= 0 {
		return nil, badParam("TotalAmount Error") // integers only (§3.2)
	}
	if e := f.Get("ExpireDate"); e != "" {
		if d, err := strconv.Atoi(e); err != nil || d < 1 || d > 60 {
			return nil, badParam("ExpireDate Error") // 1–60 days (§3.3)
		}
	}
	if e := f.Get("StoreExpireDate"); e != "" {
		if d, err := strconv.Atoi(e); err != nil || d < 1 || d > 43200 {
			return nil, badParam("StoreExpireDate Error")
		}
	}
	for i := 1; i <= 4; i++ {
		if utf8.RuneCountInString(f.Get("CustomField"+strconv.Itoa(i))) > 50 {
			return nil, badParam("CustomField%d too long", i)
		}
	}
	methods, err := offered(f.Get("ChoosePayment"), f.Get("IgnorePayment"), amount)
	if err != nil {
		return nil, err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	key := m.ID + "/" + mtn
	if s.trades[key] != nil {
		// §3.4: burnt forever, paid or not.
		return nil, &checkoutError{CodeDuplicateTradeNo, "訂單編號重覆，建立失敗"}
	}
	now := s.nowLocked()
	s.seq++
	t := &Trade{MerchantID: m.ID, MerchantTradeNo: mtn, Amount: amount, ItemName: f.Get("ItemName"),
		Params: cloneValues(f), Created: now, State: StateCreated, Methods: methods,
		TradeNo: now.In(taipei).Format("060102150405") + fmt.Sprintf("%04d", s.seq%10000)}
	s.trades[key] = t
	s.byTradeNo[t.TradeNo] = t
	s.order = append(s.order, t)
	return t, nil
}

// offered lists the simulated methods the payer may pick (§3.3, §3.5).
func offered(choose, ignore string, amount int64) ([]string, error) {
	var cands []string
	if choose == "ALL" {
		ign := strings.Split(ignore, "#")
		for _, m := range simulated {
			if !slices.Contains(ign, m) {
				cands = append(cands, m)
			}
		}
	} else if slices.Contains(simulated, choose) {
		cands = []string{choose}
	} else {
		return nil, badParam("ChoosePayment %s is not enabled for this merchant", choose)
	}
	var out []string
	for _, m := range cands {
		if l := limits[m]; amount >= l[0] && amount <= l[1] {
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		return nil, badParam("TotalAmount is outside the limits of every payment method")
	}
	return out, nil
}

// choose is the payer page's POST.
func (s *Sim) choose(w http.ResponseWriter, r *http.Request) {
	tradeNo, method := r.PostFormValue("TradeNo"), r.PostFormValue("method")
	s.mu.Lock()
	t := s.byTradeNo[tradeNo]
	if t == nil || t.State != StateCreated {
		s.mu.Unlock()
		s.errorPage(w, CodeBadParameter, "交易已失效或已完成")
		return
	}
	if method == "Cancel" {
		// The number stays burnt and the trade unpaid (§3.4).
		tc := *t
		s.mu.Unlock()
		s.resultPage(w, &tc, "您已取消付款", nil)
		return
	}
	decline := method == "CreditDecline" || (method == "Credit" && s.f.declineAll)
	base := strings.TrimSuffix(method, "Decline")
	if !slices.Contains(t.Methods, base) {
		s.mu.Unlock()
		s.errorPage(w, CodeBadParameter, "付款方式錯誤")
		return
	}
	now := s.nowLocked()
	t.Method = base
	var fields url.Values
	var kind, target, browserTarget string
	switch base {
	case "Credit":
		t.PaymentType = "Credit_CreditCard"
		if decline {
			t.State = StateFailed
			fields = s.resultFields(t, CodeCardDeclined, "授權失敗")
		} else {
			t.State, t.PaymentDate, t.ChargeFee = StatePaid, now, fee(t)
			t.CardState, t.closeAt = CardAuthorised, nextClose(now)
			fields = s.resultFields(t, 1, "交易成功")
		}
		kind, target, browserTarget = "ReturnURL", t.Params.Get("ReturnURL"), t.Params.Get("OrderResultURL")
	default:
		s.issueInfo(t, now)
		fields = s.infoFields(t)
		kind, target, browserTarget = "PaymentInfoURL", t.Params.Get("PaymentInfoURL"), t.Params.Get("ClientRedirectURL")
	}
	s.enqueueLocked(kind, target, t, fields)
	browser := s.sign(t.MerchantID, fields, false)
	tc := *t
	s.mu.Unlock()
	// The server-to-server notification goes before the browser moves on,
	// as with ECPay, so the merchant usually knows first.
	s.DeliverDue(r.Context())
	if browserTarget != "" {
		s.autoPost(w, browserTarget, browser)
		return
	}
	s.resultPage(w, &tc, "", browser)
}

// issueInfo gives an ATM account or a store code (§5).
func (s *Sim) issueInfo(t *Trade, now time.Time) {
	t.State = StateAwaiting
	switch t.Method {
	case "ATM":
		days := atoiDefault(t.Params.Get("ExpireDate"), 3)
		t.BankCode, t.PaymentType = "004", "ATM_BOT" // observed on stage (§5)
		t.VAccount = digits(16)
		end := now.In(taipei).AddDate(0, 0, days)
		t.ExpireDate = end.Format("2006/01/02") // date-only: format [UNCONFIRMED] (§5)
		t.ExpireAt = time.Date(end.Year(), end.Month(), end.Day(), 23, 59, 59, 0, taipei)
	case "CVS":
		mins := atoiDefault(t.Params.Get("StoreExpireDate"), 10080)
		t.PaymentType, t.PaymentNo = "CVS_CVS", "LLL"+digits(11)
		t.ExpireAt = now.Add(time.Duration(mins) * time.Minute)
		t.ExpireDate = t.ExpireAt.In(taipei).Format(tradeDateLayout)
	case "BARCODE":
		days := atoiDefault(t.Params.Get("StoreExpireDate"), 7)
		t.PaymentType = "BARCODE_BARCODE"
		t.ExpireAt = now.AddDate(0, 0, days)
		t.ExpireDate = t.ExpireAt.In(taipei).Format(tradeDateLayout)
		t.Barcodes = [3]string{t.ExpireAt.In(taipei).Format("060102") + "6" + digits(2), digits(16), now.In(taipei).Format("0601") + "XX" + digits(9)}
	}
}

func atoiDefault(s string, d int) int {
	if n, err := strconv.Atoi(s); err == nil && n > 0 {
		return n
	}
	return d
}

func digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + rand.IntN(10))
	}
	return string(b)
}

// fee follows the individual-member fee table (§3.5), before VAT.
func fee(t *Trade) int64 {
	switch t.Method {
	case "Credit":
		return max(5, (t.Amount*275+5000)/10000)
	case "ATM":
		return max(10, (t.Amount+50)/100)
	case "CVS":
		return 30
	case "BARCODE":
		return 15
	}
	return 0
}

func (s *Sim) common(t *Trade) url.Values {
	v := url.Values{}
	v.Set("MerchantID", t.MerchantID)
	v.Set("MerchantTradeNo", t.MerchantTradeNo)
	v.Set("StoreID", t.Params.Get("StoreID"))
	v.Set("TradeNo", t.TradeNo)
	v.Set("TradeAmt", strconv.FormatInt(t.Amount, 10))
	v.Set("PaymentType", t.PaymentType)
	v.Set("TradeDate", t.Created.In(taipei).Format(tradeDateLayout))
	for i := 1; i <= 4; i++ {
		k := "CustomField" + strconv.Itoa(i)
		v.Set(k, t.Params.Get(k)) // echoed, empty when unset (§11)
	}
	return v
}

// resultFields are the ReturnURL fields (§4.2, §4.4).
func (s *Sim) resultFields(t *Trade, code int, msg string) url.Values {
	v := s.common(t)
	v.Set("RtnCode", strconv.Itoa(code))
	v.Set("RtnMsg", msg)
	v.Set("PaymentDate", "")
	if !t.PaymentDate.IsZero() {
		v.Set("PaymentDate", t.PaymentDate.In(taipei).Format(tradeDateLayout))
	}
	v.Set("PaymentTypeChargeFee", strconv.FormatInt(t.ChargeFee, 10))
	v.Set("SimulatePaid", "0")
	if t.SimulatePaid {
		v.Set("SimulatePaid", "1")
	}
	if s.f.shiftNext != 0 && code == 1 {
		v.Set("TradeAmt", strconv.FormatInt(t.Amount+s.f.shiftNext, 10))
		s.f.shiftNext = 0
	}
	if t.Params.Get("NeedExtraPaidInfo") == "Y" {
		for k, x := range extras(t) {
			v.Set(k, x)
		}
	}
	return v
}

func extras(t *Trade) map[string]string {
	switch t.Method {
	case "Credit":
		return map[string]string{"card4no": "2222", "card6no": "431195", "auth_code": "777777", "gwsr": "11940000",
			"process_date": t.PaymentDate.In(taipei).Format(tradeDateLayout), "amount": strconv.FormatInt(t.Amount, 10),
			"eci": "5", "stage": "0", "stast": "0", "staed": "0", "red_dan": "0", "red_de_amt": "0", "red_ok_amt": "0", "red_yet": "0"}
	case "ATM":
		return map[string]string{"ATMAccBank": "812", "ATMAccNo": "54321"}
	case "CVS", "BARCODE":
		return map[string]string{"PaymentNo": t.PaymentNo, "PayFrom": "family"}
	}
	return nil
}

// infoFields are the PaymentInfoURL fields (§5).
func (s *Sim) infoFields(t *Trade) url.Values {
	v := s.common(t)
	v.Set("ExpireDate", t.ExpireDate)
	switch t.Method {
	case "ATM":
		v.Set("RtnCode", "2")
		v.Set("RtnMsg", "Get VirtualAccount Succeeded")
		v.Set("BankCode", t.BankCode)
		v.Set("vAccount", t.VAccount)
	case "CVS":
		v.Set("RtnCode", "10100073")
		v.Set("RtnMsg", "Get CVS Code Succeeded.")
		v.Set("PaymentNo", t.PaymentNo)
		v.Set("Barcode1", "")
		v.Set("Barcode2", "")
		v.Set("Barcode3", "")
	case "BARCODE":
		v.Set("RtnCode", "10100073")
		v.Set("RtnMsg", "Get Barcode Succeeded.")
		v.Set("Barcode1", t.Barcodes[0])
		v.Set("Barcode2", t.Barcodes[1])
		v.Set("Barcode3", t.Barcodes[2])
	}
	return v
}

// Errors of Pay and SimulatePay.
var (
	ErrNoTrade    = errors.New("ecpaysim: no such trade")
	ErrNotPayable = errors.New("ecpaysim: trade is not waiting for an ATM/store payment")
	ErrExpired    = errors.New("ecpaysim: payment deadline passed")
)

// Pay is the customer paying at the ATM or the store (§5): the trade must
// be awaiting payment and not past its deadline. The ReturnURL
// notification (RtnCode 1, SimulatePaid 0) is sent before Pay returns.
// Move the clock with Advance first to pay "a day later".
func (s *Sim) Pay(merchantID, merchantTradeNo string) error {
	return s.pay(merchantID, merchantTradeNo, false)
}

// SimulatePay is the dashboard's 模擬付款 (§1.2): like Pay but with
// SimulatePaid=1, and allowed on any unpaid trade.
func (s *Sim) SimulatePay(merchantID, merchantTradeNo string) error {
	return s.pay(merchantID, merchantTradeNo, true)
}

func (s *Sim) pay(merchantID, merchantTradeNo string, simulate bool) error {
	s.mu.Lock()
	t := s.trades[merchantID+"/"+merchantTradeNo]
	now := s.nowLocked()
	switch {
	case t == nil:
		s.mu.Unlock()
		return ErrNoTrade
	case simulate && t.State == StateCreated:
		t.Method, t.PaymentType = t.Methods[0], map[string]string{"Credit": "Credit_CreditCard", "ATM": "ATM_BOT",
			"CVS": "CVS_CVS", "BARCODE": "BARCODE_BARCODE"}[t.Methods[0]]
	case t.State != StateAwaiting:
		s.mu.Unlock()
		return ErrNotPayable
	case !simulate && now.After(t.ExpireAt):
		s.mu.Unlock()
		return ErrExpired
	}
	t.State, t.PaymentDate, t.SimulatePaid, t.ChargeFee = StatePaid, now, simulate, fee(t)
	if t.Method == "Credit" {
		t.CardState, t.closeAt = CardAuthorised, nextClose(now)
	}
	s.enqueueLocked("ReturnURL", t.Params.Get("ReturnURL"), t, s.resultFields(t, 1, "交易成功"))
	s.mu.Unlock()
	s.DeliverDue(context.Background())
	return nil
}
