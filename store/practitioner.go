package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/daoyue/daoyue"
)

// weeklyJSON and rangeJSON are the stored JSON forms of weekly hours and
// override ranges, kept apart from the domain types so that renaming a Go
// field cannot silently change what is on disk.
type weeklyJSON struct {
	Weekday int `json:"weekday"`
	Start   int `json:"start"`
	End     int `json:"end"`
}

type rangeJSON struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

func encodeWeekly(rules []daoyue.WeeklyRule) string {
	out := make([]weeklyJSON, len(rules))
	for i, r := range rules {
		out[i] = weeklyJSON{int(r.Weekday), r.Start, r.End}
	}
	b, _ := json.Marshal(out) // cannot fail for these types
	return string(b)
}

func decodeWeekly(s string) ([]daoyue.WeeklyRule, error) {
	var in []weeklyJSON
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, fmt.Errorf("decode weekly hours: %w", err)
	}
	var out []daoyue.WeeklyRule
	for _, r := range in {
		out = append(out, daoyue.WeeklyRule{Weekday: time.Weekday(r.Weekday), Start: r.Start, End: r.End})
	}
	return out, nil
}

func encodeRanges(rs []daoyue.TimeRange) string {
	out := make([]rangeJSON, len(rs))
	for i, r := range rs {
		out[i] = rangeJSON{r.Start, r.End}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func decodeRanges(s string) ([]daoyue.TimeRange, error) {
	var in []rangeJSON
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, fmt.Errorf("decode override ranges: %w", err)
	}
	var out []daoyue.TimeRange
	for _, r := range in {
		out = append(out, daoyue.TimeRange{Start: r.Start, End: r.End})
	}
	return out, nil
}

const practitionerCols = `id, workspace_id, name, email, bio, active, default_on_connect, weekly, created_at`

func scanPractitioner(s scanner) (*daoyue.Practitioner, error) {
	var p daoyue.Practitioner
	var weekly string
	var created int64
	if err := s.Scan(&p.ID, &p.WorkspaceID, &p.Name, &p.Email, &p.Bio, &p.Active, &p.DefaultOnConnect, &weekly, &created); err != nil {
		return nil, err
	}
	var err error
	if p.Weekly, err = decodeWeekly(weekly); err != nil {
		return nil, err
	}
	p.CreatedAt = fromUnix(created)
	return &p, nil
}

func (t *tx) CreatePractitioner(ctx context.Context, p *daoyue.Practitioner) error {
	_, err := t.exec(ctx, "create practitioner",
		`INSERT INTO practitioners (`+practitionerCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		p.ID, p.WorkspaceID, p.Name, p.Email, p.Bio, p.Active, p.DefaultOnConnect, encodeWeekly(p.Weekly), unix(p.CreatedAt))
	return err
}

func (t *tx) UpdatePractitioner(ctx context.Context, p *daoyue.Practitioner) error {
	return t.execOne(ctx, "update practitioner",
		`UPDATE practitioners SET name = $3, email = $4, bio = $5, active = $6, default_on_connect = $7, weekly = $8
		  WHERE workspace_id = $1 AND id = $2`,
		p.WorkspaceID, p.ID, p.Name, p.Email, p.Bio, p.Active, p.DefaultOnConnect, encodeWeekly(p.Weekly))
}

func (t *tx) Practitioner(ctx context.Context, workspaceID, id string) (*daoyue.Practitioner, error) {
	p, err := scanPractitioner(t.tx.QueryRowContext(ctx,
		`SELECT `+practitionerCols+` FROM practitioners WHERE workspace_id = $1 AND id = $2`, workspaceID, id))
	return p, t.db.wrap("practitioner", err)
}

// ListPractitioners lists a workspace's practitioners by name.
func (t *tx) ListPractitioners(ctx context.Context, workspaceID string) ([]*daoyue.Practitioner, error) {
	rows, err := t.query(ctx, "list practitioners",
		`SELECT `+practitionerCols+` FROM practitioners WHERE workspace_id = $1 ORDER BY name, id`, workspaceID)
	if err != nil {
		return nil, err
	}
	return collect(t, "list practitioners", rows, scanPractitioner)
}

// LockPractitioner takes the practitioner's row lock on PostgreSQL; on
// SQLite write transactions are already serialised (BEGIN IMMEDIATE), so it
// only checks that the practitioner exists in the workspace.
func (t *tx) LockPractitioner(ctx context.Context, workspaceID, id string) error {
	q := `SELECT 1 FROM practitioners WHERE workspace_id = $1 AND id = $2`
	if t.db.dialect == Postgres {
		q += ` FOR UPDATE`
	}
	var one int
	return t.db.wrap("lock practitioner", t.tx.QueryRowContext(ctx, q, workspaceID, id).Scan(&one))
}
