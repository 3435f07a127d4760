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
		{"contact_email", w.ContactEmail}, {"contact_phone", w.ContactPhone},
		{"payment_instructions", w.PaymentInstructions}, {"logo_version", w.LogoVersion},
		{"created_at", unix(w.CreatedAt)},
	}
}

// workspaceCols are what a read selects: the row, then the catalog
// version, which only the database writes (migration 00027's triggers).
var workspaceCols = workspaceColsOf("")

// workspaceColsOf is workspaceCols with each column prefixed.
func workspaceColsOf(prefix string) string {
	return columnNames(workspaceRow(&daoyue.Workspace{}), prefix) + ", " + prefix + "catalog_version"
}

func scanWorkspace(s scanner) (*daoyue.Workspace, error) {
	var w daoyue.Workspace
	dest, done := workspaceDest(&w)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	done()
	return &w, nil
}

// workspaceDest is what to scan workspaceCols into, and what fills in w
// from it after the scan.
func workspaceDest(w *daoyue.Workspace) ([]any, func()) {
	var created int64
	return []any{&w.ID, &w.Slug, &w.Name, &w.Intro, &w.TimeZone,
			&w.ContactEmail, &w.ContactPhone, &w.PaymentInstructions, &w.LogoVersion, &created, &w.CatalogVersion},
		func() { w.CreatedAt = fromUnix(created) }
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
	// A studio its owner deleted is gone for everyone at once.
	w, err := scanWorkspace(t.tx.QueryRowContext(ctx, `SELECT `+workspaceCols+` FROM workspaces WHERE slug = $1
		AND NOT EXISTS (SELECT 1 FROM workspace_deletions d WHERE d.workspace_id = workspaces.id)`, slug))
	return w, t.db.wrap("workspace by slug", err)
}

func (t *tx) WorkspaceByID(ctx context.Context, id string) (*daoyue.Workspace, error) {
	w, err := scanWorkspace(t.tx.QueryRowContext(ctx, `SELECT `+workspaceCols+` FROM workspaces WHERE id = $1`, id))
	return w, t.db.wrap("workspace by id", err)
}

func (t *tx) WorkspacesOf(ctx context.Context, userID string) ([]*daoyue.Workspace, error) {
	rows, err := t.query(ctx, "workspaces of user",
		`SELECT `+workspaceColsOf("w.")+`
		   FROM workspaces w JOIN members m ON m.workspace_id = w.id
		  WHERE m.user_id = $1 AND NOT EXISTS (SELECT 1 FROM workspace_deletions d WHERE d.workspace_id = w.id)
		  ORDER BY w.name, w.id`, userID)
	if err != nil {
		return nil, err
	}
	return collect(t, "workspaces of user", rows, scanWorkspace)
}

// PutWorkspaceLogo stores (or replaces) the workspace's logo image. The
// workspace row's LogoVersion is the caller's to update.
func (t *tx) PutWorkspaceLogo(ctx context.Context, workspaceID string, l *daoyue.Logo) error {
	_, err := t.exec(ctx, "put workspace logo",
		`INSERT INTO workspace_logos (workspace_id, content_type, data, updated_at) VALUES ($1, $2, $3, $4)
		 ON CONFLICT (workspace_id) DO UPDATE SET content_type = excluded.content_type, data = excluded.data, updated_at = excluded.updated_at`,
		workspaceID, l.ContentType, l.Data, unix(l.UpdatedAt))
	return err
}

// DeleteWorkspaceLogo removes the workspace's logo (none is fine).
func (t *tx) DeleteWorkspaceLogo(ctx context.Context, workspaceID string) error {
	_, err := t.exec(ctx, "delete workspace logo", `DELETE FROM workspace_logos WHERE workspace_id = $1`, workspaceID)
	return err
}

// WorkspaceLogo returns the workspace's logo (ENOTFOUND when it has none).
func (t *tx) WorkspaceLogo(ctx context.Context, workspaceID string) (*daoyue.Logo, error) {
	var l daoyue.Logo
	var at int64
	err := t.tx.QueryRowContext(ctx, `SELECT content_type, data, updated_at FROM workspace_logos WHERE workspace_id = $1`, workspaceID).
		Scan(&l.ContentType, &l.Data, &at)
	if err != nil {
		return nil, t.db.wrap("workspace logo", err)
	}
	l.UpdatedAt = fromUnix(at)
	return &l, nil
}
