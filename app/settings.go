package app

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/daoyue/daoyue"
)

// Studio settings (工作室設定): name, intro, time zone, contact, payment
// instructions and logo, changed by owners and admins.

// WorkspaceChanges is an edit of the studio's settings; nil fields stay as
// they are.
type WorkspaceChanges struct {
	Name, Intro, TimeZone      *string
	ContactEmail, ContactPhone *string
	PaymentInstructions        *string
	// Logo is a new logo image (checked by daoyue.NewLogo); RemoveLogo
	// drops the current one.
	Logo       []byte
	RemoveLogo bool
}

// ZoneChange says what a new time zone means for the studio.
type ZoneChange struct {
	From, To string
	// Bookings counts the bookings still ahead (pending, awaiting payment
	// or confirmed) whose local times now read differently.
	Bookings int
}

// WorkspaceUpdate is the result of UpdateWorkspace.
type WorkspaceUpdate struct {
	Workspace *daoyue.Workspace
	Changed   []string    // the names of the fields that changed, sorted
	Zone      *ZoneChange // nil unless the time zone changed
}

// UpdateWorkspace changes the settings of the workspace slug: owners and
// admins only (staff get ErrForbidden; another studio's slug is
// ENOTFOUND). Nothing is stored unless every field is valid. A new time
// zone moves no booking: each keeps its instant in time and is shown in the
// new zone; weekly hours and date overrides, which are minutes after local
// midnight, are read in the new zone from then on.
func (a *App) UpdateWorkspace(ctx context.Context, slug string, c WorkspaceChanges) (*WorkspaceUpdate, error) {
	var out *WorkspaceUpdate
	err := a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if err := requireManager(m); err != nil {
			return err
		}
		before := *ws
		set := func(dst *string, src *string, trim bool) {
			if src != nil {
				v := *src
				if trim {
					v = strings.TrimSpace(v)
				}
				*dst = v
			}
		}
		set(&ws.Name, c.Name, true)
		set(&ws.Intro, c.Intro, false)
		set(&ws.TimeZone, c.TimeZone, true)
		if c.ContactEmail != nil {
			ws.ContactEmail = daoyue.NormalizeEmail(*c.ContactEmail)
		}
		set(&ws.ContactPhone, c.ContactPhone, true)
		set(&ws.PaymentInstructions, c.PaymentInstructions, false)
		f := daoyue.FieldErrors{}
		var logo *daoyue.Logo
		if c.Logo != nil {
			var err error
			if logo, err = daoyue.NewLogo(c.Logo, a.now()); err != nil {
				f = fieldsOf(err)
			}
		}
		if err := ws.Validate(); err != nil {
			for k, v := range fieldsOf(err) {
				f.Add(k, v)
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		switch {
		case logo != nil:
			if v := logo.Version(); v != ws.LogoVersion {
				if err := tx.PutWorkspaceLogo(ctx, ws.ID, logo); err != nil {
					return err
				}
				ws.LogoVersion = v
			}
		case c.RemoveLogo && ws.LogoVersion != "":
			if err := tx.DeleteWorkspaceLogo(ctx, ws.ID); err != nil {
				return err
			}
			ws.LogoVersion = ""
		}
		out = &WorkspaceUpdate{Workspace: ws, Changed: changedFields(&before, ws)}
		if len(out.Changed) == 0 {
			return nil
		}
		if ws.TimeZone != before.TimeZone {
			n, err := tx.CountBookingsAhead(ctx, ws.ID, a.now())
			if err != nil {
				return err
			}
			out.Zone = &ZoneChange{From: before.TimeZone, To: ws.TimeZone, Bookings: n}
		}
		if err := tx.UpdateWorkspace(ctx, ws); err != nil {
			return err
		}
		// The entry names the fields; the zone's names are not private and
		// say what the studio's times were read in before.
		details := map[string]string{"fields": strings.Join(out.Changed, ",")}
		if out.Zone != nil {
			details["time_zone_from"], details["time_zone_to"] = out.Zone.From, out.Zone.To
		}
		return a.audit(ctx, tx, ws.ID, "workspace.updated", "workspace", ws.ID, details)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// changedFields names the settings that differ between a and b.
func changedFields(a, b *daoyue.Workspace) []string {
	var out []string
	for name, differ := range map[string]bool{
		"name": a.Name != b.Name, "intro": a.Intro != b.Intro, "time_zone": a.TimeZone != b.TimeZone,
		"contact_email": a.ContactEmail != b.ContactEmail, "contact_phone": a.ContactPhone != b.ContactPhone,
		"payment_instructions": a.PaymentInstructions != b.PaymentInstructions, "logo": a.LogoVersion != b.LogoVersion,
	} {
		if differ {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// fieldsOf returns the field errors of an EINVALID error (empty otherwise).
func fieldsOf(err error) daoyue.FieldErrors {
	var e *daoyue.Error
	if errors.As(err, &e) && e.Fields != nil {
		return daoyue.FieldErrors(e.Fields)
	}
	return daoyue.FieldErrors{}
}

// WorkspaceLogo returns the logo of the studio slug for its public page
// (ENOTFOUND when there is none).
func (a *App) WorkspaceLogo(ctx context.Context, slug string) (*daoyue.Logo, error) {
	var l *daoyue.Logo
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		ws, err := tx.WorkspaceBySlug(ctx, slug)
		if err != nil {
			return err
		}
		l, err = tx.WorkspaceLogo(ctx, ws.ID)
		return err
	})
	return l, err
}
