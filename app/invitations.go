package app

import (
	"context"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/notify"
)

// Members join a studio only by invitation: an owner or admin names an
// email and a role, and the person who reads that mailbox accepts through a
// single-use link, setting their own password when they have no account. So
// nobody ever chooses a password for somebody else, and nothing a studio
// does tells it whether an email has an account elsewhere.

func invitationTokenContext(id string) string { return "invitations/" + id + "/token" }

// InviteMember invites email to the workspace with role (owners and
// admins; only an owner invites an owner). Inviting an email that already
// has a pending invitation sends it again with the new role. lang is the
// inviter's language, in which the email is written.
func (a *App) InviteMember(ctx context.Context, slug, email string, role daoyue.Role, practitionerID, lang string) (*daoyue.Invitation, error) {
	email = daoyue.NormalizeEmail(email)
	f := daoyue.FieldErrors{}
	if !daoyue.ValidEmail(email) {
		f.Add("email", "error.email")
	}
	if !role.Valid() {
		f.Add("role", "error.choice")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out *daoyue.Invitation
	err := a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if err := requireManager(m); err != nil {
			return err
		}
		if !m.Role.Manages(role) {
			return daoyue.ErrForbidden
		}
		// Only this workspace's own members are told apart: they are on
		// the members page already.
		if u, err := tx.UserByEmail(ctx, email); err == nil {
			if _, err := tx.Member(ctx, ws.ID, u.ID); err == nil {
				return daoyue.Errorf(daoyue.ECONFLICT, "error.member_exists")
			}
		} else if !daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return err
		}
		pending, err := tx.ListInvitations(ctx, ws.ID)
		if err != nil {
			return err
		}
		for _, inv := range pending {
			if inv.Email == email {
				out = inv
			}
		}
		linked, err := linkedPractitioner(ctx, tx, ws, role, practitionerID)
		if err != nil {
			return err
		}
		fresh := out == nil
		if fresh {
			out = &daoyue.Invitation{ID: daoyue.NewID("iv"), WorkspaceID: ws.ID, Email: email, InvitedBy: m.UserID, CreatedAt: a.now()}
		}
		out.Role, out.PractitionerID = role, linked
		if err := a.sendInvitation(ctx, tx, ws, m, out, lang, fresh); err != nil {
			return err
		}
		return a.audit(ctx, tx, ws.ID, "member.invited", "invitation", out.ID, map[string]string{"email": email, "role": string(role)})
	})
	return out, err
}

// ResendInvitation sends a pending (or expired) invitation again with a
// new link and a new expiry; the old link stops working.
func (a *App) ResendInvitation(ctx context.Context, slug, id, lang string) (*daoyue.Invitation, error) {
	var inv *daoyue.Invitation
	err := a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		var err error
		if inv, err = a.managedInvitation(ctx, tx, ws, m, id); err != nil {
			return err
		}
		if err := a.sendInvitation(ctx, tx, ws, m, inv, lang, false); err != nil {
			return err
		}
		return a.audit(ctx, tx, ws.ID, "member.invitation_resent", "invitation", inv.ID, map[string]string{"email": inv.Email})
	})
	return inv, err
}

// RevokeInvitation ends a pending invitation: its link stops working.
func (a *App) RevokeInvitation(ctx context.Context, slug, id string) error {
	return a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		inv, err := a.managedInvitation(ctx, tx, ws, m, id)
		if err != nil {
			return err
		}
		now := a.now()
		inv.RevokedAt = &now
		if err := tx.UpdateInvitation(ctx, inv); err != nil {
			return err
		}
		return a.audit(ctx, tx, ws.ID, "member.invitation_revoked", "invitation", inv.ID, map[string]string{"email": inv.Email})
	})
}

