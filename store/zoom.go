package store

import (
	"context"
	"time"

	"github.com/daoyue/daoyue"
)

// Zoom connections: a practitioner's link to a Zoom user, with its sealed
// tokens and the lease that serialises their refresh.

// zoomConnRow is the stored row of c (its refresh lease aside): its
// columns in the order of scanZoomConnection, with their values.
func zoomConnRow(c *daoyue.ZoomConnection) []column {
	return []column{
		{"id", c.ID}, {"workspace_id", c.WorkspaceID}, {"practitioner_id", c.PractitionerID},
		{"zoom_user_id", c.ZoomUserID}, {"zoom_account_id", c.ZoomAccountID}, {"account_label", c.AccountLabel},
		{"status", string(c.Status)}, {"is_default", c.IsDefault}, {"access_sealed", c.AccessSealed},
		{"refresh_sealed", c.RefreshSealed}, {"expires_at", unix(c.ExpiresAt)}, {"api_url", c.APIURL},
		{"scope", c.Scope}, {"created_at", unix(c.CreatedAt)}, {"updated_at", unix(c.UpdatedAt)},
	}
}

var zoomConnCols = columnNames(zoomConnRow(&daoyue.ZoomConnection{}), "")

func scanZoomConnection(s scanner) (*daoyue.ZoomConnection, error) {
	var c daoyue.ZoomConnection
	var expires, created, updated int64
	err := s.Scan(&c.ID, &c.WorkspaceID, &c.PractitionerID, &c.ZoomUserID, &c.ZoomAccountID, &c.AccountLabel, &c.Status,
		&c.IsDefault, &c.AccessSealed, &c.RefreshSealed, &expires, &c.APIURL, &c.Scope, &created, &updated)
	if err != nil {
		return nil, err
	}
	c.ExpiresAt, c.CreatedAt, c.UpdatedAt = fromUnix(expires), fromUnix(created), fromUnix(updated)
	return &c, nil
}

// PutZoomConnection inserts c or updates the connection with its ID. An
// update writes every field but the workspace and the creation time, and
// never the refresh lease, so saving refreshed tokens does not drop a lease
// another refresher holds. A practitioner not in the workspace, or a
// connection of that ID in another workspace, is ENOTFOUND; a Zoom user or
// practitioner that another connection has is ECONFLICT (the upsert's
// conflict target is the id only, so those unique constraints still fail).
func (t *tx) PutZoomConnection(ctx context.Context, c *daoyue.ZoomConnection) error {
	// Check the practitioner first: the unique constraints fire before the
	// foreign key, and another workspace's practitioner that is connected
	// must be ENOTFOUND, not ECONFLICT.
	var one int
	if err := t.tx.QueryRowContext(ctx, `SELECT 1 FROM practitioners WHERE workspace_id = $1 AND id = $2`,
		c.WorkspaceID, c.PractitionerID).Scan(&one); err != nil {
		return t.db.wrap("put zoom connection", err)
	}
	// The WHERE keeps another workspace's row out of reach, as in PutOverride.
	q, args := insert("zoom_connections", zoomConnRow(c))
	return t.execOne(ctx, "put zoom connection", q+`
		 ON CONFLICT (id) DO UPDATE SET practitioner_id = excluded.practitioner_id, zoom_user_id = excluded.zoom_user_id,
		   zoom_account_id = excluded.zoom_account_id, account_label = excluded.account_label, status = excluded.status,
		   is_default = excluded.is_default, access_sealed = excluded.access_sealed, refresh_sealed = excluded.refresh_sealed,
		   expires_at = excluded.expires_at, api_url = excluded.api_url, scope = excluded.scope, updated_at = excluded.updated_at
		 WHERE zoom_connections.workspace_id = excluded.workspace_id`, args...)
}

func (t *tx) ZoomConnection(ctx context.Context, workspaceID, practitionerID string) (*daoyue.ZoomConnection, error) {
	c, err := scanZoomConnection(t.tx.QueryRowContext(ctx,
		`SELECT `+zoomConnCols+` FROM zoom_connections WHERE workspace_id = $1 AND practitioner_id = $2`,
		workspaceID, practitionerID))
	return c, t.db.wrap("zoom connection", err)
}

