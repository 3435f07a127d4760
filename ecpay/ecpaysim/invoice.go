package ecpaysim

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Envelope (TransCode) and business (RtnCode) error codes. ECPay's values
// are not documented (§12.7); these are the simulator's.
const (
	TransBadJSON         = 9000001
	TransUnknownMerchant = 9000002
	TransTimestamp       = 9000003
	TransDecrypt         = 9000004

	RtnParam            = 1100001
	RtnDuplicateRelate  = 1100002
	RtnCarrier          = 1100003
	RtnLoveCode         = 1100004
	RtnIdentifier       = 1100005
	RtnAmount           = 1100006
	RtnInvoiceNotFound  = 1100007
	RtnAlreadyVoided    = 1100008
	RtnUnknownOperation = 1100009
)

// Invoice is an issued invoice.
type Invoice struct {
	MerchantID         string
	InvoiceNo          string
	Date               time.Time
	RandomNumber       string
	RelateNumber       string
	SalesAmount        int64
	CustomerIdentifier string
	CarrierType        string
	CarrierNum         string
	LoveCode           string
	Email              string
	Data               map[string]any // the decrypted request
	Voided             bool
	VoidReason         string
}

// Invoices returns copies of every issued invoice, oldest first.
func (s *Sim) Invoices() []Invoice {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Invoice, 0, len(s.invoices))
	for _, i := range s.invoices {
		out = append(out, *i)
	}
	return out
}

