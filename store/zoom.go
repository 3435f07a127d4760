package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/daoyue/daoyue"
)

// Zoom connections.

const zoomConnCols = `id, workspace_id, practitioner_id, zoom_user_id, zoom_account_id, account_label, status,
	is_default, access_sealed, refresh_sealed, expires_at, api_url, scope, created_at, updated_at`

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
	return t.execOne(ctx, "put zoom connection",
		`INSERT INTO zoom_connections (`+zoomConnCols+`)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
		 ON CONFLICT (id) DO UPDATE SET practitioner_id = excluded.practitioner_id, zoom_user_id = excluded.zoom_user_id,
		   zoom_account_id = excluded.zoom_account_id, account_label = excluded.account_label, status = excluded.status,
		   is_default = excluded.is_default, access_sealed = excluded.access_sealed, refresh_sealed = excluded.refresh_sealed,
		   expires_at = excluded.expires_at, api_url = excluded.api_url, scope = excluded.scope, updated_at = excluded.updated_at
		 WHERE zoom_connections.workspace_id = excluded.workspace_id`,
		c.ID, c.WorkspaceID, c.PractitionerID, c.ZoomUserID, c.ZoomAccountID, c.AccountLabel, string(c.Status),
		c.IsDefault, c.AccessSealed, c.RefreshSealed, unix(c.ExpiresAt), c.APIURL, c.Scope, unix(c.CreatedAt), unix(c.UpdatedAt))
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
		`SELECT `+zoomConnCols+` FROM zoom_connections WHERE id = $1`, id))
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
		`SELECT `+prefixed(zoomConnCols, "c.")+`
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
	ids, err := collect(t, "list zoom connection ids", rows, func(s scanner) (*string, error) {
		var id string
		return &id, s.Scan(&id)
	})
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = *id
	}
	return out, err
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

// OAuth states.

const oauthStateCols = `hash, kind, workspace_id, practitioner_id, user_id, payload_sealed, expires_at, created_at`

// CreateOAuthState stores s (a hash already stored is ECONFLICT) and
// deletes the states that have expired by s.CreatedAt. The sweep lives here
// rather than in TakeOAuthState because a failed take usually rolls back.
func (t *tx) CreateOAuthState(ctx context.Context, s *daoyue.OAuthState) error {
	if _, err := t.exec(ctx, "delete expired oauth states",
		`DELETE FROM oauth_states WHERE expires_at <= $1`, unix(s.CreatedAt)); err != nil {
		return err
	}
	_, err := t.exec(ctx, "create oauth state",
		`INSERT INTO oauth_states (`+oauthStateCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		s.Hash, s.Kind, s.WorkspaceID, s.PractitionerID, s.UserID, s.PayloadSealed, unix(s.ExpiresAt), unix(s.CreatedAt))
	return err
}

// TakeOAuthState deletes the state with that hash and returns it, in one
// DELETE … RETURNING, so that of two takes at once only one gets it. An
// expired state (expires_at <= now) is deleted too but is ENOTFOUND, like a
// missing or used one.
func (t *tx) TakeOAuthState(ctx context.Context, hash string, now time.Time) (*daoyue.OAuthState, error) {
	var s daoyue.OAuthState
	var expires, created int64
	err := t.tx.QueryRowContext(ctx, `DELETE FROM oauth_states WHERE hash = $1 RETURNING `+oauthStateCols, hash).
		Scan(&s.Hash, &s.Kind, &s.WorkspaceID, &s.PractitionerID, &s.UserID, &s.PayloadSealed, &expires, &created)
	if err != nil {
		return nil, t.db.wrap("take oauth state", err)
	}
	if expires <= unix(now) {
		return nil, daoyue.ErrNotFound
	}
	s.ExpiresAt, s.CreatedAt = fromUnix(expires), fromUnix(created)
	return &s, nil
}

// Bookings by meeting.

// BookingsByMeetingZoomUser lists, by start, the bookings of any workspace
// whose meeting is held by that Zoom user. "" matches nothing (not every
// booking without a meeting).
func (t *tx) BookingsByMeetingZoomUser(ctx context.Context, zoomUserID string) ([]*daoyue.Booking, error) {
	if zoomUserID == "" {
		return nil, nil
	}
	rows, err := t.query(ctx, "bookings by meeting zoom user",
		bookingSelect+`WHERE b.meeting_zoom_user_id = $1 ORDER BY b.start_at, b.id`, zoomUserID)
	if err != nil {
		return nil, err
	}
	return collect(t, "bookings by meeting zoom user", rows, scanBooking)
}

// BookingsHostedBy lists, by start, the workspace's confirmed online
// bookings hosted by hostID that end after now.
func (t *tx) BookingsHostedBy(ctx context.Context, workspaceID, hostID string, now time.Time) ([]*daoyue.Booking, error) {
	rows, err := t.query(ctx, "bookings hosted by",
		bookingSelect+`WHERE b.workspace_id = $1 AND b.host_id = $2 AND b.status = 'confirmed' AND b.online
		  AND b.end_at > $3 ORDER BY b.start_at, b.id`,
		workspaceID, hostID, unix(now))
	if err != nil {
		return nil, err
	}
	return collect(t, "bookings hosted by", rows, scanBooking)
}

// OutOfSyncBookings lists bookings of any workspace whose meeting version
// is ahead of its synced version, by when the meeting last changed (the
// booking's update time when it never did), at most limit (default 100).
func (t *tx) OutOfSyncBookings(ctx context.Context, limit int) ([]*daoyue.Booking, error) {
	if limit <= 0 {
		limit = 100
	}
	// The condition and order are those of the partial index bookings_meeting_out_of_sync.
	rows, err := t.query(ctx, "out of sync bookings", bookingSelect+
		`WHERE b.meeting_version > b.meeting_synced_version
		 ORDER BY COALESCE(b.meeting_updated_at, b.updated_at), b.id LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	return collect(t, "out of sync bookings", rows, scanBooking)
}

