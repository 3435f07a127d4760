package store

import (
	"context"

	"github.com/daoyue/daoyue"
)

func (t *tx) PaymentAccount(ctx context.Context, workspaceID string, provider daoyue.PaymentProvider) (*daoyue.PaymentAccount, error) {
	var a daoyue.PaymentAccount
	var updated int64
	err := t.tx.QueryRowContext(ctx, `SELECT workspace_id, provider, merchant_id, hash_key_sealed, hash_iv_sealed, enabled, updated_at
		FROM payment_accounts WHERE workspace_id = $1 AND provider = $2`, workspaceID, string(provider)).
		Scan(&a.WorkspaceID, &a.Provider, &a.MerchantID, &a.HashKeySealed, &a.HashIVSealed, &a.Enabled, &updated)
	if err != nil {
		return nil, t.db.wrap("payment account", err)
	}
	a.UpdatedAt = fromUnix(updated)
	return &a, nil
}

func (t *tx) PutPaymentAccount(ctx context.Context, a *daoyue.PaymentAccount) error {
	_, err := t.exec(ctx, "put payment account", `INSERT INTO payment_accounts
		(workspace_id, provider, merchant_id, hash_key_sealed, hash_iv_sealed, enabled, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (workspace_id, provider) DO UPDATE SET merchant_id = excluded.merchant_id,
		hash_key_sealed = excluded.hash_key_sealed, hash_iv_sealed = excluded.hash_iv_sealed,
		enabled = excluded.enabled, updated_at = excluded.updated_at`,
		a.WorkspaceID, string(a.Provider), a.MerchantID, a.HashKeySealed, a.HashIVSealed, a.Enabled, unix(a.UpdatedAt))
	return err
}