// Invitations lists the workspace's open invitations (pending or expired).
func (a *App) Invitations(ctx context.Context, slug string) ([]*daoyue.Invitation, error) {
	var out []*daoyue.Invitation
	err := a.memberView(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, _ *daoyue.Member) error {
		var err error
		out, err = tx.ListInvitations(ctx, ws.ID)
		return err
	})
	return out, err
}

// managedInvitation returns an open invitation m may resend or revoke:
// managers may, and only an owner may touch an invitation to be an owner.
func (a *App) managedInvitation(ctx context.Context, tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member, id string) (*daoyue.Invitation, error) {
	if err := requireManager(m); err != nil {
		return nil, err
	}
	inv, err := tx.Invitation(ctx, ws.ID, id)
	if err != nil {
		return nil, err
	}
	if inv.AcceptedAt != nil || inv.RevokedAt != nil {
		return nil, daoyue.ErrNotFound
	}
	if !m.Role.Manages(inv.Role) {
		return nil, daoyue.ErrForbidden
	}
	return inv, nil
}

// sendInvitation gives inv a new secret and expiry and writes its email to
// the outbox (with a sender, queued for delivery), all in tx.
func (a *App) sendInvitation(ctx context.Context, tx daoyue.Tx, ws *daoyue.Workspace, by *daoyue.Member, inv *daoyue.Invitation, lang string, fresh bool) error {
	k := a.keyring()
	if k == nil {
		return daoyue.Errorf(daoyue.EINTERNAL, "error.internal")
	}
	token := daoyue.NewToken()
	sealed, err := k.Encrypt([]byte(token), invitationTokenContext(inv.ID))
	if err != nil {
		return err
	}
	inv.TokenHash, inv.TokenSealed = daoyue.HashToken(token), sealed
	inv.ExpiresAt = a.now().Add(daoyue.InvitationTTL)
	inviter := by.Name
	if inviter == "" {
		inviter = by.Email
	}
	msg := notify.ComposeInvitation(notify.InvitationInput{Workspace: ws, Invitation: inv, InviterName: inviter,
		Language: lang, BaseURL: a.Mail.BaseURL})
	out := &daoyue.OutboxMessage{ID: daoyue.NewID("ml"), WorkspaceID: ws.ID, Kind: daoyue.MailInvitation,
		Language: msg.Language, FromName: ws.Name, Recipient: inv.Email, Subject: msg.Subject, Text: msg.Text,
		HTML: msg.HTML, Status: daoyue.MailKept, CreatedAt: a.now()}
	if a.Sending() {
		out.Status = daoyue.MailQueued
	}
	if err := tx.AddOutbox(ctx, out); err != nil {
		return err
	}
	inv.MessageID = out.ID
	if fresh {
		err = tx.CreateInvitation(ctx, inv)
	} else {
		err = tx.UpdateInvitation(ctx, inv)
	}
	return err
}

// invitationToken opens the secret of the invitation whose current link
// the outbox message carries ("" when a resend replaced it or it ended).
func (a *App) invitationToken(ctx context.Context, msg *daoyue.OutboxMessage) (string, error) {
	var inv *daoyue.Invitation
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		inv, err = tx.InvitationByMessage(ctx, msg.WorkspaceID, msg.ID)
		return err
	})
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return "", nil
	} else if err != nil {
		return "", err
	}
	if inv.State(a.now()) != daoyue.InvitationPending || a.keyring() == nil {
		return "", nil
	}
	raw, err := a.keyring().Decrypt(inv.TokenSealed, invitationTokenContext(inv.ID))
	if err != nil {
		return "", err
	}
	return string(raw), nil
}

// InvitationView is what the invitation page shows to whoever holds the
// link (the owner of the mailbox it was sent to).
type InvitationView struct {
	Invitation *daoyue.Invitation
	Workspace  *daoyue.Workspace
	// HasAccount tells the link holder whether to sign in or to choose a
	// password.
	HasAccount bool
	// SignedInAs is the email of the signed-in user, "" when nobody is.
	SignedInAs string
}

