package store

import (
	"context"
	"database/sql"

	"github.com/daoyue/daoyue"
	"time"
)

// LINE: studios' accounts, one-time link codes, links and messages.

const lineAccountCols = `workspace_id, hook_id, channel_id, secret_sealed, bot_user_id, basic_id, display_name, updated_at`

func (t *tx) scanLineAccount(row *sql.Row) (*daoyue.LineAccount, error) {
	var a daoyue.LineAccount
	var updated int64
	err := row.Scan(&a.WorkspaceID, &a.HookID, &a.ChannelID, &a.SecretSealed, &a.BotUserID, &a.BasicID, &a.DisplayName, &updated)
	if err != nil {
		return nil, t.db.wrap("line account", err)
	}
	a.UpdatedAt = fromUnix(updated)
	return &a, nil
}

func (t *tx) LineAccount(ctx context.Context, workspaceID string) (*daoyue.LineAccount, error) {
	return t.scanLineAccount(t.tx.QueryRowContext(ctx, `SELECT `+lineAccountCols+` FROM line_accounts WHERE workspace_id = $1`, workspaceID))
}

func (t *tx) LineAccountByHook(ctx context.Context, hookID string) (*daoyue.LineAccount, error) {
	return t.scanLineAccount(t.tx.QueryRowContext(ctx, `SELECT `+lineAccountCols+` FROM line_accounts WHERE hook_id = $1`, hookID))
}

func (t *tx) PutLineAccount(ctx context.Context, a *daoyue.LineAccount) error {
	_, err := t.exec(ctx, "put line account", `INSERT INTO line_accounts (`+lineAccountCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (workspace_id) DO UPDATE SET hook_id = excluded.hook_id, channel_id = excluded.channel_id,
		secret_sealed = excluded.secret_sealed, bot_user_id = excluded.bot_user_id, basic_id = excluded.basic_id,
		display_name = excluded.display_name, updated_at = excluded.updated_at`,
		a.WorkspaceID, a.HookID, a.ChannelID, a.SecretSealed, a.BotUserID, a.BasicID, a.DisplayName, unix(a.UpdatedAt))
	return err
}

func (t *tx) DeleteLineAccount(ctx context.Context, workspaceID string) error {
	for _, q := range []string{`DELETE FROM line_accounts WHERE workspace_id = $1`, `DELETE FROM line_links WHERE workspace_id = $1`,
		`DELETE FROM line_codes WHERE workspace_id = $1`} {
		if _, err := t.exec(ctx, "delete line account", q, workspaceID); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) PutLineCode(ctx context.Context, workspaceID, hash, email, language string, expires time.Time) error {
	_, err := t.exec(ctx, "put line code", `INSERT INTO line_codes (hash, workspace_id, email, language, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, hash, workspaceID, email, language, unix(expires))
	return err
}

func (t *tx) TakeLineCode(ctx context.Context, workspaceID, hash string, now time.Time) (string, string, error) {
	var email, lang string
	var expires int64
	err := t.tx.QueryRowContext(ctx, `DELETE FROM line_codes WHERE hash = $1 AND workspace_id = $2 RETURNING email, language, expires_at`,
		hash, workspaceID).Scan(&email, &lang, &expires)
	if err != nil {
		return "", "", t.db.wrap("take line code", err)
	}
	if _, err := t.exec(ctx, "delete old line codes", `DELETE FROM line_codes WHERE expires_at < $1`, unix(now)); err != nil {
		return "", "", err
	}
	if !now.Before(fromUnix(expires)) {
		return "", "", daoyue.ErrNotFound
	}
	return email, lang, nil
}

func (t *tx) PutLineLink(ctx context.Context, l *daoyue.LineLink) error {
	_, err := t.exec(ctx, "put line link", `INSERT INTO line_links (workspace_id, email, user_id, following, linked_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (workspace_id, email) DO UPDATE SET user_id = excluded.user_id, following = excluded.following,
		linked_at = excluded.linked_at, updated_at = excluded.updated_at`,
		l.WorkspaceID, l.Email, l.UserID, l.Following, unix(l.LinkedAt), unix(l.UpdatedAt))
	return err
}

func (t *tx) LineLink(ctx context.Context, workspaceID, email string) (*daoyue.LineLink, error) {
	var l daoyue.LineLink
	var linked, updated int64
	err := t.tx.QueryRowContext(ctx, `SELECT workspace_id, email, user_id, following, linked_at, updated_at
		FROM line_links WHERE workspace_id = $1 AND email = $2`, workspaceID, email).
		Scan(&l.WorkspaceID, &l.Email, &l.UserID, &l.Following, &linked, &updated)
	if err != nil {
		return nil, t.db.wrap("line link", err)
	}
	l.LinkedAt, l.UpdatedAt = fromUnix(linked), fromUnix(updated)
	return &l, nil
}

func (t *tx) SetLineFollowing(ctx context.Context, workspaceID, userID string, following bool, now time.Time) (int, error) {
	res, err := t.exec(ctx, "set line following", `UPDATE line_links SET following = $1, updated_at = $2
		WHERE workspace_id = $3 AND user_id = $4`, following, unix(now), workspaceID, userID)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), t.db.wrap("set line following", err)
}

