package ecpaysim

import (
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

var methodNames = map[string]string{"Credit": "信用卡", "ATM": "ATM 櫃員機", "CVS": "超商代碼", "BARCODE": "超商條碼"}

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"method": func(m string) string { return methodNames[m] },
}).Parse(`
{{define "head"}}<!doctype html><html lang="zh-Hant"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.}} - 綠界科技 ECPay（模擬器）</title>
<style>body{font-family:system-ui,"Noto Sans TC",sans-serif;background:#f3f6f4;margin:0;color:#222}
header{background:#00a26f;color:#fff;padding:12px 20px;font-weight:bold}main{max-width:720px;margin:20px auto;background:#fff;padding:20px;border-radius:8px}
button{font-size:1rem;padding:10px 16px;margin:6px 6px 6px 0;border:1px solid #00a26f;background:#fff;border-radius:6px;cursor:pointer}
button.primary{background:#00a26f;color:#fff}table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border-bottom:1px solid #ddd;padding:4px;text-align:left}
.note{color:#a60;font-size:.85rem}.err{color:#c00}</style></head><body><header>ECPay 綠界科技 · 模擬器 Simulator</header><main>{{end}}
{{define "foot"}}</main></body></html>{{end}}

{{define "pay"}}{{template "head" "付款"}}
<h1>訂單付款</h1>
<table><tr><th>特店訂單編號</th><td id="merchant-trade-no">{{.T.MerchantTradeNo}}</td></tr>
<tr><th>綠界交易編號</th><td id="trade-no">{{.T.TradeNo}}</td></tr>
<tr><th>商品</th><td id="item-name">{{range .Items}}{{.}}<br>{{end}}</td></tr>
<tr><th>金額</th><td id="amount">NT$ {{.T.Amount}}</td></tr></table>
<form method="post" action="{{.Prefix}}/Cashier/sim/choose" id="pay-form">
<input type="hidden" name="TradeNo" value="{{.T.TradeNo}}">
<h2>選擇付款方式</h2>
{{range .T.Methods}}{{if eq . "Credit"}}
<fieldset><legend>信用卡</legend><p>測試卡號 4311-9522-2222-2222 · CVV 222 · 3D 驗證碼 1234</p>
<button type="submit" class="primary" name="method" value="Credit" id="pay-credit">信用卡付款</button>
<button type="submit" name="method" value="CreditDecline" id="pay-credit-decline">模擬授權失敗</button></fieldset>
{{else}}<button type="submit" name="method" value="{{.}}" id="pay-{{.}}">{{method .}}</button>{{end}}{{end}}
<p><button type="submit" name="method" value="Cancel" id="pay-cancel">取消付款，返回商店</button></p>
</form>
<p class="note">這是 DaoYue 的 ECPay 模擬器，不會產生真實交易。</p>
{{template "foot"}}{{end}}

{{define "error"}}{{template "head" "錯誤"}}
<h1 class="err">交易失敗</h1><p>錯誤代碼 <span id="ecpay-error-code">{{.Code}}</span></p>
<p id="ecpay-error-message">{{.Msg}}</p>{{template "foot"}}{{end}}

{{define "result"}}{{template "head" "交易結果"}}
<h1 id="result-title">{{.Title}}</h1>
{{with .T}}<table><tr><th>特店訂單編號</th><td>{{.MerchantTradeNo}}</td></tr><tr><th>金額</th><td>NT$ {{.Amount}}</td></tr>
{{if eq .Method "ATM"}}<tr><th>銀行代碼</th><td id="atm-bank-code">{{.BankCode}}</td></tr><tr><th>虛擬帳號</th><td id="atm-vaccount">{{.VAccount}}</td></tr>{{end}}
{{if eq .Method "CVS"}}<tr><th>繳費代碼</th><td id="cvs-payment-no">{{.PaymentNo}}</td></tr>{{end}}
{{if eq .Method "BARCODE"}}<tr><th>條碼</th><td id="barcodes">{{index .Barcodes 0}}<br>{{index .Barcodes 1}}<br>{{index .Barcodes 2}}</td></tr>{{end}}
{{if .ExpireDate}}<tr><th>繳費期限</th><td id="expire-date">{{.ExpireDate}}</td></tr>{{end}}</table>{{end}}
{{if .Back}}<p><a id="back-to-merchant" href="{{.Back}}">返回商店</a></p>{{end}}{{template "foot"}}{{end}}

{{define "autopost"}}<!doctype html><html lang="zh-Hant"><head><meta charset="utf-8"><title>ECPay</title></head>
<body onload="document.getElementById('result-form').submit()">
<form method="post" action="{{.Action}}" id="result-form">{{range .Fields}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">{{end}}
<noscript><button type="submit" id="continue">繼續 Continue</button></noscript></form></body></html>{{end}}

{{define "index"}}{{template "head" "管理"}}
<h1>ECPay 模擬器</h1><p>時間 <span id="sim-now">{{.Now}}</span> · 待送通知 <span id="sim-pending">{{.Pending}}</span></p>
<form method="post" action="{{.Prefix}}/sim/retry"><button id="sim-retry-now">立即重送通知</button></form>
<form method="post" action="{{.Prefix}}/sim/advance"><input type="hidden" name="hours" value="24"><button id="sim-advance-day">時間前進一天</button></form>
<h2>交易</h2><table id="trades"><tr><th>特店</th><th>訂單編號</th><th>綠界編號</th><th>金額</th><th>方式</th><th>狀態</th><th></th></tr>
{{range .Trades}}<tr><td>{{.MerchantID}}</td><td>{{.MerchantTradeNo}}</td><td>{{.TradeNo}}</td><td>{{.Amount}}</td><td>{{.PaymentType}}</td>
<td>{{.State}}{{if .CardState}} / {{.CardState}}{{end}}{{if .Refunded}} (退 {{.Refunded}}){{end}}</td><td>
{{if eq .State "awaiting"}}<form method="post" action="{{$.Prefix}}/sim/pay"><input type="hidden" name="TradeNo" value="{{.TradeNo}}"><button id="sim-pay-{{.TradeNo}}">顧客付款</button></form>{{end}}
{{if or (eq .State "awaiting") (eq .State "created")}}<form method="post" action="{{$.Prefix}}/sim/simulate"><input type="hidden" name="TradeNo" value="{{.TradeNo}}"><button id="sim-simulate-{{.TradeNo}}">模擬付款</button></form>{{end}}
</td></tr>{{end}}</table>
<h2>通知</h2><table id="deliveries"><tr><th>時間</th><th>種類</th><th>訂單</th><th>次</th><th>回應</th></tr>
{{range .Deliveries}}<tr><td>{{.At.Format "01/02 15:04:05"}}</td><td>{{.Kind}}{{if .Forged}} (偽造){{end}}{{if .Duplicate}} (重複){{end}}</td><td>{{.MerchantTradeNo}}</td><td>{{.Attempt}}</td>
<td>{{if .Dropped}}未送出{{else if .Err}}{{.Err}}{{else}}{{.Status}} {{.Answer}}{{end}}</td></tr>{{end}}</table>
<h2>發票</h2><table id="invoices"><tr><th>特店</th><th>發票號碼</th><th>日期</th><th>金額</th><th>RelateNumber</th><th>狀態</th></tr>
{{range .Invoices}}<tr><td>{{.MerchantID}}</td><td>{{.InvoiceNo}}</td><td>{{.Date.Format "2006-01-02 15:04"}}</td><td>{{.SalesAmount}}</td><td>{{.RelateNumber}}</td><td>{{if .Voided}}已作廢{{else}}已開立{{end}}</td></tr>{{end}}</table>
{{template "foot"}}{{end}}
`))

