package store

import (
	"context"
	"time"

	"github.com/daoyue/daoyue"
)

func (t *tx) BookingsOfClient(ctx context.Context, workspaceID, email string) ([]*daoyue.Booking, error) {
	rows, err := t.query(ctx, "bookings of client", bookingSelect+`WHERE b.workspace_id = $1 AND b.client_email = $2
		ORDER BY b.start_at, b.id`+t.forChange("b"), workspaceID, email)
	if err != nil {
		return nil, err
	}
	return collect(t, "bookings of client", rows, scanBooking)
}

func (t *tx) AllBookings(ctx context.Context, workspaceID string) ([]*daoyue.Booking, error) {
	rows, err := t.query(ctx, "all bookings", bookingSelect+`WHERE b.workspace_id = $1 ORDER BY b.start_at, b.id`, workspaceID)
	if err != nil {
		return nil, err
	}
	return collect(t, "all bookings", rows, scanBooking)
}

func (t *tx) OutboxToRecipient(ctx context.Context, workspaceID, email string) ([]*daoyue.OutboxMessage, error) {
	rows, err := t.query(ctx, "outbox to recipient",
		`SELECT seq, `+outboxCols+` FROM outbox WHERE workspace_id = $1 AND recipient = $2 ORDER BY seq`, workspaceID, email)
	if err != nil {
		return nil, err
	}
	return collect(t, "outbox to recipient", rows, func(s scanner) (*daoyue.OutboxMessage, error) {
		m, _, err := scanOutbox(s)
		return m, err
	})
}

func (t *tx) EraseOutboxMessage(ctx context.Context, workspaceID, id string) error {
	return t.execOne(ctx, "erase outbox message", `UPDATE outbox SET recipient = '', subject = '', body_text = '', body_html = '',
		ics = '', ics_method = '' WHERE workspace_id = $1 AND id = $2`, workspaceID, id)
}

func (t *tx) MarkWorkspaceDeleted(ctx context.Context, workspaceID string, at time.Time) error {
	_, err := t.exec(ctx, "mark workspace deleted", `INSERT INTO workspace_deletions (workspace_id, deleted_at) VALUES ($1, $2)
		ON CONFLICT (workspace_id) DO NOTHING`, workspaceID, unix(at))
	return err
}

func (t *tx) WorkspacesDeletedBefore(ctx context.Context, before time.Time) ([]string, error) {
	rows, err := t.query(ctx, "workspaces deleted", `SELECT workspace_id FROM workspace_deletions WHERE deleted_at < $1 ORDER BY deleted_at`, unix(before))
	if err != nil {
		return nil, err
	}
	return collectStrings(t, "workspaces deleted", rows)
}

// PurgeWorkspace deletes the workspace; every table of it follows by ON
// DELETE CASCADE.
func (t *tx) PurgeWorkspace(ctx context.Context, workspaceID string) error {
	_, err := t.exec(ctx, "purge workspace", `DELETE FROM workspaces WHERE id = $1`, workspaceID)
	return err
}

func (t *tx) EraseClientActor(ctx context.Context, workspaceID, bookingID string) error {
	_, err := t.exec(ctx, "erase client actor", `UPDATE audit SET actor_label = $3
		WHERE workspace_id = $1 AND object_id = $2 AND actor_kind = $4`, workspaceID, bookingID, daoyue.ErasedName, string(daoyue.ActorClient))
	return err
}
