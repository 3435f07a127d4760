package app

import (
	"context"
	"strings"

	"github.com/daoyue/daoyue"
)

// Workspace returns a workspace the signed-in member belongs to, with the
// membership.
func (a *App) Workspace(ctx context.Context, slug string) (*daoyue.Workspace, *daoyue.Member, error) {
	var ws *daoyue.Workspace
	var m *daoyue.Member
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		ws, m, err = memberAccess(ctx, tx, slug)
		return err
	})
	return ws, m, err
}

// Members lists the workspace's members.
func (a *App) Members(ctx context.Context, slug string) ([]*daoyue.Member, error) {
	var out []*daoyue.Member
	err := a.memberView(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, _ *daoyue.Member) error {
		var err error
		out, err = tx.ListMembers(ctx, ws.ID)
		return err
	})
	return out, err
}

// SetMemberRole changes a member's role, keeping at least one owner; the
// practitioner role names the practitioner it is linked to.
func (a *App) SetMemberRole(ctx context.Context, slug, userID string, role daoyue.Role, practitionerID string) error {
	if !role.Valid() {
		return daoyue.FieldErrors{"role": "error.choice"}.Err()
	}
	return a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		target, err := a.editableMember(ctx, tx, ws, m, userID)
		if err != nil {
			return err
		}
		if !m.Role.Manages(role) {
			return daoyue.ErrForbidden
		}
		if target.Role == daoyue.RoleOwner && role != daoyue.RoleOwner {
			if err := keepAnOwner(ctx, tx, ws.ID); err != nil {
				return err
			}
		}
		if target.PractitionerID, err = linkedPractitioner(ctx, tx, ws, role, practitionerID); err != nil {
			return err
		}
		target.Role = role
		if err := tx.PutMember(ctx, target); err != nil {
			return err
		}
		return a.audit(ctx, tx, ws.ID, "member.role_changed", "member", userID, map[string]string{"role": string(role)})
	})
}

// RemoveMember removes a membership (the user stays), keeping at least one owner.
func (a *App) RemoveMember(ctx context.Context, slug, userID string) error {
	return a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		target, err := a.editableMember(ctx, tx, ws, m, userID)
		if err != nil {
			return err
		}
		if target.Role == daoyue.RoleOwner {
			if err := keepAnOwner(ctx, tx, ws.ID); err != nil {
				return err
			}
		}
		if err := tx.DeleteMember(ctx, ws.ID, userID); err != nil {
			return err
		}
		return a.audit(ctx, tx, ws.ID, "member.removed", "member", userID, map[string]string{"email": target.Email})
	})
}

// editableMember returns the target membership if m may change it
// (Role.Manages: managers may, and only an owner may change an owner).
func (a *App) editableMember(ctx context.Context, tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member, userID string) (*daoyue.Member, error) {
	if err := requireManager(m); err != nil {
		return nil, err
	}
	target, err := tx.Member(ctx, ws.ID, userID)
	if err != nil {
		return nil, err
	}
	if !m.Role.Manages(target.Role) {
		return nil, daoyue.ErrForbidden
	}
	return target, nil
}

// keepAnOwner refuses a change that would leave the workspace without an
// owner. It holds the owners (Tx.Owners): two owners changing each other
// at once would otherwise each see the other stay.
func keepAnOwner(ctx context.Context, tx daoyue.Tx, wsID string) error {
	owners, err := tx.Owners(ctx, wsID)
	if err != nil {
		return err
	}
	if len(owners) <= 1 {
		return daoyue.Errorf(daoyue.ETRANSITION, "error.last_owner")
	}
	return nil
}

func (a *App) newUser(ctx context.Context, tx daoyue.Tx, email, name, password string) (*daoyue.User, error) {
	f := daoyue.FieldErrors{}
	name = strings.TrimSpace(name)
	if name == "" {
		name = email[:strings.Index(email, "@")]
	}
	daoyue.CheckLine(f, "name", name, 1, 100)
	if err := checkPassword(password, email); err != nil {
		f.Add("password", err.(*daoyue.Error).Fields["password"])
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	u := &daoyue.User{ID: daoyue.NewID("us"), Email: email, Name: name, PasswordHash: hash, CreatedAt: a.now()}
	return u, tx.CreateUser(ctx, u)
}

// Audit returns a page of the workspace's audit log, newest first.
func (a *App) Audit(ctx context.Context, slug, cursor string, limit int) ([]*daoyue.AuditEntry, string, error) {
	if limit <= 0 {
		limit = 50
	}
	if limit > 200 {
		return nil, "", daoyue.FieldErrors{"limit": "error.limit"}.Err()
	}
	var out []*daoyue.AuditEntry
	var next string
	err := a.memberView(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if err := requireStudioWide(m); err != nil {
			return err
		}
		var err error
		out, next, err = tx.ListAudit(ctx, ws.ID, "", cursor, limit)
		return err
	})
	return out, next, err
}

// linkedPractitioner checks the practitioner a practitioner member is
// linked to (one of the workspace's) and returns it ("" for other roles).
func linkedPractitioner(ctx context.Context, tx daoyue.Tx, ws *daoyue.Workspace, role daoyue.Role, practitionerID string) (string, error) {
	if role != daoyue.RolePractitioner {
		return "", nil
	}
	if practitionerID == "" {
		return "", daoyue.FieldErrors{"practitioner_id": "error.required"}.Err()
	}
	if _, err := tx.Practitioner(ctx, ws.ID, practitionerID); daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return "", daoyue.FieldErrors{"practitioner_id": "error.choice"}.Err()
	} else if err != nil {
		return "", err
	}
	return practitionerID, nil
}
