package web

import (
	"net/http"
	"time"
)

// The workspaces of API v1: the signed-in member's, and one of them with
// the member's role.

// wsLoc returns the zone of the workspace slug for the signed-in member
// (not_found when they are not a member).
func (s *Server) wsLoc(r *http.Request) (*time.Location, error) {
	ws, _, err := s.App.Workspace(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	return ws.Location(), nil
}

func (s *Server) apiMyWorkspaces(w http.ResponseWriter, r *http.Request) error {
	wss, err := s.App.MyWorkspaces(r.Context())
	if err != nil {
		return err
	}
	out := struct {
		Workspaces []workspaceJSON `json:"workspaces"`
	}{Workspaces: make([]workspaceJSON, 0, len(wss))}
	for _, ws := range wss {
		out.Workspaces = append(out.Workspaces, workspaceJSON{Slug: ws.Slug, Name: ws.Name, Intro: ws.Intro, TimeZone: ws.TimeZone})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiWorkspace(w http.ResponseWriter, r *http.Request) error {
	ws, m, err := s.App.Workspace(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, workspaceJSON{Slug: ws.Slug, Name: ws.Name, Intro: ws.Intro, TimeZone: ws.TimeZone, Role: string(m.Role)})
	return nil
}

type workspaceJSON struct {
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	Intro    string `json:"intro"`
	TimeZone string `json:"time_zone"`
	Role     string `json:"role,omitempty"`
}
