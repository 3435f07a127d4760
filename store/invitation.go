package store

import (
	"context"
	"database/sql"

	"github.com/daoyue/daoyue"
)

const invitationCols = `id, workspace_id, email, role, token_hash, token_sealed, message_id, invited_by,
	created_at, expires_at, accepted_at, revoked_at`

func scanInvitation(s scanner) (*daoyue.Invitation, error) {
	var i daoyue.Invitation
	var created, expires int64
	var accepted, revoked sql.NullInt64
	err := s.Scan(&i.ID, &i.WorkspaceID, &i.Email, &i.Role, &i.TokenHash, &i.TokenSealed, &i.MessageID, &i.InvitedBy,
		&created, &expires, &accepted, &revoked)
	if err != nil {
		return nil, err
	}
	i.CreatedAt, i.ExpiresAt = fromUnix(created), fromUnix(expires)
	i.AcceptedAt, i.RevokedAt = fromNullUnix(accepted), fromNullUnix(revoked)
	return &i, nil
}

func (t *tx) CreateInvitation(ctx context.Context, i *daoyue.Invitation) error {
	_, err := t.exec(ctx, "create invitation",
		`INSERT INTO invitations (`+invitationCols+`) VALUES (`+placeholders(1, 12)+`)`,
		i.ID, i.WorkspaceID, i.Email, string(i.Role), i.TokenHash, i.TokenSealed, i.MessageID, i.InvitedBy,
		unix(i.CreatedAt), unix(i.ExpiresAt), nullUnix(i.AcceptedAt), nullUnix(i.RevokedAt))
	return err
}

func (t *tx) UpdateInvitation(ctx context.Context, i *daoyue.Invitation) error {
	return t.execOne(ctx, "update invitation",
		`UPDATE invitations SET role = $3, token_hash = $4, token_sealed = $5, message_id = $6, expires_at = $7,
		 accepted_at = $8, revoked_at = $9 WHERE workspace_id = $1 AND id = $2`,
		i.WorkspaceID, i.ID, string(i.Role), i.TokenHash, i.TokenSealed, i.MessageID, unix(i.ExpiresAt),
		nullUnix(i.AcceptedAt), nullUnix(i.RevokedAt))
}

func (t *tx) Invitation(ctx context.Context, workspaceID, id string) (*daoyue.Invitation, error) {
	i, err := scanInvitation(t.tx.QueryRowContext(ctx,
		`SELECT `+invitationCols+` FROM invitations WHERE workspace_id = $1 AND id = $2`, workspaceID, id))
	return i, t.db.wrap("invitation", err)
}

func (t *tx) InvitationByTokenHash(ctx context.Context, tokenHash string) (*daoyue.Invitation, error) {
	i, err := scanInvitation(t.tx.QueryRowContext(ctx,
		`SELECT `+invitationCols+` FROM invitations WHERE token_hash = $1`, tokenHash))
	return i, t.db.wrap("invitation by token", err)
}

func (t *tx) InvitationByMessage(ctx context.Context, workspaceID, messageID string) (*daoyue.Invitation, error) {
	i, err := scanInvitation(t.tx.QueryRowContext(ctx,
		`SELECT `+invitationCols+` FROM invitations WHERE workspace_id = $1 AND message_id = $2`, workspaceID, messageID))
	return i, t.db.wrap("invitation by message", err)
}

func (t *tx) ListInvitations(ctx context.Context, workspaceID string) ([]*daoyue.Invitation, error) {
	rows, err := t.tx.QueryContext(ctx,
		`SELECT `+invitationCols+` FROM invitations
		 WHERE workspace_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL
		 ORDER BY created_at DESC, id`, workspaceID)
	if err != nil {
		return nil, t.db.wrap("list invitations", err)
	}
	defer rows.Close()
	var out []*daoyue.Invitation
	for rows.Next() {
		i, err := scanInvitation(rows)
		if err != nil {
			return nil, t.db.wrap("list invitations", err)
		}
		out = append(out, i)
	}
	return out, t.db.wrap("list invitations", rows.Err())
}
