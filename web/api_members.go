package web

import (
	"net/http"
	"time"

	"github.com/daoyue/daoyue"
)

// The members of API v1: list, change a role, remove.

func (s *Server) apiMembers(w http.ResponseWriter, r *http.Request) error {
	loc, err := s.wsLoc(r)
	if err != nil {
		return err
	}
	ms, err := s.App.Members(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	out := struct {
		Members []memberJSON `json:"members"`
	}{Members: make([]memberJSON, 0, len(ms))}
	for _, m := range ms {
		out.Members = append(out.Members, memberOf(m, loc))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type roleInput struct {
	Role           string `json:"role"`
	PractitionerID string `json:"practitioner_id"`
}

func (s *Server) apiSetMemberRole(w http.ResponseWriter, r *http.Request) error {
	var in roleInput
	if err := apiDecodeJSON(w, r, &in); err != nil {
		return err
	}
	slug, userID := r.PathValue("slug"), r.PathValue("user_id")
	if err := s.App.SetMemberRole(r.Context(), slug, userID, daoyue.Role(in.Role), in.PractitionerID); err != nil {
		return err
	}
	ws, _, err := s.App.Workspace(r.Context(), slug)
	if err != nil {
		return err
	}
	ms, err := s.App.Members(r.Context(), slug)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.UserID == userID {
			writeJSON(w, http.StatusOK, memberOf(m, ws.Location()))
			return nil
		}
	}
	return daoyue.ErrNotFound
}

func (s *Server) apiRemoveMember(w http.ResponseWriter, r *http.Request) error {
	if err := s.App.RemoveMember(r.Context(), r.PathValue("slug"), r.PathValue("user_id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type memberJSON struct {
	UserID         string `json:"user_id"`
	Email          string `json:"email"`
	Name           string `json:"name"`
	Role           string `json:"role"`
	PractitionerID string `json:"practitioner_id,omitempty"`
	CreatedAt      string `json:"created_at"`
}

func memberOf(m *daoyue.Member, loc *time.Location) memberJSON {
	return memberJSON{UserID: m.UserID, Email: m.Email, Name: m.Name, Role: string(m.Role), PractitionerID: m.PractitionerID,
		CreatedAt: apiTime(m.CreatedAt, loc)}
}
