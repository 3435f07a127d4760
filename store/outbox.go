package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
)

// The outbox: emails to clients, composed in the transaction of the change
// they report, then sent by a job (or kept unsent without an SMTP server).

// outboxRow is the stored row of m: its columns in the order of
// scanOutbox (after seq), with their values.
func outboxRow(m *daoyue.OutboxMessage) []column {
	return []column{
		{"id", m.ID}, {"workspace_id", m.WorkspaceID}, {"booking_id", m.BookingID}, {"kind", string(m.Kind)},
		{"language", m.Language}, {"from_name", m.FromName}, {"reply_to", m.ReplyTo}, {"recipient", m.Recipient}, {"subject", m.Subject},
		{"body_text", m.Text}, {"body_html", m.HTML}, {"ics", m.ICS}, {"ics_method", m.ICSMethod},
		{"status", string(m.Status)}, {"attempts", m.Attempts}, {"last_error", m.LastError},
		{"created_at", unix(m.CreatedAt)}, {"sent_at", nullUnix(m.SentAt)},
	}
}

var (
	outboxCols          = columnNames(outboxRow(&daoyue.OutboxMessage{}), "")
	outboxColsQualified = columnNames(outboxRow(&daoyue.OutboxMessage{}), "outbox.")
)

func scanOutbox(s scanner) (*daoyue.OutboxMessage, int64, error) {
	var m daoyue.OutboxMessage
	var seq, created int64
	var sent sql.NullInt64
	err := s.Scan(&seq, &m.ID, &m.WorkspaceID, &m.BookingID, &m.Kind, &m.Language, &m.FromName, &m.ReplyTo, &m.Recipient, &m.Subject,
		&m.Text, &m.HTML, &m.ICS, &m.ICSMethod, &m.Status, &m.Attempts, &m.LastError, &created, &sent)
	if err != nil {
		return nil, 0, err
	}
	m.CreatedAt, m.SentAt = fromUnix(created), fromNullUnix(sent)
	return &m, seq, nil
}

// AddOutbox stores a new message (an empty ID is filled in). The workspace
// must exist (ENOTFOUND otherwise); an ID already used is ECONFLICT.
func (t *tx) AddOutbox(ctx context.Context, m *daoyue.OutboxMessage) error {
	if m.ID == "" {
		m.ID = daoyue.NewID("ml")
	}
	q, args := insert("outbox", outboxRow(m))
	_, err := t.exec(ctx, "add outbox", q, args...)
	if err == nil && m.Status == daoyue.MailQueued {
		t.queuedMail = true
	}
	return err
}

// OutboxMessage returns one message of the workspace.
func (t *tx) OutboxMessage(ctx context.Context, workspaceID, id string) (*daoyue.OutboxMessage, error) {
	m, _, err := scanOutbox(t.tx.QueryRowContext(ctx,
		`SELECT seq, `+outboxCols+` FROM outbox WHERE workspace_id = $1 AND id = $2`, workspaceID, id))
	return m, t.db.wrap("outbox message", err)
}

// MarkOutboxSent records delivery: status sent, one more attempt, no error.
func (t *tx) MarkOutboxSent(ctx context.Context, workspaceID, id string, at time.Time) error {
	return t.execOne(ctx, "mark outbox sent",
		`UPDATE outbox SET status = `+literal(daoyue.MailSent)+`, attempts = attempts + 1, last_error = '', sent_at = $3
		 WHERE workspace_id = $1 AND id = $2`, workspaceID, id, unix(at))
}

// MarkOutboxFailed records a failed attempt and its cause; final marks the
// message failed for good, otherwise it stays queued, due at retryAt, its
// claim given up.
func (t *tx) MarkOutboxFailed(ctx context.Context, workspaceID, id, cause string, final bool, retryAt time.Time) error {
	status := daoyue.MailQueued
	if final {
		status = daoyue.MailFailed
	}
	return t.execOne(ctx, "mark outbox failed",
		`UPDATE outbox SET status = $3, attempts = attempts + 1, last_error = $4, next_attempt_at = $5, claimed_until = 0
		 WHERE workspace_id = $1 AND id = $2 AND status <> `+literal(daoyue.MailSent), workspaceID, id, string(status), cause, unixOrZero(retryAt))
}

