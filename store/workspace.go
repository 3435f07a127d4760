package store

import (
	"context"

	"github.com/daoyue/daoyue"
)

// workspaceRow is the stored row of w: its columns in the order of
// scanWorkspace, with their values.
func workspaceRow(w *daoyue.Workspace) []column {
	return []column{
		{"id", w.ID}, {"slug", w.Slug}, {"name", w.Name}, {"intro", w.Intro}, {"time_zone", w.TimeZone},
		{"created_at", unix(w.CreatedAt)},
	}
}

var workspaceCols = columnNames(workspaceRow(&daoyue.Workspace{}), "")

func scanWorkspace(s scanner) (*daoyue.Workspace, error) {
	var w daoyue.Workspace
	var created int64
	if err := s.Scan(&w.ID, &w.Slug, &w.Name, &w.Intro, &w.TimeZone, &created); err != nil {
		return nil, err
	}
	w.CreatedAt = fromUnix(created)
	return &w, nil
}

func (t *tx) CreateWorkspace(ctx context.Context, w *daoyue.Workspace) error {
	q, args := insert("workspaces", workspaceRow(w))
	_, err := t.exec(ctx, "create workspace", q, args...)
	return err
}

func (t *tx) UpdateWorkspace(ctx context.Context, w *daoyue.Workspace) error {
	var a params
	q := `UPDATE workspaces SET ` + a.set(except(workspaceRow(w), "id", "created_at")) + ` WHERE id = ` + a.add(w.ID)
	return t.execOne(ctx, "update workspace", q, a...)
}

func (t *tx) WorkspaceBySlug(ctx context.Context, slug string) (*daoyue.Workspace, error) {
	w, err := scanWorkspace(t.tx.QueryRowContext(ctx, `SELECT `+workspaceCols+` FROM workspaces WHERE slug = $1`, slug))
	return w, t.db.wrap("workspace by slug", err)
}

func (t *tx) WorkspaceByID(ctx context.Context, id string) (*daoyue.Workspace, error) {
	w, err := scanWorkspace(t.tx.QueryRowContext(ctx, `SELECT `+workspaceCols+` FROM workspaces WHERE id = $1`, id))
	return w, t.db.wrap("workspace by id", err)
}

func (t *tx) WorkspacesOf(ctx context.Context, userID string) ([]*daoyue.Workspace, error) {
	rows, err := t.query(ctx, "workspaces of user",
		`SELECT `+columnNames(workspaceRow(&daoyue.Workspace{}), "w.")+`
		   FROM workspaces w JOIN members m ON m.workspace_id = w.id
		  WHERE m.user_id = $1 ORDER BY w.name, w.id`, userID)
	if err != nil {
		return nil, err
	}
	return collect(t, "workspaces of user", rows, scanWorkspace)
}
