package daoyue

import (
	"context"
	"time"
)

// A PaymentAccount is a studio's own account at a payment provider: for
// ECPay its MerchantID and the HashKey/HashIV that sign checkouts and
// notifications. The keys are sealed with the app keyring, bound to the
// row (see app/ecpay.go), and never shown again once entered.
type PaymentAccount struct {
	WorkspaceID   string
	Provider      PaymentProvider
	MerchantID    string
	HashKeySealed string
	HashIVSealed  string
	Enabled       bool
	UpdatedAt     time.Time
}

// Ready reports whether checkouts may be offered: enabled with a merchant
// and both keys.
func (p *PaymentAccount) Ready() bool {
	return p != nil && p.Enabled && p.MerchantID != "" && p.HashKeySealed != "" && p.HashIVSealed != ""
}

// PaymentAccountStore keeps studios' provider accounts.
type PaymentAccountStore interface {
	// PaymentAccount is the studio's account at provider (ENOTFOUND when none).
	PaymentAccount(ctx context.Context, workspaceID string, provider PaymentProvider) (*PaymentAccount, error)
	PutPaymentAccount(ctx context.Context, a *PaymentAccount) error
}