// ZoomConnectionByID looks across workspaces (for the token refresher and
// the sync job, which hold a connection id from a booking's meeting).
func (t *tx) ZoomConnectionByID(ctx context.Context, id string) (*daoyue.ZoomConnection, error) {
	c, err := scanZoomConnection(t.tx.QueryRowContext(ctx,
		`SELECT `+zoomConnCols+` FROM zoom_connections WHERE id = $1`+t.forChange("zoom_connections"), id))
	return c, t.db.wrap("zoom connection by id", err)
}

func (t *tx) ZoomConnectionByZoomUser(ctx context.Context, zoomUserID string) (*daoyue.ZoomConnection, error) {
	c, err := scanZoomConnection(t.tx.QueryRowContext(ctx,
		`SELECT `+zoomConnCols+` FROM zoom_connections WHERE zoom_user_id = $1`, zoomUserID))
	return c, t.db.wrap("zoom connection by zoom user", err)
}

// ListZoomConnections lists a workspace's connections in the order of
// ListPractitioners (by practitioner name, then id).
func (t *tx) ListZoomConnections(ctx context.Context, workspaceID string) ([]*daoyue.ZoomConnection, error) {
	rows, err := t.query(ctx, "list zoom connections",
		`SELECT `+columnNames(zoomConnRow(&daoyue.ZoomConnection{}), "c.")+`
		   FROM zoom_connections c JOIN practitioners p ON p.workspace_id = c.workspace_id AND p.id = c.practitioner_id
		  WHERE c.workspace_id = $1 ORDER BY p.name, p.id`, workspaceID)
	if err != nil {
		return nil, err
	}
	return collect(t, "list zoom connections", rows, scanZoomConnection)
}

// AllZoomConnectionIDs lists every connection's id, of every workspace
// (for re-encrypting tokens under a new key).
func (t *tx) AllZoomConnectionIDs(ctx context.Context) ([]string, error) {
	rows, err := t.query(ctx, "list zoom connection ids", `SELECT id FROM zoom_connections ORDER BY id`)
	if err != nil {
		return nil, err
	}
	return collectStrings(t, "list zoom connection ids", rows)
}

// DeleteZoomConnection removes a connection: ENOTFOUND when there is none.
// Bookings keep their meeting's connection id and Zoom user.
func (t *tx) DeleteZoomConnection(ctx context.Context, id string) error {
	return t.execOne(ctx, "delete zoom connection", `DELETE FROM zoom_connections WHERE id = $1`, id)
}

// ClaimZoomRefresh sets the lease in one conditional UPDATE, so of any
// number of claimants at once exactly one sees a row affected (PostgreSQL
// re-checks the WHERE after waiting for a concurrent claimant's row lock;
// SQLite runs write transactions one at a time). A lease ends at `until`
// (until <= now is free again), so a refresher that dies does not block the
// connection for longer than that. It reports false, nil while another
// holds the lease and ENOTFOUND when the connection does not exist.
//
// Claim in a transaction of its own and commit before calling Zoom: the
// lease is visible to others only once committed.
func (t *tx) ClaimZoomRefresh(ctx context.Context, id string, until, now time.Time) (bool, error) {
	res, err := t.exec(ctx, "claim zoom refresh",
		`UPDATE zoom_connections SET refresh_lease_until = $2
		  WHERE id = $1 AND (refresh_lease_until IS NULL OR refresh_lease_until <= $3)`,
		id, unix(until), unix(now))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, t.db.wrap("claim zoom refresh", err)
	}
	if n == 1 {
		return true, nil
	}
	var one int
	if err := t.tx.QueryRowContext(ctx, `SELECT 1 FROM zoom_connections WHERE id = $1`, id).Scan(&one); err != nil {
		return false, t.db.wrap("claim zoom refresh", err)
	}
	return false, nil
}

// ReleaseZoomRefresh frees the lease. A connection deleted meanwhile is no
// error (the release is typically deferred by the refresher).
func (t *tx) ReleaseZoomRefresh(ctx context.Context, id string) error {
	_, err := t.exec(ctx, "release zoom refresh", `UPDATE zoom_connections SET refresh_lease_until = NULL WHERE id = $1`, id)
	return err
}
