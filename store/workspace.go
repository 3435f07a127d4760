package store

import (
	"context"

	"github.com/daoyue/daoyue"
)

const workspaceCols = `id, slug, name, intro, time_zone, created_at`

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
	_, err := t.exec(ctx, "create workspace",
		`INSERT INTO workspaces (`+workspaceCols+`) VALUES ($1, $2, $3, $4, $5, $6)`,
		w.ID, w.Slug, w.Name, w.Intro, w.TimeZone, unix(w.CreatedAt))
	return err
}

func (t *tx) UpdateWorkspace(ctx context.Context, w *daoyue.Workspace) error {
	return t.execOne(ctx, "update workspace",
		`UPDATE workspaces SET slug = $2, name = $3, intro = $4, time_zone = $5 WHERE id = $1`,
		w.ID, w.Slug, w.Name, w.Intro, w.TimeZone)
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
		`SELECT w.id, w.slug, w.name, w.intro, w.time_zone, w.created_at
		   FROM workspaces w JOIN members m ON m.workspace_id = w.id
		  WHERE m.user_id = $1 ORDER BY w.name, w.id`, userID)
	if err != nil {
		return nil, err
	}
	return collect(t, "workspaces of user", rows, scanWorkspace)
}