func render(w http.ResponseWriter, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = pages.ExecuteTemplate(w, name, data)
}

func (s *Sim) pathPrefix() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.prefix
}

func (s *Sim) payerPage(w http.ResponseWriter, t *Trade) {
	render(w, "pay", map[string]any{"T": t, "Prefix": s.pathPrefix(), "Items": strings.Split(t.ItemName, "#")})
}

// errorPage: ECPay shows errors as an HTML page with status 200; the shape
// is not documented (§3.4), so the code and message have stable ids.
func (s *Sim) errorPage(w http.ResponseWriter, code, msg string) {
	render(w, "error", map[string]any{"Code": code, "Msg": msg})
}

func (s *Sim) resultPage(w http.ResponseWriter, t *Trade, title string, _ url.Values) {
	if title == "" {
		switch t.State {
		case StatePaid:
			title = "付款成功"
		case StateFailed:
			title = "付款失敗"
		default:
			title = "取號成功，請於期限內繳費"
		}
	}
	render(w, "result", map[string]any{"T": t, "Title": title, "Back": t.Params.Get("ClientBackURL")})
}

type field struct{ Name, Value string }

// autoPost sends the browser on with a self-submitting form (OrderResultURL
// or ClientRedirectURL, §4.5, §5), with a button when JavaScript is off.
func (s *Sim) autoPost(w http.ResponseWriter, action string, v url.Values) {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fs := make([]field, 0, len(keys))
	for _, k := range keys {
		fs = append(fs, field{k, v.Get(k)})
	}
	render(w, "autopost", map[string]any{"Action": template.URL(action), "Fields": fs})
}

func (s *Sim) index(w http.ResponseWriter, r *http.Request) {
	trades := s.Trades()
	s.mu.Lock()
	invs := make([]Invoice, 0, len(s.invoices))
	for _, i := range s.invoices {
		invs = append(invs, *i)
	}
	data := map[string]any{"Prefix": s.prefix, "Now": s.nowLocked().In(taipei).Format(tradeDateLayout),
		"Pending": len(s.pending), "Trades": trades, "Invoices": invs,
		"Deliveries": append([]Delivery(nil), s.deliveries...)}
	s.mu.Unlock()
	render(w, "index", data)
}

// admin handles the index page's buttons.
func (s *Sim) admin(w http.ResponseWriter, r *http.Request) {
	tradeNo := r.PostFormValue("TradeNo")
	s.mu.Lock()
	var mid, mtn string
	if t := s.byTradeNo[tradeNo]; t != nil {
		mid, mtn = t.MerchantID, t.MerchantTradeNo
	}
	prefix := s.prefix
	s.mu.Unlock()
	var err error
	switch r.PathValue("action") {
	case "pay":
		err = s.Pay(mid, mtn)
	case "simulate":
		err = s.SimulatePay(mid, mtn)
	case "retry":
		s.RetryNow()
	case "advance":
		h, _ := strconv.Atoi(r.PostFormValue("hours"))
		if h <= 0 || h > 24*90 {
			h = 24
		}
		s.Advance(time.Duration(h) * time.Hour)
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.errorPage(w, CodeBadParameter, err.Error())
		return
	}
	http.Redirect(w, r, prefix+"/", http.StatusSeeOther)
}