func (t *tx) DeleteLineLink(ctx context.Context, workspaceID, email string) error {
	_, err := t.exec(ctx, "delete line link", `DELETE FROM line_links WHERE workspace_id = $1 AND email = $2`, workspaceID, email)
	return err
}

const lineMessageCols = `id, workspace_id, booking_id, kind, email, user_id, retry_key, body, status, attempts, last_error, created_at, sent_at`

func (t *tx) AddLineMessage(ctx context.Context, m *daoyue.LineMessage) error {
	var sent any
	if m.SentAt != nil {
		sent = unix(*m.SentAt)
	}
	_, err := t.exec(ctx, "add line message", `INSERT INTO line_messages (`+lineMessageCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		m.ID, m.WorkspaceID, m.BookingID, string(m.Kind), m.Email, m.UserID, m.RetryKey, m.Body, string(m.Status), m.Attempts,
		m.LastError, unix(m.CreatedAt), sent)
	return err
}

type rowScanner interface{ Scan(dest ...any) error }

func scanLineMessage(r rowScanner) (*daoyue.LineMessage, error) {
	var m daoyue.LineMessage
	var created int64
	var sent sql.NullInt64
	if err := r.Scan(&m.ID, &m.WorkspaceID, &m.BookingID, &m.Kind, &m.Email, &m.UserID, &m.RetryKey, &m.Body, &m.Status,
		&m.Attempts, &m.LastError, &created, &sent); err != nil {
		return nil, err
	}
	m.CreatedAt = fromUnix(created)
	if sent.Valid {
		at := fromUnix(sent.Int64)
		m.SentAt = &at
	}
	return &m, nil
}

func (t *tx) LineMessage(ctx context.Context, workspaceID, id string) (*daoyue.LineMessage, error) {
	m, err := scanLineMessage(t.tx.QueryRowContext(ctx, `SELECT `+lineMessageCols+` FROM line_messages
		WHERE workspace_id = $1 AND id = $2`, workspaceID, id))
	if err != nil {
		return nil, t.db.wrap("line message", err)
	}
	return m, nil
}

func (t *tx) MarkLineMessage(ctx context.Context, workspaceID, id string, status daoyue.LineStatus, lastError string, now time.Time) error {
	var sent any
	if status == daoyue.LineSent {
		sent = unix(now)
	}
	return t.execOne(ctx, "mark line message", `UPDATE line_messages SET status = $1, last_error = $2, attempts = attempts + 1,
		sent_at = COALESCE(CAST($3 AS BIGINT), sent_at) WHERE workspace_id = $4 AND id = $5`, string(status), lastError, sent, workspaceID, id)
}

func (t *tx) ListLineMessages(ctx context.Context, workspaceID string, limit int) ([]*daoyue.LineMessage, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT `+lineMessageCols+` FROM line_messages WHERE workspace_id = $1
		ORDER BY created_at DESC, id DESC LIMIT $2`, workspaceID, limit)
	if err != nil {
		return nil, t.db.wrap("list line messages", err)
	}
	defer rows.Close()
	var out []*daoyue.LineMessage
	for rows.Next() {
		m, err := scanLineMessage(rows)
		if err != nil {
			return nil, t.db.wrap("list line messages", err)
		}
		out = append(out, m)
	}
	return out, t.db.wrap("list line messages", rows.Err())
}

func (t *tx) DeleteClientLine(ctx context.Context, workspaceID, email string) error {
	for _, q := range []string{`DELETE FROM line_links WHERE workspace_id = $1 AND email = $2`,
		`DELETE FROM line_codes WHERE workspace_id = $1 AND email = $2`,
		`DELETE FROM line_messages WHERE workspace_id = $1 AND email = $2`} {
		if _, err := t.exec(ctx, "erase client line", q, workspaceID, email); err != nil {
			return err
		}
	}
	return nil
}
