package store

import (
	"context"
	"time"

	"github.com/daoyue/daoyue"
)

func (t *tx) CreateAuthToken(ctx context.Context, a *daoyue.AuthToken) error {
	_, err := t.exec(ctx, "create auth token",
		`INSERT INTO auth_tokens (hash, user_id, kind, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		a.Hash, a.UserID, a.Kind, unix(a.CreatedAt), unix(a.ExpiresAt))
	return err
}

// AuthToken returns the token with that hash unless it has expired
// (expires_at <= now), which is ENOTFOUND like a missing one.
func (t *tx) AuthToken(ctx context.Context, hash string, now time.Time) (*daoyue.AuthToken, error) {
	var a daoyue.AuthToken
	var created, expires int64
	err := t.tx.QueryRowContext(ctx,
		`SELECT hash, user_id, kind, created_at, expires_at FROM auth_tokens WHERE hash = $1 AND expires_at > $2`,
		hash, unix(now)).Scan(&a.Hash, &a.UserID, &a.Kind, &created, &expires)
	if err != nil {
		return nil, t.db.wrap("auth token", err)
	}
	a.CreatedAt, a.ExpiresAt = fromUnix(created), fromUnix(expires)
	return &a, nil
}

// DeleteAuthToken removes a token (signing out twice is no error).
func (t *tx) DeleteAuthToken(ctx context.Context, hash string) error {
	_, err := t.exec(ctx, "delete auth token", `DELETE FROM auth_tokens WHERE hash = $1`, hash)
	return err
}

func (t *tx) DeleteExpiredAuthTokens(ctx context.Context, now time.Time) error {
	_, err := t.exec(ctx, "delete expired auth tokens", `DELETE FROM auth_tokens WHERE expires_at <= $1`, unix(now))
	return err
}
