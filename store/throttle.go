package store

import (
	"context"
	"time"

	"github.com/daoyue/daoyue"
)

// HitThrottle reads the key's counter under a row lock (PostgreSQL; on
// SQLite every write transaction is already alone), decides the attempt
// and stores the result, so concurrent attempts are counted one by one.
func (t *tx) HitThrottle(ctx context.Context, key string, p daoyue.Throttle, now time.Time) (time.Duration, error) {
	if _, err := t.exec(ctx, "throttle", `INSERT INTO throttles (key, hits, last_hit, next_allowed) VALUES ($1, 0, 0, 0)
		ON CONFLICT (key) DO NOTHING`, key); err != nil {
		return 0, err
	}
	q := `SELECT hits, last_hit, next_allowed FROM throttles WHERE key = $1`
	if t.db.dialect == Postgres {
		q += ` FOR UPDATE`
	}
	var hits int
	var last, next int64
	if err := t.tx.QueryRowContext(ctx, q, key).Scan(&hits, &last, &next); err != nil {
		return 0, t.db.wrap("throttle", err)
	}
	s := daoyue.ThrottleState{Hits: hits}
	if last > 0 {
		s.LastHit = fromUnix(last)
	}
	if next > 0 {
		s.NextAllowed = fromUnix(next)
	}
	s, wait := p.Hit(s, now)
	if wait > 0 {
		return wait, nil
	}
	_, err := t.exec(ctx, "throttle", `UPDATE throttles SET hits = $2, last_hit = $3, next_allowed = $4 WHERE key = $1`,
		key, s.Hits, unix(s.LastHit), unixOrZero(s.NextAllowed))
	return 0, err
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func (t *tx) ClearThrottle(ctx context.Context, key string) error {
	_, err := t.exec(ctx, "clear throttle", `DELETE FROM throttles WHERE key = $1`, key)
	return err
}

func (t *tx) DeleteStaleThrottles(ctx context.Context, before, now time.Time) error {
	_, err := t.exec(ctx, "delete stale throttles", `DELETE FROM throttles WHERE last_hit < $1 AND next_allowed <= $2`,
		unix(before), unix(now))
	return err
}
