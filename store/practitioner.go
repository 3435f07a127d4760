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

// practitionerRow is the stored row of p: its columns in the order of
// scanPractitioner, with their values.
func practitionerRow(p *daoyue.Practitioner) []column {
	return []column{
		{"id", p.ID}, {"workspace_id", p.WorkspaceID}, {"name", p.Name}, {"email", p.Email}, {"bio", p.Bio},
		{"active", p.Active}, {"default_on_connect", p.DefaultOnConnect}, {"weekly", encodeWeekly(p.Weekly)},
		{"created_at", unix(p.CreatedAt)},
	}
}

// practitionerCols are what a read selects: the row, then the calendar
// version, which only the database's triggers write (migration 00025).
var practitionerCols = columnNames(practitionerRow(&daoyue.Practitioner{}), "") + ", calendar_version"

func scanPractitioner(s scanner) (*daoyue.Practitioner, error) {
	var p daoyue.Practitioner
	var weekly string
	var created int64
	if err := s.Scan(&p.ID, &p.WorkspaceID, &p.Name, &p.Email, &p.Bio, &p.Active, &p.DefaultOnConnect, &weekly, &created, &p.CalendarVersion); err != nil {
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
	q, args := insert("practitioners", practitionerRow(p))
	_, err := t.exec(ctx, "create practitioner", q, args...)
	return err
}

func (t *tx) UpdatePractitioner(ctx context.Context, p *daoyue.Practitioner) error {
	var a params
	q := `UPDATE practitioners SET ` + a.set(except(practitionerRow(p), "id", "workspace_id", "created_at")) +
		` WHERE workspace_id = ` + a.add(p.WorkspaceID) + ` AND id = ` + a.add(p.ID)
	return t.execOne(ctx, "update practitioner", q, a...)
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
// only checks that the practitioner exists in the workspace. The lock is
// FOR NO KEY UPDATE, the one its calendar's version bump takes too: it
// excludes every other calendar writer but not a foreign key's check of
// the row (a Zoom connection or booking written for the practitioner).
// Such a transaction may hold that check's lock and then wait for a
// booking a change has read (daoyue.BookingStore), and FOR UPDATE would
// have made that change wait for it in turn: a deadlock.
func (t *tx) LockPractitioner(ctx context.Context, workspaceID, id string) error {
	q := `SELECT 1 FROM practitioners WHERE workspace_id = $1 AND id = $2` + t.forChange("practitioners")
	var one int
	return t.db.wrap("lock practitioner", t.tx.QueryRowContext(ctx, q, workspaceID, id).Scan(&one))
}
