package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/daoyue/daoyue"
)

// Notices to the studio's people and reminders to clients (issue 12).

func (t *tx) NoticePrefs(ctx context.Context, workspaceID string) (map[string]map[daoyue.NoticeKind]bool, error) {
	rows, err := t.query(ctx, "notice prefs", `SELECT user_id, kind, enabled FROM notice_prefs WHERE workspace_id = $1`, workspaceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[daoyue.NoticeKind]bool{}
	for rows.Next() {
		var user, kind string
		var on bool
		if err := rows.Scan(&user, &kind, &on); err != nil {
			return nil, t.db.wrap("notice prefs", err)
		}
		if out[user] == nil {
			out[user] = map[daoyue.NoticeKind]bool{}
		}
		out[user][daoyue.NoticeKind(kind)] = on
	}
	return out, t.db.wrap("notice prefs", rows.Err())
}

func (t *tx) SetNoticePrefs(ctx context.Context, workspaceID, userID string, on map[daoyue.NoticeKind]bool) error {
	if _, err := t.exec(ctx, "set notice prefs", `DELETE FROM notice_prefs WHERE workspace_id = $1 AND user_id = $2`, workspaceID, userID); err != nil {
		return err
	}
	for kind, v := range on {
		if _, err := t.exec(ctx, "set notice prefs", `INSERT INTO notice_prefs (workspace_id, user_id, kind, enabled) VALUES ($1, $2, $3, $4)`,
			workspaceID, userID, string(kind), v); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) ClaimNotice(ctx context.Context, workspaceID, key string, at time.Time) (bool, error) {
	res, err := t.exec(ctx, "claim notice", `INSERT INTO notices_sent (workspace_id, key, sent_at) VALUES ($1, $2, $3)
		ON CONFLICT (workspace_id, key) DO NOTHING`, workspaceID, key, unix(at))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, t.db.wrap("claim notice", err)
}

func (t *tx) SetReminders(ctx context.Context, workspaceID, bookingID string, rs []daoyue.Reminder) error {
	if _, err := t.exec(ctx, "set reminders", `DELETE FROM reminders WHERE workspace_id = $1 AND booking_id = $2 AND sent_at IS NULL`,
		workspaceID, bookingID); err != nil {
		return err
	}
	return t.AddReminders(ctx, workspaceID, bookingID, rs)
}

// AddReminders is SetReminders without the removal: a new booking has
// nothing to remove, and the statement was a round trip on PostgreSQL.
func (t *tx) AddReminders(ctx context.Context, workspaceID, bookingID string, rs []daoyue.Reminder) error {
	for _, r := range rs {
		if _, err := t.exec(ctx, "set reminders", `INSERT INTO reminders (id, workspace_id, booking_id, minutes, due_at) VALUES ($1, $2, $3, $4, $5)`,
			r.ID, workspaceID, bookingID, r.Minutes, unix(r.DueAt)); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) DueReminders(ctx context.Context, now time.Time, limit int) ([]*daoyue.Reminder, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := t.query(ctx, "due reminders", `SELECT id, workspace_id, booking_id, minutes, due_at, sent_at FROM reminders
		WHERE sent_at IS NULL AND due_at <= $1 ORDER BY due_at, id LIMIT $2`, unix(now), limit)
	if err != nil {
		return nil, err
	}
	return collect(t, "due reminders", rows, func(s scanner) (*daoyue.Reminder, error) {
		var r daoyue.Reminder
		var due int64
		var sent sql.NullInt64
		if err := s.Scan(&r.ID, &r.WorkspaceID, &r.BookingID, &r.Minutes, &due, &sent); err != nil {
			return nil, err
		}
		r.DueAt = fromUnix(due)
		if sent.Valid {
			at := fromUnix(sent.Int64)
			r.SentAt = &at
		}
		return &r, nil
	})
}

func (t *tx) MarkReminderSent(ctx context.Context, workspaceID, id string, at time.Time) (bool, error) {
	res, err := t.exec(ctx, "mark reminder sent", `UPDATE reminders SET sent_at = $3 WHERE workspace_id = $1 AND id = $2 AND sent_at IS NULL`,
		workspaceID, id, unix(at))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, t.db.wrap("mark reminder sent", err)
}

func (t *tx) ConfirmedStarting(ctx context.Context, from, to time.Time, limit int) ([]*daoyue.Booking, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, err := t.query(ctx, "confirmed starting", bookingSelect+
		`WHERE b.status = `+literal(daoyue.StatusConfirmed)+` AND b.start_at >= $1 AND b.start_at < $2
		 ORDER BY b.start_at, b.id LIMIT $3`, unix(from), unix(to), limit)
	if err != nil {
		return nil, err
	}
	return collect(t, "confirmed starting", rows, scanBooking)
}
