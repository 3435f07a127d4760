package web

import (
	"net/http"
	"time"

	"github.com/daoyue/daoyue"
)

// The invitations of API v1 (app/invitations.go): members join only through
// them.

type invitationInput struct {
	Email          string `json:"email"`
	Role           string `json:"role"`
	PractitionerID string `json:"practitioner_id"`
}

func (s *Server) apiInvitations(w http.ResponseWriter, r *http.Request) error {
	loc, err := s.wsLoc(r)
	if err != nil {
		return err
	}
	is, err := s.App.Invitations(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	out := struct {
		Invitations []invitationJSON `json:"invitations"`
	}{Invitations: make([]invitationJSON, 0, len(is))}
	for _, i := range is {
		out.Invitations = append(out.Invitations, invitationOf(i, loc, s.App.Now()))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiInvite answers 201 with the invitation whether or not the email has
// an account anywhere: nothing here tells one from the other.
func (s *Server) apiInvite(w http.ResponseWriter, r *http.Request) error {
	var in invitationInput
	if err := apiDecodeJSON(w, r, &in); err != nil {
		return err
	}
	loc, err := s.wsLoc(r)
	if err != nil {
		return err
	}
	inv, err := s.App.InviteMember(r.Context(), r.PathValue("slug"), in.Email, daoyue.Role(in.Role), in.PractitionerID, langOf(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, invitationOf(inv, loc, s.App.Now()))
	return nil
}

func (s *Server) apiResendInvitation(w http.ResponseWriter, r *http.Request) error {
	loc, err := s.wsLoc(r)
	if err != nil {
		return err
	}
	inv, err := s.App.ResendInvitation(r.Context(), r.PathValue("slug"), r.PathValue("id"), langOf(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, invitationOf(inv, loc, s.App.Now()))
	return nil
}

func (s *Server) apiRevokeInvitation(w http.ResponseWriter, r *http.Request) error {
	if err := s.App.RevokeInvitation(r.Context(), r.PathValue("slug"), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// invitationJSON is an open invitation; its link is never shown: it goes
// only to the invited mailbox.
type invitationJSON struct {
	ID        string `json:"id"`
	Email     string `json:"email"`
	Role      string `json:"role"`
	Status    string `json:"status"`
	CreatedAt string `json:"created_at"`
	ExpiresAt string `json:"expires_at"`
}

func invitationOf(i *daoyue.Invitation, loc *time.Location, now time.Time) invitationJSON {
	return invitationJSON{ID: i.ID, Email: i.Email, Role: string(i.Role), Status: string(i.State(now)),
		CreatedAt: apiTime(i.CreatedAt, loc), ExpiresAt: apiTime(i.ExpiresAt, loc)}
}
