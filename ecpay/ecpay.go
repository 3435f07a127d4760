// Package ecpay is DaoYue's client for ECPay (綠界科技): the AIO checkout
// form (/Cashier/AioCheckOut/V5), verification of the server-to-server
// notifications (ReturnURL payment result, PaymentInfoURL ATM/CVS/BARCODE
// payment info), reconciliation (QueryTradeInfo/V5), credit-card
// capture/refund/cancel (/CreditDetail/DoAction) and the B2C e-invoice API
// (Issue, Invalid, CheckBarcode, CheckLoveCode) with its JSON+AES envelope.
//
// The behaviour follows /work/shared/ecpay-api.md; section numbers (§) in
// comments refer to it. The client is stateless and multi-tenant: every call
// takes the studio's Credentials, because each studio brings its own ECPay
// merchant (and, separately, its own e-invoice merchant).
//
// Money: every amount is an int64 in minor units of the currency. ECPay only
// takes New Taiwan dollars, and TWD has no minor unit in practice (ECPay
// refuses decimals, §3.2), so 1 means NT$1.
//
// Secrets: HashKey and HashIV never appear in errors, logs or String output;
// Credentials implements fmt.Stringer and slog.LogValuer to redact them.
// The package imports only the standard library.
package ecpay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/daoyue/daoyue/internal/outbound"
)

// ECPay's hosts (§1.1).
const (
	StagePaymentURL = "https://payment-stage.ecpay.com.tw"
	ProdPaymentURL  = "https://payment.ecpay.com.tw"
	StageInvoiceURL = "https://einvoice-stage.ecpay.com.tw"
	ProdInvoiceURL  = "https://einvoice.ecpay.com.tw"
)

// Credentials are one merchant's keys. Payment and e-invoice are separate
// ECPay products with separate credentials (§0.1).
type Credentials struct {
	MerchantID string
	HashKey    string
	HashIV     string
}

// String shows the merchant only.
func (c Credentials) String() string { return "ecpay merchant " + c.MerchantID + " (keys redacted)" }

// LogValue keeps the keys out of structured logs.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("merchant_id", c.MerchantID), slog.String("keys", "redacted"))
}

// GoString keeps %#v from printing the keys.
func (c Credentials) GoString() string { return c.String() }

// Public stage credentials published by ECPay (§1.2). Every developer in
// Taiwan shares them: never use them in production, and expect
// MerchantTradeNo collisions on stage.
var (
	StageCredentials        = Credentials{MerchantID: "3002607", HashKey: "pwFHCqoQZGmho4w6", HashIV: "EkRm7iFT261dpevs"}
	StageInvoiceCredentials = Credentials{MerchantID: "2000132", HashKey: "ejCk326UnaZWKisg", HashIV: "q9jcZX8Ib9LM8wYk"}
)

// Config holds ECPay's endpoints and transport settings.
type Config struct {
	// PaymentURL is the AIO base without trailing slash, e.g.
	// StagePaymentURL, ProdPaymentURL or a simulator's URL.
	PaymentURL string
	// InvoiceURL is the e-invoice base, e.g. StageInvoiceURL.
	InvoiceURL string
	// HTTPClient defaults to a client with a 20 s timeout.
	HTTPClient *http.Client
	// Now is the clock for MerchantTradeDate and TimeStamps; default time.Now.
	Now func() time.Time
}

// Client talks to ECPay. It is safe for concurrent use.
type Client struct {
	cfg  Config
	http *http.Client
	now  func() time.Time
}

// New returns a client for cfg.
func New(cfg Config) *Client {
	cfg.PaymentURL = strings.TrimRight(cfg.PaymentURL, "/")
	cfg.InvoiceURL = strings.TrimRight(cfg.InvoiceURL, "/")
	c := &Client{cfg: cfg, http: cfg.HTTPClient, now: cfg.Now}
	if c.http == nil {
		c.http = outbound.Client(20 * time.Second)
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c
}

// taipei is Asia/Taipei. Taiwan has had no daylight saving time since 1979,
// so a fixed +08:00 zone is exact for every date ECPay deals with and needs
// no tzdata in the binary.
var taipei = time.FixedZone("Asia/Taipei", 8*3600)

// Taipei returns Asia/Taipei (UTC+8, no DST).
func Taipei() *time.Location { return taipei }

// ECPay's date layouts.
const (
	tradeDateLayout   = "2006/01/02 15:04:05" // AIO (§3.2)
	invoiceDateLayout = "2006-01-02 15:04:05" // e-invoice (§9.5)
)

// parseTaipei parses an AIO or invoice date in Taipei time; date-only values
// (ATM ExpireDate may be one, §5) give midnight.
func parseTaipei(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range []string{tradeDateLayout, invoiceDateLayout, "2006/01/02", "2006-01-02", "2006/1/2 15:04:05", "2006/1/2"} {
		if t, err := time.ParseInLocation(l, s, taipei); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("ecpay: unreadable date %q", truncate(s, 40))
}

// Errors the package returns; test them with errors.Is.
var (
	// ErrBadCheckMacValue: a notification's or response's CheckMacValue does
	// not match (forged, corrupted, or signed with another merchant's keys).
	ErrBadCheckMacValue = errors.New("ecpay: CheckMacValue mismatch")
	// ErrWrongMerchant: a signed message names another MerchantID.
	ErrWrongMerchant = errors.New("ecpay: message is for another merchant")
	// ErrMalformed: a message lacks required fields or has unreadable ones.
	ErrMalformed = errors.New("ecpay: malformed message")
	// ErrInvalid: a request was refused locally before sending.
	ErrInvalid = errors.New("ecpay: invalid request")
)

// HTTPError is a non-200 answer. ECPay answers 403 to callers that go too
// fast and asks them to wait 30 minutes (§1.3); 500 on the invoice API can
// mean a key mismatch (§9.1).
type HTTPError struct {
	Op     string
	Status int
}

func (e *HTTPError) Error() string { return fmt.Sprintf("ecpay %s: HTTP %d", e.Op, e.Status) }

// RateLimited reports ECPay's "too fast" answer (HTTP 403, wait 30 minutes).
func (e *HTTPError) RateLimited() bool { return e.Status == http.StatusForbidden }

// RtnError is a business refusal: RtnCode != 1 in an AIO answer
// (QueryTradeInfo, DoAction) or in a decrypted e-invoice Data (§9.3 layer 2).
type RtnError struct {
	Op   string
	Code int
	Msg  string
}

func (e *RtnError) Error() string {
	return fmt.Sprintf("ecpay %s: RtnCode %d: %s", e.Op, e.Code, truncate(e.Msg, 200))
}

// TransError is an e-invoice envelope refusal: TransCode != 1 (§9.3 layer
// 1): the MerchantID, RqHeader or Data was not accepted, so no operation ran.
type TransError struct {
	Op   string
	Code int
	Msg  string
}

func (e *TransError) Error() string {
	return fmt.Sprintf("ecpay %s: TransCode %d: %s", e.Op, e.Code, truncate(e.Msg, 200))
}

// post sends a request and returns the body of a 200 answer (capped at 1 MiB).
func (c *Client) post(ctx context.Context, op, u, contentType string, body string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("ecpay %s: %w", op, err)
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := c.http.Do(req)
	if err != nil {
		// A url.Error prints the URL; keep only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("ecpay %s: %w", op, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("ecpay %s: read answer: %w", op, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &HTTPError{Op: op, Status: resp.StatusCode}
	}
	return b, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
