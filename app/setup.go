package app

import (
	"context"
	"strings"

	"golang.org/x/crypto/bcrypt"

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
// role, creating the user with password if there is none; an existing
// user's password is replaced when password is not empty, which ends every
// session and API token of theirs if the password changed. The demo seed
// and the review sandbox use it; operators use CreateUser and
// ResetPassword.
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
			if err := a.setPassword(ctx, tx, u, password); err != nil {
				return err
			}
		}
		return a.putMember(ctx, tx, ws, u, role)
	})
	return u, err
}

// CreateUser creates a new user with a password and makes them a member of
// the workspace slug (the operator's `daoyue user create`). An email that
// already has an account is refused: its password is its owner's.
func (a *App) CreateUser(ctx context.Context, slug, email, name, password string, role daoyue.Role) (*daoyue.User, error) {
	email = daoyue.NormalizeEmail(email)
	f := daoyue.FieldErrors{}
	if !daoyue.ValidEmail(email) {
		f.Add("email", "error.email")
	}
	if !role.Valid() || role == daoyue.RolePractitioner {
		f.Add("role", "error.choice") // a practitioner member is invited from the members page, with their practitioner
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var u *daoyue.User
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		ws, err := tx.WorkspaceBySlug(ctx, slug)
		if err != nil {
			return err
		}
		if _, err := tx.UserByEmail(ctx, email); err == nil {
			return daoyue.Errorf(daoyue.ECONFLICT, "error.user_exists")
		} else if !daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return err
		}
		if u, err = a.newUser(ctx, tx, email, name, password); err != nil {
			return err
		}
		return a.putMember(ctx, tx, ws, u, role)
	})
	return u, err
}

// ResetPassword gives the user with email a new password and ends every
// session and API token they had (the operator's `daoyue user
// reset-password`).
func (a *App) ResetPassword(ctx context.Context, email, password string) error {
	email = daoyue.NormalizeEmail(email)
	return a.Store.Update(ctx, func(tx daoyue.Tx) error {
		u, err := tx.UserByEmail(ctx, email)
		if err != nil {
			return err
		}
		return a.setPassword(ctx, tx, u, password)
	})
}

// setPassword replaces u's password; when it changed, every session and
// API token of u ends.
func (a *App) setPassword(ctx context.Context, tx daoyue.Tx, u *daoyue.User, password string) error {
	if err := checkPassword(password, u.Email); err != nil {
		return err
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) == nil {
		return nil // the same password: nothing to end
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	if err := tx.UpdateUser(ctx, u); err != nil {
		return err
	}
	if err := tx.DeleteAccountTokens(ctx, u.ID, daoyue.AccountPasswordReset); err != nil {
		return err
	}
	return tx.DeleteUserAuthTokens(ctx, u.ID, "")
}

// putMember makes u a member of ws with role, with its audit entry.
func (a *App) putMember(ctx context.Context, tx daoyue.Tx, ws *daoyue.Workspace, u *daoyue.User, role daoyue.Role) error {
	m := &daoyue.Member{WorkspaceID: ws.ID, UserID: u.ID, Role: role, Email: u.Email, Name: u.Name, CreatedAt: a.now()}
	if err := tx.PutMember(ctx, m); err != nil {
		return err
	}
	return a.audit(ctx, tx, ws.ID, "member.added", "member", u.ID, map[string]string{"email": u.Email, "role": string(role)})
}
