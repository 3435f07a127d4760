package store

import (
	"context"

	"github.com/daoyue/daoyue"
)

// Date overrides: a practitioner's hours of single dates.

// PutOverride replaces one date's override; a practitioner not in the
// workspace is ENOTFOUND.
func (t *tx) PutOverride(ctx context.Context, workspaceID string, o *daoyue.DateOverride) error {
	// The WHERE keeps another workspace's row out of reach: an upsert that
	// meets a conflict does not re-check the foreign key.
	return t.execOne(ctx, "put override",
		`INSERT INTO date_overrides (workspace_id, practitioner_id, date, ranges) VALUES ($1, $2, $3, $4)
		 ON CONFLICT (practitioner_id, date) DO UPDATE SET ranges = excluded.ranges
		 WHERE date_overrides.workspace_id = excluded.workspace_id`,
		workspaceID, o.PractitionerID, o.Date, encodeRanges(o.Ranges))
}

// DeleteOverride removes one date's override (nothing to remove is no error).
func (t *tx) DeleteOverride(ctx context.Context, workspaceID, practitionerID, date string) error {
	_, err := t.exec(ctx, "delete override",
		`DELETE FROM date_overrides WHERE workspace_id = $1 AND practitioner_id = $2 AND date = $3`,
		workspaceID, practitionerID, date)
	return err
}

// ListOverrides returns the overrides dated from..to (inclusive), by date.
func (t *tx) ListWorkspaceOverrides(ctx context.Context, workspaceID, from, to string) ([]*daoyue.DateOverride, error) {
	rows, err := t.query(ctx, "list workspace overrides",
		`SELECT practitioner_id, date, ranges FROM date_overrides
		  WHERE workspace_id = $1 AND date >= $2 AND date <= $3 ORDER BY practitioner_id, date`,
		workspaceID, from, to)
	if err != nil {
		return nil, err
	}
	return collect(t, "list workspace overrides", rows, scanOverride)
}

func scanOverride(s scanner) (*daoyue.DateOverride, error) {
	var o daoyue.DateOverride
	var ranges string
	if err := s.Scan(&o.PractitionerID, &o.Date, &ranges); err != nil {
		return nil, err
	}
	var err error
	o.Ranges, err = decodeRanges(ranges)
	return &o, err
}

func (t *tx) ListOverrides(ctx context.Context, workspaceID, practitionerID, from, to string) ([]*daoyue.DateOverride, error) {
	rows, err := t.query(ctx, "list overrides",
		`SELECT practitioner_id, date, ranges FROM date_overrides
		  WHERE workspace_id = $1 AND practitioner_id = $2 AND date >= $3 AND date <= $4 ORDER BY date`,
		workspaceID, practitionerID, from, to)
	if err != nil {
		return nil, err
	}
	return collect(t, "list overrides", rows, func(s scanner) (*daoyue.DateOverride, error) {
		var o daoyue.DateOverride
		var ranges string
		if err := s.Scan(&o.PractitionerID, &o.Date, &ranges); err != nil {
			return nil, err
		}
		var err error
		o.Ranges, err = decodeRanges(ranges)
		return &o, err
	})
}
