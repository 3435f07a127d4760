package app

import (
	"context"
	"strings"

	"github.com/daoyue/daoyue"
)

// Practitioners lists the workspace's practitioners.
func (a *App) Practitioners(ctx context.Context, slug string) ([]*daoyue.Practitioner, error) {
	var out []*daoyue.Practitioner
	err := a.memberView(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, _ *daoyue.Member) error {
		var err error
		out, err = tx.ListPractitioners(ctx, ws.ID)
		return err
	})
	return out, err
}

// Practitioner returns one practitioner of the workspace.
func (a *App) Practitioner(ctx context.Context, slug, id string) (*daoyue.Practitioner, error) {
	var out *daoyue.Practitioner
	err := a.memberView(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, _ *daoyue.Member) error {
		var err error
		out, err = tx.Practitioner(ctx, ws.ID, id)
		return err
	})
	return out, err
}

func tidyPractitioner(p *daoyue.Practitioner) {
	p.Name = strings.TrimSpace(p.Name)
	p.Email = daoyue.NormalizeEmail(p.Email)
	p.Bio = strings.TrimSpace(p.Bio)
}

// CreatePractitioner adds a practitioner (owners and admins).
func (a *App) CreatePractitioner(ctx context.Context, slug string, p *daoyue.Practitioner) error {
	tidyPractitioner(p)
	if err := p.Validate(); err != nil {
		return err
	}
	return a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if err := requireManager(m); err != nil {
			return err
		}
		p.ID, p.WorkspaceID, p.CreatedAt = daoyue.NewID("pr"), ws.ID, a.now()
		if err := tx.CreatePractitioner(ctx, p); err != nil {
			return err
		}
		return a.audit(ctx, tx, ws.ID, "practitioner.created", "practitioner", p.ID, map[string]string{"name": p.Name})
	})
}

// PractitionerUpdate is an edit of a practitioner; nil fields stay as they are.
type PractitionerUpdate struct {
	Name, Email, Bio *string
	Active           *bool
	Weekly           *[]daoyue.WeeklyRule
}

// UpdatePractitioner changes a practitioner's profile or weekly hours.
func (a *App) UpdatePractitioner(ctx context.Context, slug, id string, u PractitionerUpdate) (*daoyue.Practitioner, error) {
	var p *daoyue.Practitioner
	err := a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		// Their own weekly hours are a practitioner member's to change;
		// the rest of the profile is the managers'.
		onlyHours := u.Name == nil && u.Email == nil && u.Bio == nil && u.Active == nil
		if err := requireManager(m); err != nil && !(onlyHours && m.Tends(id)) {
			return err
		}
		var err error
		if p, err = tx.Practitioner(ctx, ws.ID, id); err != nil {
			return err
		}
		details := map[string]string{}
		set := func(dst *string, src *string, name string) {
			if src != nil {
				*dst = *src
				details[name] = "changed"
			}
		}
		set(&p.Name, u.Name, "name")
		set(&p.Email, u.Email, "email")
		set(&p.Bio, u.Bio, "bio")
		if u.Active != nil {
			p.Active = *u.Active
			details["active"] = boolWord(p.Active)
		}
		if u.Weekly != nil {
			p.Weekly = *u.Weekly
			details["weekly_hours"] = "changed"
		}
		tidyPractitioner(p)
		if err := p.Validate(); err != nil {
			return err
		}
		if err := tx.UpdatePractitioner(ctx, p); err != nil {
			return err
		}
		return a.audit(ctx, tx, ws.ID, "practitioner.updated", "practitioner", p.ID, details)
	})
	return p, err
}

func boolWord(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// Overrides lists a practitioner's date overrides between two dates.
func (a *App) Overrides(ctx context.Context, slug, id, from, to string) ([]*daoyue.DateOverride, error) {
	var out []*daoyue.DateOverride
	err := a.memberView(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, _ *daoyue.Member) error {
		if _, err := tx.Practitioner(ctx, ws.ID, id); err != nil {
			return err
		}
		var err error
		out, err = tx.ListOverrides(ctx, ws.ID, id, from, to)
		return err
	})
	return out, err
}

// PutOverride sets the hours of one date (no ranges: a day off).
func (a *App) PutOverride(ctx context.Context, slug string, o *daoyue.DateOverride) error {
	f := daoyue.FieldErrors{}
	if !daoyue.ValidDate(o.Date) {
		f.Add("date", "error.date")
	}
	if daoyue.ValidateRanges(o.Ranges) != nil {
		f.Add("ranges", "error.hours")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if err := requireTends(m, o.PractitionerID); err != nil {
			return err
		}
		if _, err := tx.Practitioner(ctx, ws.ID, o.PractitionerID); err != nil {
			return err
		}
		if err := tx.PutOverride(ctx, ws.ID, o); err != nil {
			return err
		}
		kind := "hours"
		if len(o.Ranges) == 0 {
			kind = "day_off"
		}
		return a.audit(ctx, tx, ws.ID, "availability.override_set", "practitioner", o.PractitionerID, map[string]string{"date": o.Date, "kind": kind})
	})
}

// DeleteOverride gives a date back its weekly hours.
func (a *App) DeleteOverride(ctx context.Context, slug, id, date string) error {
	return a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if err := requireTends(m, id); err != nil {
			return err
		}
		if _, err := tx.Practitioner(ctx, ws.ID, id); err != nil {
			return err
		}
		if err := tx.DeleteOverride(ctx, ws.ID, id, date); err != nil {
			return err
		}
		return a.audit(ctx, tx, ws.ID, "availability.override_removed", "practitioner", id, map[string]string{"date": date})
	})
}
