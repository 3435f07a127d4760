package app

import (
	"context"
	"strconv"
	"strings"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/ecpay"
)

// A studio keeps up to two ECPay merchants, the same in shape and rules:
// one for payments (AIO) and one for e-invoices, each with its own
// MerchantID and keys (sealed with the keyring, bound to the studio and the
// merchant's kind).
type merchantKind struct {
	provider   daoyue.PaymentProvider
	field      string // the settings form's field prefix
	action     string // the audit action of a change
	notEnabled string // the error key when it is not set up
}

var (
	paymentMerchant = merchantKind{daoyue.ProviderECPay, "ecpay", "workspace.ecpay_updated", "error.ecpay_not_enabled"}
	invoiceMerchant = merchantKind{daoyue.ProviderECPayInvoice, "invoice", "workspace.invoice_updated", "error.invoice_not_enabled"}
)

// keyContext binds a sealed key to its studio and merchant kind
// ("payment_accounts/<workspace>/ecpay/hash_key").
func (mk merchantKind) keyContext(wsID, which string) string {
	return "payment_accounts/" + wsID + "/" + string(mk.provider) + "/" + which
}

func merchantView(acct *daoyue.PaymentAccount) *ECPayAccountView {
	return &ECPayAccountView{MerchantID: acct.MerchantID, KeySet: acct.HashKeySealed != "", IVSet: acct.HashIVSealed != "", Enabled: acct.Enabled}
}

// merchant returns the studio's merchant of kind mk for its settings page
// (owners and admins).
func (a *App) merchant(ctx context.Context, slug string, mk merchantKind) (*ECPayAccountView, error) {
	var out *ECPayAccountView
	err := a.memberView(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if err := requireManager(m); err != nil {
			return err
		}
		acct, err := tx.PaymentAccount(ctx, ws.ID, mk.provider)
		if daoyue.IsCode(err, daoyue.ENOTFOUND) {
			out = &ECPayAccountView{}
			return nil
		} else if err != nil {
			return err
		}
		out = merchantView(acct)
		return nil
	})
	return out, err
}

// setMerchant stores the studio's merchant of kind mk (owners and admins).
func (a *App) setMerchant(ctx context.Context, slug string, mk merchantKind, c ECPayAccountChanges) (*ECPayAccountView, error) {
	if a.keyring() == nil {
		return nil, daoyue.Errorf(daoyue.ETRANSITION, "error.ecpay_no_keyring")
	}
	var out *ECPayAccountView
	err := a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if err := requireManager(m); err != nil {
			return err
		}
		var err error
		out, err = a.putMerchant(ctx, tx, ws, mk, c)
		return err
	})
	return out, err
}

// seedMerchant gives the workspace slug the merchant c of kind mk unless
// it has one (the development demo, with the simulator's merchants).
func (a *App) seedMerchant(ctx context.Context, slug string, mk merchantKind, c ECPayAccountChanges) error {
	if a.keyring() == nil {
		return daoyue.Errorf(daoyue.ETRANSITION, "error.ecpay_no_keyring")
	}
	ctx = daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorSystem, Label: "demo"})
	return a.Store.Update(ctx, func(tx daoyue.Tx) error {
		ws, err := tx.WorkspaceBySlug(ctx, slug)
		if err != nil {
			return err
		}
		if _, err := tx.PaymentAccount(ctx, ws.ID, mk.provider); !daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return err
		}
		_, err = a.putMerchant(ctx, tx, ws, mk, c)
		return err
	})
}

var merchantIDChars = "0123456789"

// putMerchant checks and stores c: an empty key keeps the stored one (the
// form never shows it); Forget removes the merchant and its keys.
func (a *App) putMerchant(ctx context.Context, tx daoyue.Tx, ws *daoyue.Workspace, mk merchantKind, c ECPayAccountChanges) (*ECPayAccountView, error) {
	k := a.keyring()
	c.MerchantID, c.HashKey, c.HashIV = strings.TrimSpace(c.MerchantID), strings.TrimSpace(c.HashKey), strings.TrimSpace(c.HashIV)
	acct, err := tx.PaymentAccount(ctx, ws.ID, mk.provider)
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		acct, err = &daoyue.PaymentAccount{WorkspaceID: ws.ID, Provider: mk.provider}, nil
	}
	if err != nil {
		return nil, err
	}
	if c.Forget {
		acct.MerchantID, acct.HashKeySealed, acct.HashIVSealed, acct.Enabled = "", "", "", false
	} else {
		f := daoyue.FieldErrors{}
		if c.MerchantID == "" || len(c.MerchantID) > 10 || strings.Trim(c.MerchantID, merchantIDChars) != "" {
			f.Add(mk.field+"_merchant_id", "error.ecpay_merchant_id")
		}
		for name, v := range map[string]string{mk.field + "_hash_key": c.HashKey, mk.field + "_hash_iv": c.HashIV} {
			if v != "" && (len(v) != 16 || strings.ContainsAny(v, " \t\r\n")) {
				f.Add(name, "error.ecpay_key")
			}
		}
		if c.HashKey == "" && acct.HashKeySealed == "" {
			f.Add(mk.field+"_hash_key", "error.required")
		}
		if c.HashIV == "" && acct.HashIVSealed == "" {
			f.Add(mk.field+"_hash_iv", "error.required")
		}
		if err := f.Err(); err != nil {
			return nil, err
		}
		acct.MerchantID, acct.Enabled = c.MerchantID, c.Enabled
		if c.HashKey != "" {
			if acct.HashKeySealed, err = k.Encrypt([]byte(c.HashKey), mk.keyContext(ws.ID, "hash_key")); err != nil {
				return nil, err
			}
		}
		if c.HashIV != "" {
			if acct.HashIVSealed, err = k.Encrypt([]byte(c.HashIV), mk.keyContext(ws.ID, "hash_iv")); err != nil {
				return nil, err
			}
		}
	}
	acct.UpdatedAt = a.now()
	if err := tx.PutPaymentAccount(ctx, acct); err != nil {
		return nil, err
	}
	return merchantView(acct), a.audit(ctx, tx, ws.ID, mk.action, "workspace", ws.ID,
		map[string]string{"merchant_id": acct.MerchantID, "enabled": strconv.FormatBool(acct.Enabled),
			"keys_changed": strconv.FormatBool(c.HashKey != "" || c.HashIV != "" || c.Forget)})
}

// openMerchant opens the keys of a complete merchant account.
func (a *App) openMerchant(acct *daoyue.PaymentAccount, mk merchantKind) (ecpay.Credentials, error) {
	k := a.keyring()
	if k == nil || acct.HashKeySealed == "" || acct.HashIVSealed == "" {
		return ecpay.Credentials{}, daoyue.Errorf(daoyue.ETRANSITION, mk.notEnabled)
	}
	key, err := k.Decrypt(acct.HashKeySealed, mk.keyContext(acct.WorkspaceID, "hash_key"))
	if err != nil {
		return ecpay.Credentials{}, err
	}
	iv, err := k.Decrypt(acct.HashIVSealed, mk.keyContext(acct.WorkspaceID, "hash_iv"))
	if err != nil {
		return ecpay.Credentials{}, err
	}
	return ecpay.Credentials{MerchantID: acct.MerchantID, HashKey: string(key), HashIV: string(iv)}, nil
}