var (
	barcodeRE  = regexp.MustCompile(`^/[0-9A-Z+\-.]{7}$`)
	loveRE     = regexp.MustCompile(`^([xX][0-9]{2,6}|[0-9]{3,7})$`)
	citizenRE  = regexp.MustCompile(`^[A-Z]{2}[0-9]{14}$`)
	relateRE   = regexp.MustCompile(`^[0-9A-Za-z]{1,30}$`)
	identRE    = regexp.MustCompile(`^[0-9]{8}$`)
	invoiceRE  = regexp.MustCompile(`^[A-Z]{2}[0-9]{8}$`)
	invDateRE  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}`)
	envelopeRE = regexp.MustCompile(`^[A-Za-z]+$`)
)

type envelopeIn struct {
	MerchantID string
	RqHeader   struct {
		Timestamp int64
		Revision  string
	}
	Data string
}

// invoice is POST /B2CInvoice/{op} (§9).
func (s *Sim) invoice(w http.ResponseWriter, r *http.Request) {
	op := r.PathValue("op")
	var env envelopeIn
	trans := func(m Merchant, code int, msg string, data map[string]any) {
		out := map[string]any{"PlatformID": "", "MerchantID": env.MerchantID,
			"RpHeader": map[string]any{"Timestamp": s.Now().Unix()}, "TransCode": code, "TransMsg": msg, "Data": ""}
		if data != nil {
			b, _ := json.Marshal(data)
			out["Data"] = encryptData(m, b)
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(out)
	}
	if err := json.NewDecoder(r.Body).Decode(&env); err != nil || !envelopeRE.MatchString(op) {
		trans(Merchant{}, TransBadJSON, "JSON 格式錯誤", nil)
		return
	}
	m, ok := s.invMerchants[env.MerchantID]
	if !ok {
		trans(Merchant{}, TransUnknownMerchant, "MerchantID 錯誤", nil)
		return
	}
	if age := s.Now().Sub(time.Unix(env.RqHeader.Timestamp, 0)); age > 10*time.Minute || age < -10*time.Minute {
		trans(Merchant{}, TransTimestamp, "Timestamp 逾時", nil) // §9.1
		return
	}
	plain, err := decryptData(m, env.Data)
	var data map[string]any
	if err == nil {
		d := json.NewDecoder(strings.NewReader(string(plain)))
		d.UseNumber()
		err = d.Decode(&data)
	}
	if err != nil {
		trans(Merchant{}, TransDecrypt, "Data 解密失敗", nil)
		return
	}
	ok1 := func(res map[string]any) { trans(m, 1, "Success", res) }
	fail := func(code int, msg string) { ok1(map[string]any{"RtnCode": code, "RtnMsg": msg}) }
	if str(data, "MerchantID") != m.ID {
		fail(RtnParam, "MerchantID 與外層不一致")
		return
	}
	switch op {
	case "Issue":
		res, code, msg := s.issue(m, data)
		if code != 1 {
			fail(code, msg)
			return
		}
		ok1(res)
	case "Invalid":
		code, msg := s.voidInvoice(m, data)
		if code != 1 {
			fail(code, msg)
			return
		}
		ok1(map[string]any{"RtnCode": 1, "RtnMsg": "作廢發票成功", "InvoiceNo": str(data, "InvoiceNo")})
	case "CheckBarcode":
		b := str(data, "BarCode")
		exist := barcodeRE.MatchString(b) && (s.barcodes == nil || s.barcodes[b])
		ok1(map[string]any{"RtnCode": 1, "RtnMsg": "執行成功", "IsExist": yn(exist)})
	case "CheckLoveCode":
		c := str(data, "LoveCode")
		exist := loveRE.MatchString(c) && (s.loveCodes == nil || s.loveCodes[c])
		ok1(map[string]any{"RtnCode": 1, "RtnMsg": "執行成功", "IsExist": yn(exist)})
	default:
		fail(RtnUnknownOperation, "不支援的操作")
	}
}

func yn(b bool) string {
	if b {
		return "Y"
	}
	return "N"
}

func str(m map[string]any, k string) string {
	switch v := m[k].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	}
	return ""
}

func num(m map[string]any, k string) (float64, bool) {
	f, err := strconv.ParseFloat(str(m, k), 64)
	return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
}

// identifierOK is the 統一編號 checksum (MOF's 2023 divisible-by-5 rule),
// written independently of package ecpay.
func identifierOK(s string) bool {
	if !identRE.MatchString(s) {
		return false
	}
	w := []int{1, 2, 1, 2, 1, 2, 4, 1}
	sum := 0
	for i, c := range s {
		p := int(c-'0') * w[i]
		sum += p/10 + p%10
	}
	return sum%5 == 0 || (s[6] == '7' && (sum+1)%5 == 0)
}

// issue applies the §9.4 rules and allocates a number.
func (s *Sim) issue(m Merchant, d map[string]any) (map[string]any, int, string) {
	rel := str(d, "RelateNumber")
	if !relateRE.MatchString(rel) {
		return nil, RtnParam, "RelateNumber 格式錯誤"
	}
	if str(d, "CustomerPhone") == "" && str(d, "CustomerEmail") == "" {
		return nil, RtnParam, "CustomerPhone 與 CustomerEmail 至少填一項"
	}
	print, donation, ct, cn := str(d, "Print"), str(d, "Donation"), str(d, "CarrierType"), str(d, "CarrierNum")
	ident := str(d, "CustomerIdentifier")
	if (print != "0" && print != "1") || (donation != "0" && donation != "1") {
		return nil, RtnParam, "Print / Donation 錯誤"
	}
	if ident != "" {
		switch {
		case !identifierOK(ident):
			return nil, RtnIdentifier, "統一編號格式錯誤"
		case print != "1" || donation != "0" || ct != "":
			return nil, RtnIdentifier, "有統一編號時須列印、不可捐贈、不可使用載具"
		}
	}
	if print == "1" && (str(d, "CustomerName") == "" || str(d, "CustomerAddr") == "") {
		return nil, RtnParam, "列印發票須填 CustomerName 與 CustomerAddr"
	}
	if donation == "1" {
		switch {
		case !loveRE.MatchString(str(d, "LoveCode")):
			return nil, RtnLoveCode, "LoveCode 格式錯誤"
		case print == "1" || ct != "":
			return nil, RtnLoveCode, "捐贈發票不可列印或使用載具"
		}
	}
	switch ct {
	case "":
		if cn != "" {
			return nil, RtnCarrier, "未指定載具類別"
		}
	case "1":
		if cn != "" {
			return nil, RtnCarrier, "綠界載具不可填 CarrierNum"
		}
	case "2":
		if !citizenRE.MatchString(cn) {
			return nil, RtnCarrier, "自然人憑證格式錯誤"
		}
	case "3":
		if !barcodeRE.MatchString(cn) {
			return nil, RtnCarrier, "手機條碼格式錯誤"
		}
	default:
		return nil, RtnCarrier, "CarrierType 錯誤"
	}
	if ct != "" && print == "1" {
		return nil, RtnCarrier, "使用載具時不可列印"
	}
	if !strings.Contains("1239", str(d, "TaxType")) || len(str(d, "TaxType")) != 1 {
		return nil, RtnParam, "TaxType 錯誤"
	}
	if it := str(d, "InvType"); it != "07" && it != "08" {
		return nil, RtnParam, "InvType 錯誤"
	}
	sales, ok := num(d, "SalesAmount")
	if !ok || sales <= 0 || sales != math.Trunc(sales) {
		return nil, RtnAmount, "SalesAmount 錯誤"
	}
	items, _ := d["Items"].([]any)
	if len(items) == 0 {
		return nil, RtnParam, "Items 不可為空"
	}
	var total float64
	for _, x := range items {
		it, _ := x.(map[string]any)
		name := str(it, "ItemName")
		cnt, ok1 := num(it, "ItemCount")
		price, ok2 := num(it, "ItemPrice")
		amt, ok3 := num(it, "ItemAmount")
		if it == nil || name == "" || utf8.RuneCountInString(name) > 100 || str(it, "ItemWord") == "" || !ok1 || !ok2 || !ok3 || cnt <= 0 {
			return nil, RtnParam, "Items 欄位錯誤"
		}
		if math.Abs(math.Round(cnt*price)-amt) > 0.5 {
			return nil, RtnAmount, "ItemAmount 不等於 ItemCount × ItemPrice"
		}
		total += amt
	}
	if math.Round(total) != sales {
		return nil, RtnAmount, "SalesAmount 不等於 ItemAmount 合計"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := m.ID + "/" + rel
	if s.relate[key] != nil {
		return nil, RtnDuplicateRelate, "RelateNumber 重複"
	}
	s.invSeq[m.ID]++
	now := s.nowLocked()
	inv := &Invoice{MerchantID: m.ID, InvoiceNo: fmt.Sprintf("%s%08d", s.o.InvoiceTrack, 10000000+s.invSeq[m.ID]),
		Date: now, RandomNumber: fmt.Sprintf("%04d", rand.IntN(10000)), RelateNumber: rel, SalesAmount: int64(sales),
		CustomerIdentifier: ident, CarrierType: ct, CarrierNum: cn, LoveCode: str(d, "LoveCode"),
		Email: str(d, "CustomerEmail"), Data: d}
	s.invoices = append(s.invoices, inv)
	s.relate[key] = inv
	return map[string]any{"RtnCode": 1, "RtnMsg": "開立發票成功", "InvoiceNo": inv.InvoiceNo,
		"InvoiceDate": now.In(taipei).Format(invoiceDateLayout), "RandomNumber": inv.RandomNumber}, 1, ""
}

func (s *Sim) voidInvoice(m Merchant, d map[string]any) (int, string) {
	no, date, reason := str(d, "InvoiceNo"), str(d, "InvoiceDate"), str(d, "Reason")
	if !invoiceRE.MatchString(no) || !invDateRE.MatchString(date) || strings.TrimSpace(reason) == "" {
		return RtnParam, "InvoiceNo / InvoiceDate / Reason 錯誤"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, inv := range s.invoices {
		if inv.MerchantID != m.ID || inv.InvoiceNo != no {
			continue
		}
		if inv.Date.In(taipei).Format("2006-01-02") != date[:10] {
			return RtnInvoiceNotFound, "發票日期不符"
		}
		if inv.Voided {
			return RtnAlreadyVoided, "發票已作廢"
		}
		inv.Voided, inv.VoidReason = true, reason
		return 1, ""
	}
	return RtnInvoiceNotFound, "查無發票"
}
