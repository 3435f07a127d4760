package store

import (
	"context"

	"time"

	"github.com/daoyue/daoyue"
)

func (t *tx) CreateClientToken(ctx context.Context, c *daoyue.ClientToken) error {
	q, args := insert("client_tokens", []column{{"hash", c.Hash}, {"kind", c.Kind}, {"workspace_id", c.WorkspaceID},
		{"email", c.Email}, {"created_at", unix(c.CreatedAt)}, {"expires_at", unix(c.ExpiresAt)}})
	_, err := t.exec(ctx, "create client token", q, args...)
	return err
}

const clientTokenCols = `hash, kind, workspace_id, email, created_at, expires_at`

func scanClientToken(s scanner) (*daoyue.ClientToken, error) {
	var c daoyue.ClientToken
	var created, expires int64
	if err := s.Scan(&c.Hash, &c.Kind, &c.WorkspaceID, &c.Email, &created, &expires); err != nil {
		return nil, err
	}
	c.CreatedAt, c.ExpiresAt = fromUnix(created), fromUnix(expires)
	return &c, nil
}

func (t *tx) ClientToken(ctx context.Context, hash, kind string, now time.Time) (*daoyue.ClientToken, error) {
	c, err := scanClientToken(t.tx.QueryRowContext(ctx, `SELECT `+clientTokenCols+` FROM client_tokens
		WHERE hash = $1 AND kind = $2 AND expires_at > $3`, hash, kind, unix(now)))
	return c, t.db.wrap("client token", err)
}

func (t *tx) TakeClientToken(ctx context.Context, hash, kind string, now time.Time) (*daoyue.ClientToken, error) {
	c, err := scanClientToken(t.tx.QueryRowContext(ctx, `DELETE FROM client_tokens
		WHERE hash = $1 AND kind = $2 AND expires_at > $3 RETURNING `+clientTokenCols, hash, kind, unix(now)))
	return c, t.db.wrap("take client token", err)
}

func (t *tx) DeleteStaleClientTokens(ctx context.Context, now time.Time) error {
	_, err := t.exec(ctx, "delete stale client tokens", `DELETE FROM client_tokens WHERE expires_at <= $1`, unix(now))
	return err
}

func (t *tx) ClientBookings(ctx context.Context, workspaceID, email string, limit int) ([]*daoyue.Booking, error) {
	rows, err := t.tx.QueryContext(ctx, bookingSelect+`WHERE b.workspace_id = $1 AND b.client_email = $2
		ORDER BY b.start_at, b.id LIMIT $3`, workspaceID, email, limit)
	if err != nil {
		return nil, t.db.wrap("client bookings", err)
	}
	defer rows.Close()
	var out []*daoyue.Booking
	for rows.Next() {
		b, err := scanBooking(rows)
		if err != nil {
			return nil, t.db.wrap("client bookings", err)
		}
		out = append(out, b)
	}
	return out, t.db.wrap("client bookings", rows.Err())
}
