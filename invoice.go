package daoyue

import (
	"context"
	"strings"
	"time"
)

// ProviderECPayInvoice is a studio's ECPay e-invoice (電子發票) merchant, a
// payment_accounts row of its own: ECPay's invoice service has its own
// MerchantID, HashKey and HashIV, apart from the payment ones.
const ProviderECPayInvoice PaymentProvider = "ecpay_invoice"

// InvoiceKind is the client's choice, made at booking, of where a B2C
// e-invoice goes (PRODUCT.md, Payments).
type InvoiceKind string

const (
	// InvoiceMember is the default: ECPay's member carrier (綠界載具, keyed
	// by the client's email). ECPay emails the invoice; it enters the
	// lottery; nothing is printed.
	InvoiceMember InvoiceKind = "member"
	// InvoiceMobile is the client's mobile barcode carrier (手機條碼, /XXXXXXX).
	InvoiceMobile InvoiceKind = "mobile"
	// InvoiceDonate donates the invoice to a charity by its love code (愛心碼).
	InvoiceDonate InvoiceKind = "donation"
	// InvoiceCompany is an invoice to a company's 統一編號, printed by ECPay
	// with the company's name and address.
	InvoiceCompany InvoiceKind = "company"
)

// InvoiceChoice is what the client chose at booking.
type InvoiceChoice struct {
	Kind        InvoiceKind
	Carrier     string // InvoiceMobile: the barcode
	LoveCode    string // InvoiceDonate
	BusinessID  string // InvoiceCompany: 統一編號
	CompanyName string // InvoiceCompany
	CompanyAddr string // InvoiceCompany
}

// Normalize trims the choice, upper-cases a barcode, and clears what the
// kind does not use; an empty kind is the default.
func (c InvoiceChoice) Normalize() InvoiceChoice {
	out := InvoiceChoice{Kind: InvoiceKind(strings.TrimSpace(string(c.Kind)))}
	if out.Kind == "" || out.Kind == "default" {
		out.Kind = InvoiceMember
	}
	switch out.Kind {
	case InvoiceMobile:
		out.Carrier = strings.ToUpper(strings.TrimSpace(c.Carrier))
	case InvoiceDonate:
		out.LoveCode = strings.TrimSpace(c.LoveCode)
	case InvoiceCompany:
		out.BusinessID = strings.TrimSpace(c.BusinessID)
		out.CompanyName = strings.TrimSpace(c.CompanyName)
		out.CompanyAddr = strings.TrimSpace(c.CompanyAddr)
	}
	return out
}

// InvoiceState is where a booking's invoice stands.
type InvoiceState string

const (
	InvoiceRequested   InvoiceState = "requested"    // chosen at booking; waits for the payment
	InvoicePending     InvoiceState = "pending"      // paid: the invoice job issues it
	InvoiceIssued      InvoiceState = "issued"       // ECPay issued it (Number, IssuedAt)
	InvoiceFailed      InvoiceState = "failed"       // ECPay refused it: the studio acts (Error)
	InvoiceVoidPending InvoiceState = "void_pending" // refunded in full: the job voids it
	InvoiceVoided      InvoiceState = "voided"       // voided (作廢) at ECPay
	InvoiceCancelled   InvoiceState = "cancelled"    // refunded before it was issued: nothing to issue
)

// An Invoice is a booking's B2C e-invoice: the client's choice, then what
// ECPay answered. One per booking (a booking is paid once; a second
// payment is owed back, not invoiced).
type Invoice struct {
	WorkspaceID string
	BookingID   string
	Choice      InvoiceChoice
	State       InvoiceState
	// RelateNumber is our reference at ECPay (unique per studio's
	// merchant): it makes issuing idempotent.
	RelateNumber string
	Amount       int64 // NT$, tax included
	Number       string
	RandomNumber string
	IssuedAt     *time.Time
	// Attempts and NextAttemptAt drive the job's retries with backoff.
	Attempts      int
	NextAttemptAt *time.Time
	// Error is ECPay's message of the last failure; ErrorKind names the fix
	// the studio is shown (carrier, love_code, business_id, keys,
	// duplicate, unavailable).
	Error     string
	ErrorKind string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Due reports whether the invoice job has work on it.
func (i *Invoice) Due() bool { return i.State == InvoicePending || i.State == InvoiceVoidPending }

// InvoiceStore keeps bookings' invoices.
type InvoiceStore interface {
	// PutInvoice creates or replaces the booking's invoice.
	PutInvoice(ctx context.Context, inv *Invoice) error
	// Invoice is the booking's invoice (ENOTFOUND when none).
	Invoice(ctx context.Context, workspaceID, bookingID string) (*Invoice, error)
	// DueInvoices lists invoices to issue or void whose next attempt is at
	// or before now, oldest first.
	DueInvoices(ctx context.Context, now time.Time, limit int) ([]*Invoice, error)
}
