package web

import (
	"net/http"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
)

// The admin setup of API v1: workspaces, practitioners with their hours,
// services, members and the audit log.

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

// ---- practitioners ----

func (s *Server) apiPractitioners(w http.ResponseWriter, r *http.Request) error {
	loc, err := s.wsLoc(r)
	if err != nil {
		return err
	}
	ps, err := s.App.Practitioners(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	zs, err := s.App.ZoomConnections(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	out := struct {
		Practitioners []practitionerJSON `json:"practitioners"`
	}{Practitioners: make([]practitionerJSON, 0, len(ps))}
	for _, p := range ps {
		out.Practitioners = append(out.Practitioners, practitionerOf(p, loc, zoomOf(zs, p.ID)))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiPractitioner(w http.ResponseWriter, r *http.Request) error {
	return s.answerPractitioner(w, r)
}

// answerPractitioner writes the practitioner in the path with its meeting
// tools.
func (s *Server) answerPractitioner(w http.ResponseWriter, r *http.Request) error {
	p, loc, err := s.practitionerIn(r)
	if err != nil {
		return err
	}
	zs, err := s.App.ZoomConnections(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, practitionerOf(p, loc, zoomOf(zs, p.ID)))
	return nil
}

// practitionerIn returns the practitioner {id} of workspace {slug} and the
// workspace's zone (not_found for another studio's).
func (s *Server) practitionerIn(r *http.Request) (*daoyue.Practitioner, *time.Location, error) {
	loc, err := s.wsLoc(r)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.App.Practitioner(r.Context(), r.PathValue("slug"), r.PathValue("id"))
	return p, loc, err
}

// zoomOf is a practitioner's Zoom card from the workspace's.
func zoomOf(zs map[string]app.ZoomStatus, id string) app.ZoomStatus {
	if z, ok := zs[id]; ok {
		return z
	}
	return app.ZoomStatusOf(nil)
}

// practitionerInput is the body of POST (omitted fields: empty, active
// true, no hours) and PATCH (omitted fields stay as they are).
type practitionerInput struct {
	Name        *string      `json:"name"`
	Email       *string      `json:"email"`
	Bio         *string      `json:"bio"`
	Active      *bool        `json:"active"`
	WeeklyHours *[]hoursJSON `json:"weekly_hours"`
}

var apiPractitionerFields = map[string]string{"weekly": "weekly_hours"}

func (in *practitionerInput) update(f daoyue.FieldErrors) app.PractitionerUpdate {
	u := app.PractitionerUpdate{Name: in.Name, Email: in.Email, Bio: in.Bio, Active: in.Active}
	if in.WeeklyHours != nil {
		ws := apiWeeklyFrom(f, *in.WeeklyHours)
		u.Weekly = &ws
	}
	return u
}

func (s *Server) apiCreatePractitioner(w http.ResponseWriter, r *http.Request) error {
	var in practitionerInput
	if err := apiDecodeJSON(w, r, &in); err != nil {
		return err
	}
	f := daoyue.FieldErrors{}
	u := in.update(f)
	if err := f.Err(); err != nil {
		return err
	}
	p := &daoyue.Practitioner{Active: true}
	if u.Name != nil {
		p.Name = *u.Name
	}
	if u.Email != nil {
		p.Email = *u.Email
	}
	if u.Bio != nil {
		p.Bio = *u.Bio
	}
	if u.Active != nil {
		p.Active = *u.Active
	}
	if u.Weekly != nil {
		p.Weekly = *u.Weekly
	}
	loc, err := s.wsLoc(r)
	if err == nil {
		err = s.App.CreatePractitioner(r.Context(), r.PathValue("slug"), p)
	}
	if err != nil {
		return apiRenameFields(err, apiPractitionerFields)
	}
	writeJSON(w, http.StatusCreated, practitionerOf(p, loc, app.ZoomStatusOf(nil)))
	return nil
}

func (s *Server) apiUpdatePractitioner(w http.ResponseWriter, r *http.Request) error {
	var in practitionerInput
	if err := apiDecodeJSON(w, r, &in); err != nil {
		return err
	}
	f := daoyue.FieldErrors{}
	u := in.update(f)
	if err := f.Err(); err != nil {
		return err
	}
	loc, err := s.wsLoc(r)
	if err != nil {
		return err
	}
	p, err := s.App.UpdatePractitioner(r.Context(), r.PathValue("slug"), r.PathValue("id"), u)
	if err != nil {
		return apiRenameFields(err, apiPractitionerFields)
	}
	zs, err := s.App.ZoomConnections(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, practitionerOf(p, loc, zoomOf(zs, p.ID)))
	return nil
}

// ---- date overrides ----

// maxOverrideRangeDays bounds one overrides query.
const maxOverrideRangeDays = 366

func (s *Server) apiOverrides(w http.ResponseWriter, r *http.Request) error {
	loc, err := s.wsLoc(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	from, to := q.Get("from"), q.Get("to")
	today := s.App.Now().In(loc)
	if from == "" {
		from = today.Format(time.DateOnly)
	}
	f := daoyue.FieldErrors{}
	fromT, errF := time.Parse(time.DateOnly, from)
	if errF != nil {
		f.Add("from", "error.date")
	}
	if to == "" && errF == nil {
		to = fromT.AddDate(0, 0, maxOverrideRangeDays-1).Format(time.DateOnly)
	}
	toT, errT := time.Parse(time.DateOnly, to)
	switch {
	case errT != nil:
		f.Add("to", "error.date")
	case errF == nil && toT.Before(fromT):
		f.Add("to", "error.date_order")
	case errF == nil && toT.Sub(fromT) >= maxOverrideRangeDays*24*time.Hour:
		f.Add("to", "error.api_override_range")
	}
	if err := f.Err(); err != nil {
		return err
	}
	ovs, err := s.App.Overrides(r.Context(), r.PathValue("slug"), r.PathValue("id"), from, to)
	if err != nil {
		return err
	}
	out := struct {
		Overrides []overrideJSON `json:"overrides"`
	}{Overrides: make([]overrideJSON, 0, len(ovs))}
	for _, o := range ovs {
		out.Overrides = append(out.Overrides, overrideOf(o))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type overrideInput struct {
	Ranges *[]rangeJSON `json:"ranges"`
}

func (s *Server) apiPutOverride(w http.ResponseWriter, r *http.Request) error {
	var in overrideInput
	if err := apiDecodeJSON(w, r, &in); err != nil {
		return err
	}
	f := daoyue.FieldErrors{}
	date := r.PathValue("date")
	if !daoyue.ValidDate(date) {
		f.Add("date", "error.date")
	}
	var ranges []daoyue.TimeRange
	if in.Ranges == nil {
		f.Add("ranges", "error.required")
	} else {
		ranges = apiRangesFrom(f, *in.Ranges)
	}
	if err := f.Err(); err != nil {
		return err
	}
	o := &daoyue.DateOverride{PractitionerID: r.PathValue("id"), Date: date, Ranges: ranges}
	if err := s.App.PutOverride(r.Context(), r.PathValue("slug"), o); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, overrideOf(o))
	return nil
}

func (s *Server) apiDeleteOverride(w http.ResponseWriter, r *http.Request) error {
	date := r.PathValue("date")
	if !daoyue.ValidDate(date) {
		return daoyue.FieldErrors{"date": "error.date"}.Err()
	}
	if err := s.App.DeleteOverride(r.Context(), r.PathValue("slug"), r.PathValue("id"), date); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- services ----

func (s *Server) apiServices(w http.ResponseWriter, r *http.Request) error {
	loc, err := s.wsLoc(r)
	if err != nil {
		return err
	}
	svcs, err := s.App.Services(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	out := struct {
		Services []serviceJSON `json:"services"`
	}{Services: make([]serviceJSON, 0, len(svcs))}
	for _, svc := range svcs {
		out.Services = append(out.Services, serviceOf(svc, loc))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiService(w http.ResponseWriter, r *http.Request) error {
	loc, err := s.wsLoc(r)
	if err != nil {
		return err
	}
	svc, err := s.App.Service(r.Context(), r.PathValue("slug"), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, serviceOf(svc, loc))
	return nil
}

func (s *Server) apiCreateService(w http.ResponseWriter, r *http.Request) error {
	var in serviceInput
	if err := apiDecodeJSON(w, r, &in); err != nil {
		return err
	}
	svc := in.service()
	loc, err := s.wsLoc(r)
	if err == nil {
		err = s.App.CreateService(r.Context(), r.PathValue("slug"), svc)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, serviceOf(svc, loc))
	return nil
}

func (s *Server) apiUpdateService(w http.ResponseWriter, r *http.Request) error {
	var in serviceInput
	if err := apiDecodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.ID != nil && *in.ID != r.PathValue("id") {
		return daoyue.FieldErrors{"id": "error.api_id_mismatch"}.Err()
	}
	svc := in.service()
	svc.ID = r.PathValue("id")
	loc, err := s.wsLoc(r)
	if err == nil {
		err = s.App.UpdateService(r.Context(), r.PathValue("slug"), svc)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, serviceOf(svc, loc))
	return nil
}

// ---- members ----

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

type invitationInput struct {
	Email string `json:"email"`
	Role  string `json:"role"`
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
	inv, err := s.App.InviteMember(r.Context(), r.PathValue("slug"), in.Email, daoyue.Role(in.Role), langOf(r))
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

type roleInput struct {
	Role string `json:"role"`
}

func (s *Server) apiSetMemberRole(w http.ResponseWriter, r *http.Request) error {
	var in roleInput
	if err := apiDecodeJSON(w, r, &in); err != nil {
		return err
	}
	slug, userID := r.PathValue("slug"), r.PathValue("user_id")
	if err := s.App.SetMemberRole(r.Context(), slug, userID, daoyue.Role(in.Role)); err != nil {
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

// ---- audit ----

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	f := daoyue.FieldErrors{}
	limit := apiQueryInt(f, r, "limit")
	if err := f.Err(); err != nil {
		return err
	}
	loc, err := s.wsLoc(r)
	if err != nil {
		return err
	}
	es, next, err := s.App.Audit(r.Context(), r.PathValue("slug"), r.URL.Query().Get("cursor"), limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Entries    []auditJSON `json:"entries"`
		NextCursor string      `json:"next_cursor"`
	}{auditOf(es, loc), next})
	return nil
}
