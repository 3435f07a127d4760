package store

import (
	"context"

	"github.com/daoyue/daoyue"
)

const userCols = `id, email, name, password_hash, created_at`

func scanUser(s scanner) (*daoyue.User, error) {
	var u daoyue.User
	var created int64
	if err := s.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &created); err != nil {
		return nil, err
	}
	u.CreatedAt = fromUnix(created)
	return &u, nil
}

// CreateUser stores u; emails are compared exactly, so callers normalise
// them first (daoyue.NormalizeEmail).
func (t *tx) CreateUser(ctx context.Context, u *daoyue.User) error {
	_, err := t.exec(ctx, "create user",
		`INSERT INTO users (`+userCols+`) VALUES ($1, $2, $3, $4, $5)`,
		u.ID, u.Email, u.Name, u.PasswordHash, unix(u.CreatedAt))
	return err
}

func (t *tx) UpdateUser(ctx context.Context, u *daoyue.User) error {
	return t.execOne(ctx, "update user",
		`UPDATE users SET email = $2, name = $3, password_hash = $4 WHERE id = $1`,
		u.ID, u.Email, u.Name, u.PasswordHash)
}

func (t *tx) UserByEmail(ctx context.Context, email string) (*daoyue.User, error) {
	u, err := scanUser(t.tx.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE email = $1`, email))
	return u, t.db.wrap("user by email", err)
}

func (t *tx) UserByID(ctx context.Context, id string) (*daoyue.User, error) {
	u, err := scanUser(t.tx.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id))
	return u, t.db.wrap("user by id", err)
}
