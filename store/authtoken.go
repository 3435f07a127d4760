package store

import (
	"context"
	"time"

	"github.com/daoyue/daoyue"
)

// authTokenRow is the stored row of a: its columns in the order AuthToken
// scans them, with their values.
func authTokenRow(a *daoyue.AuthToken) []column {
	return []column{{"hash", a.Hash}, {"user_id", a.UserID}, {"kind", a.Kind}, {"created_at", unix(a.CreatedAt)},
		{"expires_at", unix(a.ExpiresAt)}}
}

var authTokenCols = columnNames(authTokenRow(&daoyue.AuthToken{}), "")

func (t *tx) CreateAuthToken(ctx context.Context, a *daoyue.AuthToken) error {
	q, args := insert("auth_tokens", authTokenRow(a))
	_, err := t.exec(ctx, "create auth token", q, args...)
	return err
}

// AuthToken returns the token with that hash unless it has expired
// (expires_at <= now), which is ENOTFOUND like a missing one.
func (t *tx) AuthToken(ctx context.Context, hash string, now time.Time) (*daoyue.AuthToken, error) {
	var a daoyue.AuthToken
	var created, expires int64
	err := t.tx.QueryRowContext(ctx,
		`SELECT `+authTokenCols+` FROM auth_tokens WHERE hash = $1 AND expires_at > $2`,
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

func (t *tx) DeleteUserAuthTokens(ctx context.Context, userID, keep string) error {
	_, err := t.exec(ctx, "delete user auth tokens", `DELETE FROM auth_tokens WHERE user_id = $1 AND hash <> $2`, userID, keep)
	return err
}
