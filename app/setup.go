package app

import (
	"context"
	"strings"

	"github.com/daoyue/daoyue"
)

// These use cases serve the command line and the demo seed: they run as the
// system, without a signed-in member.

// CreateWorkspace creates a workspace (ECONFLICT when the slug is taken).
func (a *App) CreateWorkspace(ctx context.Context, ws *daoyue.Workspace) error {
	ws.Slug = strings.ToLower(strings.TrimSpace(ws.Slug))
	ws.Name = strings.TrimSpace(ws.Name)
	if ws.TimeZone == "" {
		ws.TimeZone = daoyue.DefaultTimeZone
	}
	if err := ws.Validate(); err != nil {
		return err
	}
	ws.ID, ws.CreatedAt = daoyue.NewID("ws"), a.now()
	return a.Store.Update(ctx, func(tx daoyue.Tx) error {
		if err := tx.CreateWorkspace(ctx, ws); err != nil {
			if daoyue.IsCode(err, daoyue.ECONFLICT) {
				return daoyue.Errorf(daoyue.ECONFLICT, "error.slug_taken")
			}
			return err
		}
		return a.audit(ctx, tx, ws.ID, "workspace.created", "workspace", ws.ID, map[string]string{"slug": ws.Slug})
	})
}

// EnsureMember makes the user with email a member of the workspace slug with
// role, creating the user with password if there is none; an existing user's
// password is replaced when password is not empty.
func (a *App) EnsureMember(ctx context.Context, slug, email, name, password string, role daoyue.Role) (*daoyue.User, error) {
	email = daoyue.NormalizeEmail(email)
	if !daoyue.ValidEmail(email) {
		return nil, daoyue.FieldErrors{"email": "error.email"}.Err()
	}
	if !role.Valid() {
		return nil, daoyue.FieldErrors{"role": "error.choice"}.Err()
	}
	var u *daoyue.User
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		ws, err := tx.WorkspaceBySlug(ctx, slug)
		if err != nil {
			return err
		}
		u, err = tx.UserByEmail(ctx, email)
		switch {
		case daoyue.IsCode(err, daoyue.ENOTFOUND):
			if u, err = a.newUser(ctx, tx, email, name, password); err != nil {
				return err
			}
		case err != nil:
			return err
		case password != "":
			if len([]rune(password)) < MinPasswordLen {
				return daoyue.FieldErrors{"password": "error.password_short"}.Err()
			}
			if u.PasswordHash, err = HashPassword(password); err != nil {
				return err
			}
			if err := tx.UpdateUser(ctx, u); err != nil {
				return err
			}
		}
		m := &daoyue.Member{WorkspaceID: ws.ID, UserID: u.ID, Role: role, Email: u.Email, Name: u.Name, CreatedAt: a.now()}
		if err := tx.PutMember(ctx, m); err != nil {
			return err
		}
		return a.audit(ctx, tx, ws.ID, "member.added", "member", u.ID, map[string]string{"email": u.Email, "role": string(role)})
	})
	return u, err
}
