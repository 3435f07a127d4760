package store

import (
	"context"

	"github.com/daoyue/daoyue"
)

func (t *tx) ReplaceRecoveryCodes(ctx context.Context, userID string, hashes []string) error {
	if _, err := t.exec(ctx, "delete recovery codes", `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
		return err
	}
	for _, h := range hashes {
		if _, err := t.exec(ctx, "add recovery code", `INSERT INTO recovery_codes (user_id, hash) VALUES ($1, $2)`, userID, h); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) UseRecoveryCode(ctx context.Context, userID, hash string) (bool, error) {
	res, err := t.exec(ctx, "use recovery code", `DELETE FROM recovery_codes WHERE user_id = $1 AND hash = $2`, userID, hash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, t.db.wrap("use recovery code", err)
}

func (t *tx) CountRecoveryCodes(ctx context.Context, userID string) (int, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1`, userID).Scan(&n)
	return n, t.db.wrap("count recovery codes", err)
}

func (t *tx) TwoFactorRequired(ctx context.Context, workspaceID string) (bool, error) {
	var required bool
	err := t.tx.QueryRowContext(ctx, `SELECT required FROM workspace_two_factor WHERE workspace_id = $1`, workspaceID).Scan(&required)
	if err != nil {
		if err := t.db.wrap("two-factor rule", err); daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return false, nil
		}
		return false, t.db.wrap("two-factor rule", err)
	}
	return required, nil
}

func (t *tx) SetTwoFactorRequired(ctx context.Context, workspaceID string, required bool) error {
	_, err := t.exec(ctx, "set two-factor rule", `INSERT INTO workspace_two_factor (workspace_id, required) VALUES ($1, $2)
		ON CONFLICT (workspace_id) DO UPDATE SET required = excluded.required`, workspaceID, required)
	return err
}

func (t *tx) UsersWithSealedSecrets(ctx context.Context, after string, limit int) ([]*daoyue.User, error) {
	rows, err := t.query(ctx, "users with sealed secrets", `SELECT `+userCols+` FROM users
		WHERE (totp_sealed <> '' OR totp_pending_sealed <> '') AND id > $1 ORDER BY id LIMIT $2`, after, limit)
	if err != nil {
		return nil, err
	}
	return collect(t, "users with sealed secrets", rows, scanUser)
}

func (t *tx) OpenInvitations(ctx context.Context, after string, limit int) ([]*daoyue.Invitation, error) {
	rows, err := t.query(ctx, "open invitations", `SELECT `+invitationCols+` FROM invitations
		WHERE accepted_at IS NULL AND revoked_at IS NULL AND id > $1 ORDER BY id LIMIT $2`, after, limit)
	if err != nil {
		return nil, err
	}
	return collect(t, "open invitations", rows, scanInvitation)
}
