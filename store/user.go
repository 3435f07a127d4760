package store

import (
	"context"

	"github.com/daoyue/daoyue"
)

// userRow is the stored row of u: its columns in the order of scanUser,
// with their values.
func userRow(u *daoyue.User) []column {
	return []column{{"id", u.ID}, {"email", u.Email}, {"name", u.Name}, {"password_hash", u.PasswordHash},
		{"created_at", unix(u.CreatedAt)}, {"totp_sealed", u.TOTPSealed}, {"totp_pending_sealed", u.TOTPPendingSealed},
		{"totp_last_step", u.TOTPLastStep}}
}

var userCols = columnNames(userRow(&daoyue.User{}), "")

func scanUser(s scanner) (*daoyue.User, error) {
	var u daoyue.User
	var created int64
	if err := s.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &created, &u.TOTPSealed, &u.TOTPPendingSealed, &u.TOTPLastStep); err != nil {
		return nil, err
	}
	u.CreatedAt = fromUnix(created)
	return &u, nil
}

// CreateUser stores u; emails are compared exactly, so callers normalise
// them first (daoyue.NormalizeEmail).
func (t *tx) CreateUser(ctx context.Context, u *daoyue.User) error {
	q, args := insert("users", userRow(u))
	_, err := t.exec(ctx, "create user", q, args...)
	return err
}

func (t *tx) UpdateUser(ctx context.Context, u *daoyue.User) error {
	var a params
	q := `UPDATE users SET ` + a.set(except(userRow(u), "id", "created_at")) + ` WHERE id = ` + a.add(u.ID)
	return t.execOne(ctx, "update user", q, a...)
}

func (t *tx) UserByEmail(ctx context.Context, email string) (*daoyue.User, error) {
	u, err := scanUser(t.tx.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE email = $1`, email))
	return u, t.db.wrap("user by email", err)
}

func (t *tx) UseTOTPStep(ctx context.Context, userID string, step int64) (bool, error) {
	res, err := t.exec(ctx, "use totp step", `UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2`, userID, step)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, t.db.wrap("use totp step", err)
}

func (t *tx) UserByID(ctx context.Context, id string) (*daoyue.User, error) {
	u, err := scanUser(t.tx.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id))
	return u, t.db.wrap("user by id", err)
}
