package ecpay

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// EncryptData builds an e-invoice Data field (§9.2): base64 of
// AES-128-CBC/PKCS7 (key HashKey, IV HashIV) over urlencode(plaintext).
// The encoding is plain PHP urlencode: no lower-casing, no .NET reversal.
func EncryptData(cred Credentials, plaintext []byte) (string, error) {
	block, err := invoiceCipher(cred)
	if err != nil {
		return "", err
	}
	p := []byte(strings.ReplaceAll(url.QueryEscape(string(plaintext)), "~", "%7E"))
	pad := aes.BlockSize - len(p)%aes.BlockSize
	p = append(p, bytes.Repeat([]byte{byte(pad)}, pad)...)
	cipher.NewCBCEncrypter(block, []byte(cred.HashIV)).CryptBlocks(p, p)
	return base64.StdEncoding.EncodeToString(p), nil
}

// DecryptData reverses EncryptData: base64 → AES-128-CBC → unpad →
// form-decode ('+' is a space, §9.5).
func DecryptData(cred Credentials, data string) ([]byte, error) {
	block, err := invoiceCipher(cred)
	if err != nil {
		return nil, err
	}
	c, err := base64.StdEncoding.DecodeString(data)
	if err != nil || len(c) == 0 || len(c)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%w: Data is not AES ciphertext", ErrMalformed)
	}
	cipher.NewCBCDecrypter(block, []byte(cred.HashIV)).CryptBlocks(c, c)
	pad := int(c[len(c)-1])
	if pad == 0 || pad > aes.BlockSize {
		return nil, fmt.Errorf("%w: Data padding", ErrMalformed)
	}
	for _, b := range c[len(c)-pad:] {
		if int(b) != pad {
			return nil, fmt.Errorf("%w: Data padding", ErrMalformed)
		}
	}
	s, err := url.QueryUnescape(string(c[:len(c)-pad]))
	if err != nil {
		return nil, fmt.Errorf("%w: Data is not url-encoded", ErrMalformed)
	}
	return []byte(s), nil
}

func invoiceCipher(cred Credentials) (cipher.Block, error) {
	if len(cred.HashKey) != 16 || len(cred.HashIV) != 16 {
		return nil, fmt.Errorf("%w: e-invoice HashKey and HashIV must be 16 bytes", ErrInvalid)
	}
	return aes.NewCipher([]byte(cred.HashKey))
}

// flexInt reads a JSON number or a numeric string (ECPay sends numbers,
// §9.3; some fields have been seen as strings).
type flexInt int

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*f = 0
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("not a number")
	}
	*f = flexInt(n)
	return nil
}

type rqHeader struct {
	Timestamp int64
	Revision  string
}

type envelope struct {
	MerchantID string
	RqHeader   rqHeader
	Data       string
}

type answerEnvelope struct {
	MerchantID string
	TransCode  flexInt
	TransMsg   string
	Data       string
}

type rtn struct {
	RtnCode flexInt
	RtnMsg  string
}

// invoiceCall sends data (a struct with MerchantID) to /B2CInvoice/<op> and
// decodes the decrypted answer into out, which must embed rtn's fields.
func (c *Client) invoiceCall(ctx context.Context, cred Credentials, op string, data any, out any) error {
	plain, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("ecpay %s: %w", op, err)
	}
	enc, err := EncryptData(cred, plain)
	if err != nil {
		return err
	}
	body, _ := json.Marshal(envelope{MerchantID: cred.MerchantID,
		RqHeader: rqHeader{Timestamp: c.now().Unix(), Revision: "3.0.0"}, Data: enc})
	b, err := c.post(ctx, op, c.cfg.InvoiceURL+"/B2CInvoice/"+op, "application/json", string(body))
	if err != nil {
		return err
	}
	var a answerEnvelope
	if err := json.Unmarshal(b, &a); err != nil {
		return fmt.Errorf("ecpay %s: %w: answer is not JSON", op, ErrMalformed)
	}
	if a.TransCode != 1 {
		return &TransError{Op: op, Code: int(a.TransCode), Msg: a.TransMsg}
	}
	dec, err := DecryptData(cred, a.Data)
	if err != nil {
		return fmt.Errorf("ecpay %s: %w", op, err)
	}
	var r rtn
	if err := json.Unmarshal(dec, &r); err != nil {
		return fmt.Errorf("ecpay %s: %w: Data is not JSON", op, ErrMalformed)
	}
	if r.RtnCode != 1 {
		return &RtnError{Op: op, Code: int(r.RtnCode), Msg: r.RtnMsg}
	}
	if out != nil {
		if err := json.Unmarshal(dec, out); err != nil {
			return fmt.Errorf("ecpay %s: %w: Data fields", op, ErrMalformed)
		}
	}
	return nil
}

