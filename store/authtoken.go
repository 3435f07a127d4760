package store

import (
	"context"
	"time"

	"github.com/daoyue/daoyue"
)

// authTokenRow is the stored row of a: its columns in the order
// scanAuthToken reads them, with their values.
func authTokenRow(a *daoyue.AuthToken) []column {
	return []column{{"hash", a.Hash}, {"user_id", a.UserID}, {"kind", a.Kind}, {"created_at", unix(a.CreatedAt)},
		{"expires_at", unix(a.ExpiresAt)}, {"id", a.ID}, {"name", a.Name}, {"last_used_at", unixOrZero(a.LastUsedAt)},
		{"last_used_from", a.LastUsedFrom}}
}

var authTokenCols = columnNames(authTokenRow(&daoyue.AuthToken{}), "")

func scanAuthToken(s scanner) (*daoyue.AuthToken, error) {
	var a daoyue.AuthToken
	var created, expires, used int64
	if err := s.Scan(&a.Hash, &a.UserID, &a.Kind, &created, &expires, &a.ID, &a.Name, &used, &a.LastUsedFrom); err != nil {
		return nil, err
	}
	a.CreatedAt, a.ExpiresAt = fromUnix(created), fromUnix(expires)
	if used > 0 {
		a.LastUsedAt = fromUnix(used)
	}
	return &a, nil
}

func (t *tx) CreateAuthToken(ctx context.Context, a *daoyue.AuthToken) error {
	if a.ID == "" {
		a.ID = daoyue.NewID("at")
	}
	q, args := insert("auth_tokens", authTokenRow(a))
	_, err := t.exec(ctx, "create auth token", q, args...)
	return err
}

// AuthToken returns the token with that hash unless it has expired
// (expires_at <= now), which is ENOTFOUND like a missing one.
func (t *tx) AuthToken(ctx context.Context, hash string, now time.Time) (*daoyue.AuthToken, error) {
	a, err := scanAuthToken(t.tx.QueryRowContext(ctx,
		`SELECT `+authTokenCols+` FROM auth_tokens WHERE hash = $1 AND expires_at > $2`, hash, unix(now)))
	return a, t.db.wrap("auth token", err)
}

func (t *tx) ListAuthTokens(ctx context.Context, userID string, now time.Time) ([]*daoyue.AuthToken, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT `+authTokenCols+` FROM auth_tokens WHERE user_id = $1 AND expires_at > $2
		ORDER BY created_at DESC, id`, userID, unix(now))
	if err != nil {
		return nil, t.db.wrap("list auth tokens", err)
	}
	defer rows.Close()
	var out []*daoyue.AuthToken
	for rows.Next() {
		a, err := scanAuthToken(rows)
		if err != nil {
			return nil, t.db.wrap("list auth tokens", err)
		}
		out = append(out, a)
	}
	return out, t.db.wrap("list auth tokens", rows.Err())
}

func (t *tx) DeleteUserAuthToken(ctx context.Context, userID, id string) error {
	return t.execOne(ctx, "delete auth token", `DELETE FROM auth_tokens WHERE user_id = $1 AND id = $2`, userID, id)
}

func (t *tx) TouchAuthToken(ctx context.Context, hash string, at time.Time, from string) error {
	_, err := t.exec(ctx, "touch auth token", `UPDATE auth_tokens SET last_used_at = $2, last_used_from = $3 WHERE hash = $1`,
		hash, unix(at), from)
	return err
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
