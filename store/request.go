package store

import (
	"context"
	"database/sql"

	"github.com/daoyue/daoyue"
)

const requestCols = `id, workspace_id, booking_id, kind, status, new_start, new_end, reason, message, created_at, decided_at, decided_by`

func scanRequest(s scanner) (*daoyue.Request, error) {
	var r daoyue.Request
	var newStart, newEnd, decided sql.NullInt64
	var created int64
	if err := s.Scan(&r.ID, &r.WorkspaceID, &r.BookingID, &r.Kind, &r.Status, &newStart, &newEnd,
		&r.Reason, &r.Message, &created, &decided, &r.DecidedBy); err != nil {
		return nil, err
	}
	r.NewStart, r.NewEnd, r.DecidedAt = fromNullUnix(newStart), fromNullUnix(newEnd), fromNullUnix(decided)
	r.CreatedAt = fromUnix(created)
	return &r, nil
}

// CreateRequest stores r; a booking not in the workspace is ENOTFOUND.
func (t *tx) CreateRequest(ctx context.Context, r *daoyue.Request) error {
	_, err := t.exec(ctx, "create request",
		`INSERT INTO requests (`+requestCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		r.ID, r.WorkspaceID, r.BookingID, string(r.Kind), string(r.Status), nullUnix(r.NewStart), nullUnix(r.NewEnd),
		r.Reason, r.Message, unix(r.CreatedAt), nullUnix(r.DecidedAt), r.DecidedBy)
	return err
}

// UpdateRequest writes a request's decision and proposed times.
func (t *tx) UpdateRequest(ctx context.Context, r *daoyue.Request) error {
	return t.execOne(ctx, "update request",
		`UPDATE requests SET status = $3, new_start = $4, new_end = $5, reason = $6, message = $7,
		 decided_at = $8, decided_by = $9 WHERE workspace_id = $1 AND id = $2`,
		r.WorkspaceID, r.ID, string(r.Status), nullUnix(r.NewStart), nullUnix(r.NewEnd), r.Reason, r.Message,
		nullUnix(r.DecidedAt), r.DecidedBy)
}

func (t *tx) Request(ctx context.Context, workspaceID, id string) (*daoyue.Request, error) {
	r, err := scanRequest(t.tx.QueryRowContext(ctx,
		`SELECT `+requestCols+` FROM requests WHERE workspace_id = $1 AND id = $2`, workspaceID, id))
	return r, t.db.wrap("request", err)
}

// ListRequests lists a booking's requests, oldest first.
func (t *tx) ListRequests(ctx context.Context, workspaceID, bookingID string) ([]*daoyue.Request, error) {
	rows, err := t.query(ctx, "list requests",
		`SELECT `+requestCols+` FROM requests WHERE workspace_id = $1 AND booking_id = $2 ORDER BY created_at, id`,
		workspaceID, bookingID)
	if err != nil {
		return nil, err
	}
	return collect(t, "list requests", rows, scanRequest)
}
