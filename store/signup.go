package store

import (
	"context"
	"time"

	"github.com/daoyue/daoyue"
)

func signupRow(s *daoyue.Signup) []column {
	return []column{{"hash", s.Hash}, {"email", s.Email}, {"password_hash", s.PasswordHash}, {"name", s.Name},
		{"studio_name", s.StudioName}, {"slug", s.Slug}, {"time_zone", s.TimeZone}, {"language", s.Language},
		{"created_at", unix(s.CreatedAt)}, {"expires_at", unix(s.ExpiresAt)}}
}

var signupCols = columnNames(signupRow(&daoyue.Signup{}), "")

func scanSignup(sc scanner) (*daoyue.Signup, error) {
	var s daoyue.Signup
	var created, expires int64
	if err := sc.Scan(&s.Hash, &s.Email, &s.PasswordHash, &s.Name, &s.StudioName, &s.Slug, &s.TimeZone, &s.Language,
		&created, &expires); err != nil {
		return nil, err
	}
	s.CreatedAt, s.ExpiresAt = fromUnix(created), fromUnix(expires)
	return &s, nil
}

func (t *tx) CreateSignup(ctx context.Context, s *daoyue.Signup) error {
	q, args := insert("signups", signupRow(s))
	_, err := t.exec(ctx, "create signup", q, args...)
	return err
}

func (t *tx) Signup(ctx context.Context, hash string, now time.Time) (*daoyue.Signup, error) {
	s, err := scanSignup(t.tx.QueryRowContext(ctx, `SELECT `+signupCols+` FROM signups
		WHERE hash = $1 AND expires_at > $2`, hash, unix(now)))
	return s, t.db.wrap("signup", err)
}

func (t *tx) TakeSignup(ctx context.Context, hash string, now time.Time) (*daoyue.Signup, error) {
	s, err := scanSignup(t.tx.QueryRowContext(ctx, `DELETE FROM signups
		WHERE hash = $1 AND expires_at > $2 RETURNING `+signupCols, hash, unix(now)))
	return s, t.db.wrap("take signup", err)
}

func (t *tx) DeleteExpiredSignups(ctx context.Context, now time.Time) error {
	_, err := t.exec(ctx, "delete expired signups", `DELETE FROM signups WHERE expires_at <= $1`, unix(now))
	return err
}
