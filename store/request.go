package store

import (
	"context"
	"database/sql"

	"github.com/daoyue/daoyue"
)

// requestRow is the stored row of r: its columns in the order of
// scanRequest, with their values.
func requestRow(r *daoyue.Request) []column {
	return []column{
		{"id", r.ID}, {"workspace_id", r.WorkspaceID}, {"booking_id", r.BookingID}, {"kind", string(r.Kind)},
		{"status", string(r.Status)}, {"new_start", nullUnix(r.NewStart)}, {"new_end", nullUnix(r.NewEnd)},
		{"reason", r.Reason}, {"message", r.Message}, {"created_at", unix(r.CreatedAt)},
		{"decided_at", nullUnix(r.DecidedAt)}, {"decided_by", r.DecidedBy},
	}
}

var requestCols = columnNames(requestRow(&daoyue.Request{}), "")

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
	q, args := insert("requests", requestRow(r))
	_, err := t.exec(ctx, "create request", q, args...)
	return err
}

// UpdateRequest writes a request's decision and proposed times.
func (t *tx) UpdateRequest(ctx context.Context, r *daoyue.Request) error {
	var a params
	q := `UPDATE requests SET ` + a.set(except(requestRow(r), "id", "workspace_id", "booking_id", "kind", "created_at")) +
		` WHERE workspace_id = ` + a.add(r.WorkspaceID) + ` AND id = ` + a.add(r.ID)
	return t.execOne(ctx, "update request", q, a...)
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