// Webhook events.

// WebhookRetention is how long MarkWebhookEvent remembers a delivery key,
// far longer than any provider retries a delivery.
const WebhookRetention = 30 * 24 * time.Hour

// MarkWebhookEvent records key with INSERT … ON CONFLICT DO NOTHING: fresh
// is whether this call inserted it. Of concurrent marks of one key exactly
// one is fresh (on PostgreSQL the others wait for its transaction and see
// the key once it commits, or insert it themselves if it rolls back).
//
// A fresh mark also deletes the keys received before now-WebhookRetention
// (an index range scan that usually finds nothing), so the table holds
// about 30 days of deliveries.
func (t *tx) MarkWebhookEvent(ctx context.Context, key string, now time.Time) (bool, error) {
	res, err := t.exec(ctx, "mark webhook event",
		`INSERT INTO webhook_events (key, received_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, key, unix(now))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, t.db.wrap("mark webhook event", err)
	}
	if n == 0 {
		return false, nil
	}
	if _, err := t.exec(ctx, "delete old webhook events",
		`DELETE FROM webhook_events WHERE received_at < $1`, unix(now.Add(-WebhookRetention))); err != nil {
		return false, err
	}
	return true, nil
}

// Jobs.

// Enqueuer adds a job inside the transaction tx (a River client's InsertTx).
type Enqueuer func(ctx context.Context, tx *sql.Tx, job daoyue.Job) error

// SetEnqueuer makes fn the store's job queue: Tx.Enqueue calls it with the
// transaction's *sql.Tx, so the job commits or rolls back with the change.
// Set it once at start-up, before the first transaction; it is read without
// locking.
func (db *DB) SetEnqueuer(fn func(ctx context.Context, tx *sql.Tx, job daoyue.Job) error) {
	db.enqueue = fn
}

// Enqueue hands job to the enqueuer in this transaction. Without one
// (SetEnqueuer not called) it fails with EINTERNAL rather than drop the job.
func (t *tx) Enqueue(ctx context.Context, job daoyue.Job) error {
	if t.db.enqueue == nil {
		return &daoyue.Error{Code: daoyue.EINTERNAL, Key: "error.internal", Err: errNoQueue}
	}
	if job == nil {
		return &daoyue.Error{Code: daoyue.EINTERNAL, Key: "error.internal", Err: errNilJob}
	}
	if err := t.db.enqueue(ctx, t.tx, job); err != nil {
		return fmt.Errorf("store: enqueue %s: %w", job.JobKind(), err)
	}
	return nil
}

var (
	errNoQueue = errors.New("store: no job queue configured")
	errNilJob  = errors.New("store: enqueue of a nil job")
)
