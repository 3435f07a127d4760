package store

import (
	"context"
	"database/sql"

	"github.com/daoyue/daoyue"
)

// invitationRow is the stored row of i, in the order of scanInvitation.
func invitationRow(i *daoyue.Invitation) []column {
	return []column{{"id", i.ID}, {"workspace_id", i.WorkspaceID}, {"email", i.Email}, {"role", string(i.Role)},
		{"token_hash", i.TokenHash}, {"token_sealed", i.TokenSealed}, {"message_id", i.MessageID}, {"invited_by", i.InvitedBy},
		{"created_at", unix(i.CreatedAt)}, {"expires_at", unix(i.ExpiresAt)}, {"accepted_at", nullUnix(i.AcceptedAt)},
		{"revoked_at", nullUnix(i.RevokedAt)}, {"practitioner_id", i.PractitionerID}}
}

var invitationCols = columnNames(invitationRow(&daoyue.Invitation{}), "")

func scanInvitation(s scanner) (*daoyue.Invitation, error) {
	var i daoyue.Invitation
	var created, expires int64
	var accepted, revoked sql.NullInt64
	err := s.Scan(&i.ID, &i.WorkspaceID, &i.Email, &i.Role, &i.TokenHash, &i.TokenSealed, &i.MessageID, &i.InvitedBy,
		&created, &expires, &accepted, &revoked, &i.PractitionerID)
	if err != nil {
		return nil, err
	}
	i.CreatedAt, i.ExpiresAt = fromUnix(created), fromUnix(expires)
	i.AcceptedAt, i.RevokedAt = fromNullUnix(accepted), fromNullUnix(revoked)
	return &i, nil
}

func (t *tx) CreateInvitation(ctx context.Context, i *daoyue.Invitation) error {
	q, args := insert("invitations", invitationRow(i))
	_, err := t.exec(ctx, "create invitation", q, args...)
	return err
}

func (t *tx) UpdateInvitation(ctx context.Context, i *daoyue.Invitation) error {
	var a params
	q := `UPDATE invitations SET ` + a.set(except(invitationRow(i), "id", "workspace_id", "email", "invited_by", "created_at")) +
		` WHERE workspace_id = ` + a.add(i.WorkspaceID) + ` AND id = ` + a.add(i.ID)
	return t.execOne(ctx, "update invitation", q, a...)
}

func (t *tx) Invitation(ctx context.Context, workspaceID, id string) (*daoyue.Invitation, error) {
	i, err := scanInvitation(t.tx.QueryRowContext(ctx,
		`SELECT `+invitationCols+` FROM invitations WHERE workspace_id = $1 AND id = $2`+t.forChange("invitations"), workspaceID, id))
	return i, t.db.wrap("invitation", err)
}

func (t *tx) InvitationByTokenHash(ctx context.Context, tokenHash string) (*daoyue.Invitation, error) {
	i, err := scanInvitation(t.tx.QueryRowContext(ctx,
		`SELECT `+invitationCols+` FROM invitations WHERE token_hash = $1`+t.forChange("invitations"), tokenHash))
	return i, t.db.wrap("invitation by token", err)
}

func (t *tx) InvitationByMessage(ctx context.Context, workspaceID, messageID string) (*daoyue.Invitation, error) {
	i, err := scanInvitation(t.tx.QueryRowContext(ctx,
		`SELECT `+invitationCols+` FROM invitations WHERE workspace_id = $1 AND message_id = $2`+t.forChange("invitations"), workspaceID, messageID))
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