// OpenInvitation returns the invitation behind a link; a used, revoked,
// expired or unknown link is ENOTFOUND with a message that says so.
func (a *App) OpenInvitation(ctx context.Context, token string) (*InvitationView, error) {
	var v *InvitationView
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		v, err = a.openInvitation(ctx, tx, token)
		return err
	})
	return v, err
}

func (a *App) openInvitation(ctx context.Context, tx daoyue.Tx, token string) (*InvitationView, error) {
	gone := daoyue.Errorf(daoyue.ENOTFOUND, "error.invitation_gone")
	if token == "" {
		return nil, gone
	}
	inv, err := tx.InvitationByTokenHash(ctx, daoyue.HashToken(token))
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return nil, gone
	} else if err != nil {
		return nil, err
	}
	if inv.State(a.now()) != daoyue.InvitationPending {
		return nil, gone
	}
	ws, err := tx.WorkspaceByID(ctx, inv.WorkspaceID)
	if err != nil {
		return nil, err
	}
	v := &InvitationView{Invitation: inv, Workspace: ws}
	switch _, err := tx.UserByEmail(ctx, inv.Email); {
	case err == nil:
		v.HasAccount = true
	case !daoyue.IsCode(err, daoyue.ENOTFOUND):
		return nil, err
	}
	if actor := daoyue.ActorFrom(ctx); actor.Kind == daoyue.ActorMember {
		u, err := tx.UserByID(ctx, actor.UserID)
		if err != nil {
			return nil, err
		}
		v.SignedInAs = u.Email
	}
	return v, nil
}

// Acceptance is what accepting an invitation gives: the workspace joined,
// and for a new account a session token (the person is signed in).
type Acceptance struct {
	Workspace    *daoyue.Workspace
	SessionToken string
	ExpiresAt    time.Time
}

// AcceptInvitation makes the link holder a member. A person without an
// account creates one with their own name and password; a person with one
// must be signed in as that account (ctx's actor). The link works once.
func (a *App) AcceptInvitation(ctx context.Context, token, name, password string) (*Acceptance, error) {
	out := &Acceptance{}
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		v, err := a.openInvitation(ctx, tx, token)
		if err != nil {
			return err
		}
		inv := v.Invitation
		var u *daoyue.User
		actor := daoyue.ActorFrom(ctx)
		switch {
		case v.HasAccount:
			// The account's own password is what proves who accepts.
			if actor.Kind != daoyue.ActorMember {
				return daoyue.ErrUnauthorized
			}
			if v.SignedInAs != inv.Email {
				return daoyue.Errorf(daoyue.EFORBIDDEN, "error.invitation_other_account").With("email", inv.Email)
			}
			if u, err = tx.UserByEmail(ctx, inv.Email); err != nil {
				return err
			}
		default:
			if u, err = a.newUser(ctx, tx, inv.Email, name, password); err != nil {
				return err
			}
			if out.SessionToken, out.ExpiresAt, err = a.newSession(ctx, tx, u.ID, "session"); err != nil {
				return err
			}
		}
		out.Workspace = v.Workspace
		now := a.now()
		inv.AcceptedAt = &now
		if err := tx.UpdateInvitation(ctx, inv); err != nil {
			return err
		}
		if _, err := tx.Member(ctx, inv.WorkspaceID, u.ID); err == nil {
			return nil // a member already (added since): the link is used up all the same
		}
		m := &daoyue.Member{WorkspaceID: inv.WorkspaceID, UserID: u.ID, Role: inv.Role, PractitionerID: inv.PractitionerID,
			Email: u.Email, Name: u.Name, CreatedAt: now}
		if err := tx.PutMember(ctx, m); err != nil {
			return err
		}
		ctx := daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorMember, UserID: u.ID, Label: u.Email})
		return a.audit(ctx, tx, inv.WorkspaceID, "member.joined", "member", u.ID, map[string]string{"email": u.Email, "role": string(inv.Role)})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
