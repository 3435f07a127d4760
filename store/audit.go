package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

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
	return listNewestFirst(ctx, t, "list audit", q, a, cursor, limit, func(rows *sql.Rows) (*daoyue.AuditEntry, int64, error) {
		var e daoyue.AuditEntry
		var seq, at int64
		var details string
		if err := rows.Scan(&seq, &e.ID, &e.WorkspaceID, &at, &e.Actor.Kind, &e.Actor.UserID, &e.Actor.Label,
			&e.Action, &e.ObjectType, &e.ObjectID, &details); err != nil {
			return nil, 0, err
		}
		e.At = fromUnix(at)
		if details != "" && details != "{}" {
			if err := json.Unmarshal([]byte(details), &e.Details); err != nil {
				return nil, 0, fmt.Errorf("store: decode audit details of %s: %w", e.ID, err)
			}
		}
		return &e, seq, nil
	})
}
