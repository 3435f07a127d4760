package store

import (
	"context"

	"github.com/daoyue/daoyue"
)

// Members: who belongs to a workspace, in which role.

const memberSelect = `SELECT m.workspace_id, m.user_id, m.role, m.practitioner_id, u.email, u.name, m.created_at
	FROM members m JOIN users u ON u.id = m.user_id `

func scanMember(s scanner) (*daoyue.Member, error) {
	var m daoyue.Member
	var created int64
	if err := s.Scan(&m.WorkspaceID, &m.UserID, &m.Role, &m.PractitionerID, &m.Email, &m.Name, &created); err != nil {
		return nil, err
	}
	m.CreatedAt = fromUnix(created)
	return &m, nil
}

// PutMember adds a membership or changes its role; an unknown workspace or
// user is ENOTFOUND.
func (t *tx) PutMember(ctx context.Context, m *daoyue.Member) error {
	_, err := t.exec(ctx, "put member",
		`INSERT INTO members (workspace_id, user_id, role, practitioner_id, created_at) VALUES ($1, $2, $3, $4, $5)
		 ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role, practitioner_id = excluded.practitioner_id`,
		m.WorkspaceID, m.UserID, string(m.Role), m.PractitionerID, unix(m.CreatedAt))
	return err
}

func (t *tx) Member(ctx context.Context, workspaceID, userID string) (*daoyue.Member, error) {
	m, err := scanMember(t.tx.QueryRowContext(ctx, memberSelect+`WHERE m.workspace_id = $1 AND m.user_id = $2`, workspaceID, userID))
	return m, t.db.wrap("member", err)
}

// ListMembers lists a workspace's members by email.
func (t *tx) ListMembers(ctx context.Context, workspaceID string) ([]*daoyue.Member, error) {
	rows, err := t.query(ctx, "list members", memberSelect+`WHERE m.workspace_id = $1 ORDER BY u.email, u.id`, workspaceID)
	if err != nil {
		return nil, err
	}
	return collect(t, "list members", rows, scanMember)
}

// Owners locks in user id order, so two callers cannot deadlock.
func (t *tx) Owners(ctx context.Context, workspaceID string) ([]string, error) {
	rows, err := t.query(ctx, "owners", `SELECT user_id FROM members WHERE workspace_id = $1 AND role = `+literal(daoyue.RoleOwner)+`
		ORDER BY user_id`+t.forChange("members"), workspaceID)
	if err != nil {
		return nil, err
	}
	return collectStrings(t, "owners", rows)
}

// DeleteMember removes a membership; ENOTFOUND when there is none.
func (t *tx) DeleteMember(ctx context.Context, workspaceID, userID string) error {
	return t.execOne(ctx, "delete member", `DELETE FROM members WHERE workspace_id = $1 AND user_id = $2`, workspaceID, userID)
}
