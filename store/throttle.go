package store

import (
	"context"
	"slices"
	"strings"
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

func (t *tx) HitThrottles(ctx context.Context, hits []daoyue.ThrottleHit, now time.Time) (int, time.Duration, error) {
	if len(hits) == 0 {
		return -1, 0, nil
	}
	// Rows are created and locked in key order, whatever the order of hits,
	// so that two transactions hitting overlapping keys cannot deadlock.
	sorted := make([]string, len(hits))
	for i, h := range hits {
		sorted[i] = h.Key
	}
	slices.Sort(sorted)
	var a params
	rows, keys := make([]string, len(hits)), make([]string, len(hits))
	for i, k := range sorted {
		keys[i] = a.add(k)
		rows[i] = "(" + keys[i] + ", 0, 0, 0)"
	}
	// PostgreSQL: create the rows first, so that the SELECT below can lock
	// every key, and concurrent counts of one key go one after the other.
	// SQLite's one writer already does that: a missing row reads as a zero
	// state, and the upsert below creates it.
	if t.db.dialect == Postgres {
		if _, err := t.exec(ctx, "throttles", `INSERT INTO throttles (key, hits, last_hit, next_allowed) VALUES `+
			strings.Join(rows, ", ")+` ON CONFLICT (key) DO NOTHING`, a...); err != nil {
			return 0, 0, err
		}
	}
	q := `SELECT key, hits, last_hit, next_allowed FROM throttles WHERE key IN (` + strings.Join(keys, ", ") + `)`
	if t.db.dialect == Postgres {
		q += ` ORDER BY key COLLATE "C" FOR UPDATE` // byte order, as sorted above
	}
	rs, err := t.query(ctx, "throttles", q, a...)
	if err != nil {
		return 0, 0, err
	}
	states := make(map[string]daoyue.ThrottleState, len(hits))
	for rs.Next() {
		var key string
		var s daoyue.ThrottleState
		var last, next int64
		if err := rs.Scan(&key, &s.Hits, &last, &next); err != nil {
			rs.Close()
			return 0, 0, t.db.wrap("throttles", err)
		}
		if last > 0 {
			s.LastHit = fromUnix(last)
		}
		if next > 0 {
			s.NextAllowed = fromUnix(next)
		}
		states[key] = s
	}
	if err := rs.Close(); err != nil {
		return 0, 0, t.db.wrap("throttles", err)
	}
	if err := rs.Err(); err != nil {
		return 0, 0, t.db.wrap("throttles", err)
	}
	over, wait := -1, time.Duration(0)
	var u params
	rows = rows[:0]
	for i, h := range hits {
		s, w := h.Policy.Hit(states[h.Key], now)
		if w > 0 {
			over, wait = i, w
			break
		}
		rows = append(rows, "("+u.add(h.Key)+", "+u.add(s.Hits)+", "+u.add(unix(s.LastHit))+", "+u.add(unixOrZero(s.NextAllowed))+")")
	}
	if len(rows) > 0 {
		// An upsert rather than an UPDATE: a row removed meanwhile as stale
		// (DeleteStaleThrottles) is written back, not silently missed.
		if _, err := t.exec(ctx, "throttles", `INSERT INTO throttles (key, hits, last_hit, next_allowed) VALUES `+
			strings.Join(rows, ", ")+` ON CONFLICT (key) DO UPDATE SET hits = excluded.hits, last_hit = excluded.last_hit,
			next_allowed = excluded.next_allowed`, u...); err != nil {
			return 0, 0, err
		}
	}
	return over, wait, nil
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
