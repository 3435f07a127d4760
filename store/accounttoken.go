package store

import (
	"context"
	"time"

	"github.com/daoyue/daoyue"
)

func accountTokenRow(a *daoyue.AccountToken) []column {
	return []column{{"hash", a.Hash}, {"purpose", a.Purpose}, {"user_id", a.UserID},
		{"created_at", unix(a.CreatedAt)}, {"expires_at", unix(a.ExpiresAt)}}
}

var accountTokenCols = columnNames(accountTokenRow(&daoyue.AccountToken{}), "")

func scanAccountToken(s scanner) (*daoyue.AccountToken, error) {
	var a daoyue.AccountToken
	var created, expires int64
	if err := s.Scan(&a.Hash, &a.Purpose, &a.UserID, &created, &expires); err != nil {
		return nil, err
	}
	a.CreatedAt, a.ExpiresAt = fromUnix(created), fromUnix(expires)
	return &a, nil
}

func (t *tx) CreateAccountToken(ctx context.Context, a *daoyue.AccountToken) error {
	q, args := insert("account_tokens", accountTokenRow(a))
	_, err := t.exec(ctx, "create account token", q, args...)
	return err
}

func (t *tx) AccountToken(ctx context.Context, hash, purpose string, now time.Time) (*daoyue.AccountToken, error) {
	a, err := scanAccountToken(t.tx.QueryRowContext(ctx, `SELECT `+accountTokenCols+` FROM account_tokens
		WHERE hash = $1 AND purpose = $2 AND expires_at > $3`, hash, purpose, unix(now)))
	return a, t.db.wrap("account token", err)
}

func (t *tx) TakeAccountToken(ctx context.Context, hash, purpose string, now time.Time) (*daoyue.AccountToken, error) {
	a, err := scanAccountToken(t.tx.QueryRowContext(ctx, `DELETE FROM account_tokens
		WHERE hash = $1 AND purpose = $2 AND expires_at > $3 RETURNING `+accountTokenCols, hash, purpose, unix(now)))
	return a, t.db.wrap("take account token", err)
}

func (t *tx) DeleteAccountTokens(ctx context.Context, userID, purpose string) error {
	_, err := t.exec(ctx, "delete account tokens", `DELETE FROM account_tokens WHERE user_id = $1 AND purpose = $2`, userID, purpose)
	return err
}