// CarrierType is where an invoice is kept (§9.4).
type CarrierType string

const (
	CarrierNone    CarrierType = ""  // no carrier (donation, or printed)
	CarrierECPay   CarrierType = "1" // ECPay member carrier, keyed by e-mail/phone
	CarrierCitizen CarrierType = "2" // 自然人憑證: 2 letters + 14 digits
	CarrierMobile  CarrierType = "3" // 手機條碼: "/XXXXXXX"
)

// Invoice is a B2C invoice to issue for a paid booking. Tax type 1 (應稅),
// InvType 07 and tax-included prices are fixed: what a studio needs.
// Exactly one of: a carrier, a donation (LoveCode), or a 統一編號 (printed).
type Invoice struct {
	// RelateNumber: your unique reference, ≤ 30 letters and digits.
	RelateNumber  string
	CustomerID    string
	CustomerEmail string // CustomerEmail or CustomerPhone is required
	CustomerPhone string
	// BusinessID is the buyer's 統一編號 (B2B). ECPay then prints the
	// invoice, which needs CustomerName (company) and CustomerAddr.
	BusinessID   string
	CustomerName string
	CustomerAddr string
	// LoveCode donates the invoice to that charity.
	LoveCode    string
	CarrierType CarrierType
	CarrierNum  string
	Remark      string
	Items       []InvoiceItem
}

// InvoiceItem is one line; amounts in NT$, tax included.
type InvoiceItem struct {
	Name  string
	Count int64
	Word  string // unit, e.g. 堂
	Price int64
}

// Total is the sum of the items' amounts (SalesAmount).
func (inv Invoice) Total() int64 {
	var t int64
	for _, it := range inv.Items {
		t += it.Count * it.Price
	}
	return t
}

var relateNumberRE = regexp.MustCompile(`^[0-9A-Za-z]{1,30}$`)

// Validate applies ECPay's Issue rules (§9.4) locally, so a booking form
// can refuse a bad carrier before payment.
func (inv Invoice) Validate() error {
	bad := func(s string) error { return fmt.Errorf("%w: %s", ErrInvalid, s) }
	switch {
	case !relateNumberRE.MatchString(inv.RelateNumber):
		return bad("RelateNumber must be 1-30 letters and digits")
	case inv.CustomerEmail == "" && inv.CustomerPhone == "":
		return bad("CustomerEmail or CustomerPhone is required")
	case len(inv.Items) == 0:
		return bad("at least one item")
	}
	chosen := 0
	if inv.BusinessID != "" {
		chosen++
		if !ValidBusinessID(inv.BusinessID) {
			return bad("BusinessID is not a valid 統一編號")
		}
		if strings.TrimSpace(inv.CustomerName) == "" || strings.TrimSpace(inv.CustomerAddr) == "" {
			return bad("a 統一編號 invoice needs the company name and address")
		}
	}
	if inv.LoveCode != "" {
		chosen++
		if !ValidLoveCode(inv.LoveCode) {
			return bad("LoveCode must be 3-7 digits")
		}
	}
	switch inv.CarrierType {
	case CarrierNone:
		if inv.CarrierNum != "" {
			return bad("CarrierNum without CarrierType")
		}
	case CarrierECPay:
		chosen++
		if inv.CarrierNum != "" {
			return bad("the ECPay carrier takes no CarrierNum")
		}
	case CarrierMobile:
		chosen++
		if !ValidMobileBarcode(inv.CarrierNum) {
			return bad("mobile barcode must be / and 7 characters of 0-9 A-Z + - .")
		}
	case CarrierCitizen:
		chosen++
		if !ValidCitizenCertificate(inv.CarrierNum) {
			return bad("citizen certificate must be 2 letters and 14 digits")
		}
	default:
		return bad("unknown CarrierType")
	}
	if chosen != 1 {
		return bad("choose exactly one of carrier, donation and 統一編號")
	}
	for _, it := range inv.Items {
		if strings.TrimSpace(it.Name) == "" || utf8.RuneCountInString(it.Name) > 100 || it.Count <= 0 || it.Price < 0 || it.Word == "" {
			return bad("items need a name, a unit, a positive count and a price")
		}
	}
	if inv.Total() <= 0 {
		return bad("invoice total must be positive")
	}
	return nil
}

type issueItem struct {
	ItemSeq     int
	ItemName    string
	ItemCount   int64
	ItemWord    string
	ItemPrice   int64
	ItemTaxType string
	ItemAmount  int64
}

