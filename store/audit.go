package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/daoyue/daoyue"
)

// auditRow is the stored row of e with its details encoded: its columns
// in the order ListAudit scans them (after seq), with their values.
func auditRow(e *daoyue.AuditEntry, details string) []column {
	return []column{
		{"id", e.ID}, {"workspace_id", e.WorkspaceID}, {"at", unix(e.At)}, {"actor_kind", string(e.Actor.Kind)},
		{"actor_user_id", e.Actor.UserID}, {"actor_label", e.Actor.Label}, {"action", e.Action},
		{"object_type", e.ObjectType}, {"object_id", e.ObjectID}, {"details", details},
	}
}

var auditCols = columnNames(auditRow(&daoyue.AuditEntry{}, ""), "")

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
	q, args := insert("audit", auditRow(e, details))
	_, err := t.exec(ctx, "add audit", q, args...)
	return err
}

// ListAudit returns a workspace's entries newest first (of one object when
// objectID is not ""); the cursor continues after the last entry returned.
func (t *tx) ListAudit(ctx context.Context, workspaceID, objectID, cursor string, limit int) ([]*daoyue.AuditEntry, string, error) {
	var a params
	q := `SELECT seq, ` + auditCols + ` FROM audit WHERE workspace_id = ` + a.add(workspaceID)
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
