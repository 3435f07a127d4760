package web

import (
	"net/http"

	"github.com/daoyue/daoyue"
)

// The members page: the workspace's members with their roles, and the
// open invitations (app/members.go, app/invitations.go).

type membersPage struct {
	Members     []*daoyue.Member
	Invitations []*daoyue.Invitation
	Expired     map[string]bool // invitation ids whose link has expired
	Roles       []daoyue.Role   // the roles the signed-in member may give
	// TwoFactorRequired: members must sign in with a second factor.
	TwoFactorRequired bool
	// Practitioners can be linked to a practitioner member.
	Practitioners []*daoyue.Practitioner
}

func (s *Server) membersPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderMembers(w, r, http.StatusOK, nil)
}

func (s *Server) renderMembers(w http.ResponseWriter, r *http.Request, status int, actionErr error) error {
	v, err := s.adminView(w, r, "members", "page.members.title")
	if err != nil {
		return err
	}
	ms, err := s.App.Members(r.Context(), v.Admin.Workspace.Slug)
	if err != nil {
		return err
	}
	invs, err := s.App.Invitations(r.Context(), v.Admin.Workspace.Slug)
	if err != nil {
		return err
	}
	req, err := s.App.TwoFactorRequired(r.Context(), v.Admin.Workspace.Slug)
	if err != nil {
		return err
	}
	pracs, err := s.App.Practitioners(r.Context(), v.Admin.Workspace.Slug)
	if err != nil {
		return err
	}
	mp := &membersPage{Members: ms, Invitations: invs, Expired: map[string]bool{}, Roles: v.Admin.Member.Role.Grantable(),
		TwoFactorRequired: req, Practitioners: pracs}
	for _, inv := range invs {
		mp.Expired[inv.ID] = inv.State(s.App.Now()) == daoyue.InvitationExpired
	}
	if actionErr != nil {
		v.Form = r.PostForm
		s.applyError(r, v, actionErr)
		v.SwitchURL = v.Base() + "/members"
	} else {
		v.Form.Set("role", string(daoyue.RoleStaff))
	}
	v.Data = mp
	s.render(w, r, status, "members", v)
	return nil
}

// CanEditMember reports whether the signed-in member may change m.
func (v *view) CanEditMember(m *daoyue.Member) bool {
	return v.Admin != nil && v.Admin.Member.Role.Manages(m.Role)
}

func (s *Server) memberInvite(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "members", "page.members.title")
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	f := r.PostForm
	if _, err := s.App.InviteMember(r.Context(), v.Admin.Workspace.Slug, f.Get("email"), daoyue.Role(f.Get("role")), f.Get("practitioner_id"), v.Lang); err != nil {
		return s.memberFailed(w, r, err)
	}
	s.redirectFlash(w, r, v.Base()+"/members", "flash.invitation_sent")
	return nil
}

func (s *Server) invitationResend(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "members", "page.members.title")
	if err != nil {
		return err
	}
	if _, err := s.App.ResendInvitation(r.Context(), v.Admin.Workspace.Slug, r.PathValue("iid"), v.Lang); err != nil {
		return s.memberFailed(w, r, err)
	}
	s.redirectFlash(w, r, v.Base()+"/members", "flash.invitation_sent")
	return nil
}

func (s *Server) invitationRevoke(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "members", "page.members.title")
	if err != nil {
		return err
	}
	if err := s.App.RevokeInvitation(r.Context(), v.Admin.Workspace.Slug, r.PathValue("iid")); err != nil {
		return s.memberFailed(w, r, err)
	}
	s.redirectFlash(w, r, v.Base()+"/members", "flash.invitation_revoked")
	return nil
}

func (s *Server) memberRole(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "members", "page.members.title")
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	if err := s.App.SetMemberRole(r.Context(), v.Admin.Workspace.Slug, r.PathValue("uid"), daoyue.Role(r.PostFormValue("role")), r.PostFormValue("practitioner_id")); err != nil {
		return s.memberFailed(w, r, err)
	}
	s.redirectFlash(w, r, v.Base()+"/members", "flash.role_changed")
	return nil
}

func (s *Server) memberRemove(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "members", "page.members.title")
	if err != nil {
		return err
	}
	if err := s.App.RemoveMember(r.Context(), v.Admin.Workspace.Slug, r.PathValue("uid")); err != nil {
		return s.memberFailed(w, r, err)
	}
	s.redirectFlash(w, r, v.Base()+"/members", "flash.member_removed")
	return nil
}

func (s *Server) memberFailed(w http.ResponseWriter, r *http.Request, err error) error {
	return s.setupFailed(r, err, func(status int) error { return s.renderMembers(w, r, status, err) })
}

// PractitionerName is the name of the practitioner with id ("" if none).
func (p *membersPage) PractitionerName(id string) string {
	for _, pr := range p.Practitioners {
		if pr.ID == id {
			return pr.Name
		}
	}
	return ""
}
