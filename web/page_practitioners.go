package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
)

// The practitioners pages: the list with a form to add one, and one
// practitioner's details.

type practitionersPage struct {
	Practitioners []*daoyue.Practitioner
	P             *daoyue.Practitioner // the one being edited
	Zoom          *zoomCard            // its online meeting tools
	zoom          map[string]app.ZoomStatus
}

// ZoomOf is a listed practitioner's Zoom connection (zero: not connected).
func (pp *practitionersPage) ZoomOf(id string) app.ZoomStatus { return pp.zoom[id] }

func (s *Server) practitionersPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderPractitioners(w, r, http.StatusOK, nil)
}

func (s *Server) renderPractitioners(w http.ResponseWriter, r *http.Request, status int, actionErr error) error {
	v, err := s.adminView(w, r, "practitioners", "page.practitioners.title")
	if err != nil {
		return err
	}
	pracs, err := s.App.Practitioners(r.Context(), v.Admin.Workspace.Slug)
	if err != nil {
		return err
	}
	if actionErr != nil {
		v.Form = r.PostForm
		s.applyError(r, v, actionErr)
		v.SwitchURL = v.Base() + "/practitioners"
	} else {
		v.Form.Set("active", "on")
	}
	zs, err := s.App.ZoomConnections(r.Context(), v.Admin.Workspace.Slug)
	if err != nil {
		return err
	}
	v.Data = &practitionersPage{Practitioners: pracs, zoom: zs}
	s.render(w, r, status, "practitioners", v)
	return nil
}

func practitionerForm(f url.Values) (name, email, bio string, active bool) {
	return strings.TrimSpace(f.Get("name")), strings.TrimSpace(f.Get("email")), f.Get("bio"), f.Get("active") != ""
}

func (s *Server) practitionerCreate(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "practitioners", "page.practitioners.title")
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	name, email, bio, active := practitionerForm(r.PostForm)
	p := &daoyue.Practitioner{Name: name, Email: email, Bio: bio, Active: active}
	if err := s.App.CreatePractitioner(r.Context(), v.Admin.Workspace.Slug, p); err != nil {
		return s.setupFailed(r, err, func(status int) error { return s.renderPractitioners(w, r, status, err) })
	}
	s.redirectFlash(w, r, v.Base()+"/practitioners/"+url.PathEscape(p.ID), "flash.practitioner_created")
	return nil
}

func (s *Server) practitionerPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderPractitioner(w, r, http.StatusOK, nil)
}

func (s *Server) renderPractitioner(w http.ResponseWriter, r *http.Request, status int, actionErr error) error {
	v, err := s.adminView(w, r, "practitioners", "page.practitioner.title")
	if err != nil {
		return err
	}
	p, err := s.App.Practitioner(r.Context(), v.Admin.Workspace.Slug, r.PathValue("pid"))
	if err != nil {
		return err
	}
	if actionErr != nil {
		v.Form = r.PostForm
		s.applyError(r, v, actionErr)
		v.SwitchURL = v.Base() + "/practitioners/" + url.PathEscape(p.ID)
	} else {
		v.Form.Set("name", p.Name)
		v.Form.Set("email", p.Email)
		v.Form.Set("bio", p.Bio)
		if p.Active {
			v.Form.Set("active", "on")
		}
	}
	v.Title = p.Name
	card, err := s.zoomCardOf(r, v, p, v.Base()+"/practitioners/"+url.PathEscape(p.ID))
	if err != nil {
		return err
	}
	v.Data = &practitionersPage{P: p, Zoom: card}
	s.render(w, r, status, "practitioner", v)
	return nil
}

func (s *Server) practitionerUpdate(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "practitioners", "page.practitioner.title")
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	name, email, bio, active := practitionerForm(r.PostForm)
	pid := r.PathValue("pid")
	_, err = s.App.UpdatePractitioner(r.Context(), v.Admin.Workspace.Slug, pid, app.PractitionerUpdate{Name: &name, Email: &email, Bio: &bio, Active: &active})
	if err != nil {
		return s.setupFailed(r, err, func(status int) error { return s.renderPractitioner(w, r, status, err) })
	}
	s.redirectFlash(w, r, v.Base()+"/practitioners/"+url.PathEscape(pid), "flash.saved")
	return nil
}
