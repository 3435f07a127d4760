package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/daoyue/daoyue"
)

// AddAudit appends e (an empty ID is filled in).
func (t *tx) AddAudit(ctx context.Context, e *daoyue.AuditEntry) error {
	if e.ID == "" {
		e.ID = daoyue.NewID("au")
	}
	details := "{}"
	if len(e.Details) > 0 {
		b, err := json.Marshal(e.Details)
		if err != nil {
			return fmt.Errorf("store: encode audit details: %w", err)
		}
		details = string(b)
	}
	_, err := t.exec(ctx, "add audit",
		`INSERT INTO audit (id, workspace_id, at, actor_kind, actor_user_id, actor_label, action, object_type, object_id, details)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		e.ID, e.WorkspaceID, unix(e.At), string(e.Actor.Kind), e.Actor.UserID, e.Actor.Label, e.Action,
		e.ObjectType, e.ObjectID, details)
	return err
}

// ListAudit returns a workspace's entries newest first (of one object when
// objectID is not ""); the cursor continues after the last entry returned.
func (t *tx) ListAudit(ctx context.Context, workspaceID, objectID, cursor string, limit int) ([]*daoyue.AuditEntry, string, error) {
	var a params
	q := `SELECT seq, id, workspace_id, at, actor_kind, actor_user_id, actor_label, action, object_type, object_id, details
		FROM audit WHERE workspace_id = ` + a.add(workspaceID)
	if objectID != "" {
		q += ` AND object_id = ` + a.add(objectID)
	}
	if cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(cursor)
		seq, perr := strconv.ParseInt(string(raw), 10, 64)
		if err != nil || perr != nil {
			return nil, "", errInvalid("error.cursor", err)
		}
		q += ` AND seq < ` + a.add(seq)
	}
	limit = pageLimit(limit)
	rows, err := t.query(ctx, "list audit", q+` ORDER BY seq DESC LIMIT `+a.add(limit+1), a...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var (
		out  []*daoyue.AuditEntry
		seqs []int64
	)
	for rows.Next() {
		var e daoyue.AuditEntry
		var seq, at int64
		var details string
		if err := rows.Scan(&seq, &e.ID, &e.WorkspaceID, &at, &e.Actor.Kind, &e.Actor.UserID, &e.Actor.Label,
			&e.Action, &e.ObjectType, &e.ObjectID, &details); err != nil {
			return nil, "", t.db.wrap("list audit", err)
		}
		e.At = fromUnix(at)
		if details != "" && details != "{}" {
			if err := json.Unmarshal([]byte(details), &e.Details); err != nil {
				return nil, "", fmt.Errorf("store: decode audit details of %s: %w", e.ID, err)
			}
		}
		out = append(out, &e)
		seqs = append(seqs, seq)
	}
	if err := rows.Err(); err != nil {
		return nil, "", t.db.wrap("list audit", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(seqs[limit-1], 10)))
	}
	return out, next, nil
}
