package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
)

// The practitioners of API v1, with their weekly hours and meeting tools.

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
	if err != nil {
		return err
	}
	if err := s.App.CreatePractitioner(r.Context(), r.PathValue("slug"), p); err != nil {
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

type hoursJSON struct {
	Weekday int    `json:"weekday"`
	Start   string `json:"start"`
	End     string `json:"end"`
}

type zoomToolJSON struct {
	Status       string `json:"status"`
	AccountLabel string `json:"account_label"`
	IsDefault    bool   `json:"is_default"`
}

type meetingToolsJSON struct {
	Zoom zoomToolJSON `json:"zoom"`
}

type practitionerJSON struct {
	ID           string           `json:"id"`
	Name         string           `json:"name"`
	Email        string           `json:"email"`
	Bio          string           `json:"bio"`
	Active       bool             `json:"active"`
	WeeklyHours  []hoursJSON      `json:"weekly_hours"`
	MeetingTools meetingToolsJSON `json:"meeting_tools"`
	CreatedAt    string           `json:"created_at"`
}

func practitionerOf(p *daoyue.Practitioner, loc *time.Location, z app.ZoomStatus) practitionerJSON {
	hs := make([]hoursJSON, 0, len(p.Weekly))
	for _, w := range p.Weekly {
		hs = append(hs, hoursJSON{Weekday: int(w.Weekday), Start: apiClock(w.Start), End: apiClock(w.End)})
	}
	return practitionerJSON{ID: p.ID, Name: p.Name, Email: p.Email, Bio: p.Bio, Active: p.Active, WeeklyHours: hs,
		MeetingTools: meetingToolsJSON{Zoom: zoomToolJSON{Status: z.Status, AccountLabel: z.AccountLabel, IsDefault: z.IsDefault}},
		CreatedAt:    apiTime(p.CreatedAt, loc)}
}

// apiWeeklyFrom reads weekly hours; problems are recorded per entry.
func apiWeeklyFrom(f daoyue.FieldErrors, hs []hoursJSON) []daoyue.WeeklyRule {
	out := make([]daoyue.WeeklyRule, 0, len(hs))
	for i, h := range hs {
		path := fmt.Sprintf("weekly_hours.%d", i)
		start, ok1 := apiParseClock(h.Start)
		end, ok2 := apiParseClock(h.End)
		if h.Weekday < 0 || h.Weekday > 6 {
			f.Add(path+".weekday", "error.api_weekday")
		}
		if !ok1 {
			f.Add(path+".start", "error.api_clock")
		}
		if !ok2 {
			f.Add(path+".end", "error.api_clock")
		}
		out = append(out, daoyue.WeeklyRule{Weekday: time.Weekday(h.Weekday), Start: start, End: end})
	}
	return out
}