// ClaimOutbox leases due queued messages to one sender. On PostgreSQL the
// rows are chosen in a CTE (run once, unlike a subquery under IN, which
// the planner may run again and so claim past the limit) and locked with
// SKIP LOCKED, so several instances claiming at once pass over each
// other's rows; the UPDATE repeats the condition, which PostgreSQL
// re-checks on a row it waited for. SQLite has one writer.
func (t *tx) ClaimOutbox(ctx context.Context, now, until time.Time, limit int) ([]*daoyue.OutboxMessage, error) {
	if limit <= 0 {
		return nil, nil
	}
	due := `status = ` + literal(daoyue.MailQueued) + ` AND next_attempt_at <= $2 AND claimed_until <= $2`
	q := `UPDATE outbox SET claimed_until = $1
		 WHERE seq IN (SELECT seq FROM outbox WHERE ` + due + ` ORDER BY next_attempt_at, seq LIMIT $3)
		 RETURNING seq, ` + outboxCols
	if t.db.dialect == Postgres {
		q = `WITH picked AS (SELECT seq FROM outbox WHERE ` + due + ` ORDER BY next_attempt_at, seq LIMIT $3 FOR UPDATE SKIP LOCKED)
		 UPDATE outbox SET claimed_until = $1 FROM picked WHERE outbox.seq = picked.seq AND outbox.` + strings.ReplaceAll(due, " AND ", " AND outbox.") + `
		 RETURNING outbox.seq, ` + outboxColsQualified
	}
	rows, err := t.query(ctx, "claim outbox", q, unix(until), unix(now), limit)
	if err != nil {
		return nil, err
	}
	type row struct {
		seq int64
		m   *daoyue.OutboxMessage
	}
	got, err := collect(t, "claim outbox", rows, func(s scanner) (*row, error) {
		m, seq, err := scanOutbox(s)
		return &row{seq, m}, err
	})
	if err != nil {
		return nil, err
	}
	// RETURNING has no order of its own: oldest first, as written.
	slices.SortFunc(got, func(a, b *row) int { return cmp.Compare(a.seq, b.seq) })
	out := make([]*daoyue.OutboxMessage, len(got))
	for i, r := range got {
		out[i] = r.m
	}
	return out, nil
}

// ListOutbox returns a workspace's messages newest first; the cursor
// continues after the last message returned.
func (t *tx) ListOutbox(ctx context.Context, workspaceID, cursor string, limit int) ([]*daoyue.OutboxMessage, string, error) {
	var a params
	q := `SELECT seq, ` + outboxCols + ` FROM outbox WHERE workspace_id = ` + a.add(workspaceID)
	return listNewestFirst(ctx, t, "list outbox", q, a, cursor, limit, func(rows *sql.Rows) (*daoyue.OutboxMessage, int64, error) {
		return scanOutbox(rows)
	})
}

// OutboxOfBooking returns the messages about one booking, oldest first.
func (t *tx) OutboxOfBooking(ctx context.Context, workspaceID, bookingID string) ([]*daoyue.OutboxMessage, error) {
	rows, err := t.query(ctx, "outbox of booking",
		`SELECT seq, `+outboxCols+` FROM outbox WHERE workspace_id = $1 AND booking_id = $2 ORDER BY seq`, workspaceID, bookingID)
	if err != nil {
		return nil, err
	}
	return collect(t, "outbox of booking", rows, func(s scanner) (*daoyue.OutboxMessage, error) {
		m, _, err := scanOutbox(s)
		return m, err
	})
}

// RewriteOutbox replaces the subject, bodies and calendar of a message.
func (t *tx) RewriteOutbox(ctx context.Context, m *daoyue.OutboxMessage) error {
	return t.execOne(ctx, "rewrite outbox",
		`UPDATE outbox SET subject = $3, body_text = $4, body_html = $5, ics = $6, ics_method = $7
		 WHERE workspace_id = $1 AND id = $2`, m.WorkspaceID, m.ID, m.Subject, m.Text, m.HTML, m.ICS, m.ICSMethod)
}

func (t *tx) DeleteOutboxOfBooking(ctx context.Context, workspaceID, bookingID string) error {
	_, err := t.exec(ctx, "delete outbox of booking", `DELETE FROM outbox WHERE workspace_id = $1 AND booking_id = $2`, workspaceID, bookingID)
	return err
}
