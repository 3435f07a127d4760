package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/i18n"
)

// The workspaces of API v1: the signed-in member's, one of them with the
// member's role, and the studio settings (PATCH, owners and admins).

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
		out.Workspaces = append(out.Workspaces, workspaceOf(ws, ""))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiWorkspace(w http.ResponseWriter, r *http.Request) error {
	ws, m, err := s.App.Workspace(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, workspaceOf(ws, m.Role))
	return nil
}

type workspaceJSON struct {
	Slug                string  `json:"slug"`
	Name                string  `json:"name"`
	Intro               string  `json:"intro"`
	TimeZone            string  `json:"time_zone"`
	ContactEmail        string  `json:"contact_email"`
	ContactPhone        string  `json:"contact_phone"`
	PaymentInstructions string  `json:"payment_instructions"`
	LogoURL             *string `json:"logo_url"`
	Role                string  `json:"role,omitempty"`
}

func workspaceOf(ws *daoyue.Workspace, role daoyue.Role) workspaceJSON {
	return workspaceJSON{Slug: ws.Slug, Name: ws.Name, Intro: ws.Intro, TimeZone: ws.TimeZone,
		ContactEmail: ws.ContactEmail, ContactPhone: ws.ContactPhone, PaymentInstructions: ws.PaymentInstructions,
		LogoURL: logoURL(ws), Role: string(role)}
}

// logoURL is the path of the studio's logo (nil when it has none); it
// carries the logo's version, so it may be cached for good.
func logoURL(ws *daoyue.Workspace) *string {
	if ws.LogoVersion == "" {
		return nil
	}
	u := "/w/" + url.PathEscape(ws.Slug) + "/logo?v=" + ws.LogoVersion
	return &u
}

// workspaceInput is a PATCH of the studio settings: absent fields stay.
// The logo is uploaded on the settings page only.
type workspaceInput struct {
	Name                *string `json:"name"`
	Intro               *string `json:"intro"`
	TimeZone            *string `json:"time_zone"`
	ContactEmail        *string `json:"contact_email"`
	ContactPhone        *string `json:"contact_phone"`
	PaymentInstructions *string `json:"payment_instructions"`
}

type zoneChangeJSON struct {
	From     string `json:"from"`
	To       string `json:"to"`
	Bookings int    `json:"bookings"`
	Message  string `json:"message"`
}

func (s *Server) apiUpdateWorkspace(w http.ResponseWriter, r *http.Request) error {
	var in workspaceInput
	if err := apiDecodeJSON(w, r, &in); err != nil {
		return err
	}
	up, err := s.App.UpdateWorkspace(r.Context(), r.PathValue("slug"), app.WorkspaceChanges{Name: in.Name, Intro: in.Intro,
		TimeZone: in.TimeZone, ContactEmail: in.ContactEmail, ContactPhone: in.ContactPhone, PaymentInstructions: in.PaymentInstructions})
	if err != nil {
		return err
	}
	_, m, err := s.App.Workspace(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	out := struct {
		Workspace      workspaceJSON   `json:"workspace"`
		Changed        []string        `json:"changed"`
		TimeZoneChange *zoneChangeJSON `json:"time_zone_change"`
	}{Workspace: workspaceOf(up.Workspace, m.Role), Changed: up.Changed}
	if out.Changed == nil {
		out.Changed = []string{}
	}
	if z := up.Zone; z != nil {
		out.TimeZoneChange = &zoneChangeJSON{From: z.From, To: z.To, Bookings: z.Bookings, Message: zoneNote(langOf(r), z)}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// zoneNote explains a new time zone in lang.
func zoneNote(lang string, z *app.ZoneChange) string {
	return i18n.T(lang, "settings.zone_changed", map[string]any{"from": z.From, "to": z.To, "n": z.Bookings})
}