type issueData struct {
	MerchantID         string
	RelateNumber       string
	CustomerID         string
	CustomerIdentifier string
	CustomerName       string
	CustomerAddr       string
	CustomerPhone      string
	CustomerEmail      string
	Print              string
	Donation           string
	LoveCode           string
	CarrierType        string
	CarrierNum         string
	TaxType            string
	SalesAmount        int64
	InvoiceRemark      string
	InvType            string
	Vat                string `json:"vat"`
	Items              []issueItem
}

// IssuedInvoice is ECPay's answer to Issue (§9.5).
type IssuedInvoice struct {
	InvoiceNo    string // 2 letters + 8 digits
	InvoiceDate  time.Time
	RandomNumber string // 4-digit 隨機碼
}

// IssueInvoice issues inv (POST /B2CInvoice/Issue). A refused envelope is a
// *TransError; a refused invoice (duplicate RelateNumber, bad carrier, …) is
// a *RtnError.
func (c *Client) IssueInvoice(ctx context.Context, cred Credentials, inv Invoice) (*IssuedInvoice, error) {
	if err := inv.Validate(); err != nil {
		return nil, err
	}
	d := issueData{
		MerchantID: cred.MerchantID, RelateNumber: inv.RelateNumber, CustomerID: inv.CustomerID,
		CustomerIdentifier: inv.BusinessID, CustomerPhone: inv.CustomerPhone, CustomerEmail: inv.CustomerEmail,
		Print: "0", Donation: "0", CarrierType: string(inv.CarrierType), CarrierNum: inv.CarrierNum,
		TaxType: "1", SalesAmount: inv.Total(), InvoiceRemark: inv.Remark, InvType: "07", Vat: "1",
	}
	switch {
	case inv.BusinessID != "":
		d.Print, d.CustomerName, d.CustomerAddr = "1", inv.CustomerName, inv.CustomerAddr
	case inv.LoveCode != "":
		d.Donation, d.LoveCode = "1", inv.LoveCode
	}
	if d.CustomerName == "" {
		d.CustomerName = inv.CustomerName
	}
	for i, it := range inv.Items {
		d.Items = append(d.Items, issueItem{ItemSeq: i + 1, ItemName: it.Name, ItemCount: it.Count, ItemWord: it.Word,
			ItemPrice: it.Price, ItemTaxType: "1", ItemAmount: it.Count * it.Price})
	}
	var out struct {
		InvoiceNo    string
		InvoiceDate  string
		RandomNumber string
	}
	if err := c.invoiceCall(ctx, cred, "Issue", d, &out); err != nil {
		return nil, err
	}
	date, err := parseTaipei(out.InvoiceDate)
	if err != nil || len(out.InvoiceNo) != 10 {
		return nil, fmt.Errorf("ecpay Issue: %w: InvoiceNo or InvoiceDate", ErrMalformed)
	}
	return &IssuedInvoice{InvoiceNo: out.InvoiceNo, InvoiceDate: date, RandomNumber: out.RandomNumber}, nil
}

// VoidInvoice voids (作廢) an issued invoice (POST /B2CInvoice/Invalid).
// issued is the InvoiceDate ECPay returned; reason is shown to the tax
// platform (≤ 20 characters is safe).
func (c *Client) VoidInvoice(ctx context.Context, cred Credentials, invoiceNo string, issued time.Time, reason string) error {
	if len(invoiceNo) != 10 || strings.TrimSpace(reason) == "" {
		return fmt.Errorf("%w: VoidInvoice needs an invoice number and a reason", ErrInvalid)
	}
	d := struct {
		MerchantID  string
		InvoiceNo   string
		InvoiceDate string
		Reason      string
	}{cred.MerchantID, invoiceNo, issued.In(taipei).Format("2006-01-02"), reason}
	return c.invoiceCall(ctx, cred, "Invalid", d, nil)
}

// CheckBarcode asks whether a mobile barcode is registered (IsExist).
func (c *Client) CheckBarcode(ctx context.Context, cred Credentials, barcode string) (bool, error) {
	if !ValidMobileBarcode(barcode) {
		return false, fmt.Errorf("%w: not a mobile barcode", ErrInvalid)
	}
	var out struct{ IsExist string }
	err := c.invoiceCall(ctx, cred, "CheckBarcode", struct{ MerchantID, BarCode string }{cred.MerchantID, barcode}, &out)
	return out.IsExist == "Y", err
}

// CheckLoveCode asks whether a love code belongs to a charity (IsExist).
func (c *Client) CheckLoveCode(ctx context.Context, cred Credentials, code string) (bool, error) {
	if !ValidLoveCode(code) {
		return false, fmt.Errorf("%w: not a love code", ErrInvalid)
	}
	var out struct{ IsExist string }
	err := c.invoiceCall(ctx, cred, "CheckLoveCode", struct{ MerchantID, LoveCode string }{cred.MerchantID, code}, &out)
	return out.IsExist == "Y", err
}
