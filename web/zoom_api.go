package web

import (
	"net/http"
)

// The Zoom routes of API v1: connect, set as default and disconnect a
// practitioner's Zoom account, and retry a booking's meeting sync. The
// practitioner is looked up first, so another studio's (or an unknown) one
// is not_found before anything else is said.

type authorizeJSON struct {
	AuthorizeURL string `json:"authorize_url"`
}

// apiZoomConnect starts connecting Zoom and returns the consent page's URL;
// the browser that follows it comes back to /oauth/zoom/callback.
func (s *Server) apiZoomConnect(w http.ResponseWriter, r *http.Request) error {
	if err := apiEmptyBody(w, r); err != nil {
		return err
	}
	p, _, err := s.practitionerIn(r)
	if err != nil {
		return err
	}
	u, err := s.App.ConnectZoom(r.Context(), r.PathValue("slug"), p.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, authorizeJSON{AuthorizeURL: u})
	return nil
}

// apiZoomDefault makes Zoom the practitioner's default online meeting tool.
func (s *Server) apiZoomDefault(w http.ResponseWriter, r *http.Request) error {
	if err := apiEmptyBody(w, r); err != nil {
		return err
	}
	p, _, err := s.practitionerIn(r)
	if err != nil {
		return err
	}
	if _, err := s.App.SetZoomDefault(r.Context(), r.PathValue("slug"), p.ID); err != nil {
		return err
	}
	return s.answerPractitioner(w, r)
}

// apiZoomDisconnect revokes and deletes the practitioner's Zoom tokens.
func (s *Server) apiZoomDisconnect(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.practitionerIn(r)
	if err != nil {
		return err
	}
	if err := s.App.DisconnectZoom(r.Context(), r.PathValue("slug"), p.ID); err != nil {
		return err
	}
	return s.answerPractitioner(w, r)
}

// apiMeetingRetry queues a new sync of a booking whose meeting failed (or
// could not be made until the host's Zoom was set up).
func (s *Server) apiMeetingRetry(w http.ResponseWriter, r *http.Request) error {
	if err := apiEmptyBody(w, r); err != nil {
		return err
	}
	d, err := s.App.RetryMeeting(r.Context(), r.PathValue("slug"), r.PathValue("id"))
	return s.answerBooking(w, r, d, err)
}
