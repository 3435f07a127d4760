package web

import (
	"net/http"
)

// The data rights in API v1: a client's data exported or erased, the
// studio's data exported, the studio deleted.

func (s *Server) apiClientExport(w http.ResponseWriter, r *http.Request) error {
	out, err := s.App.ExportClient(r.Context(), r.PathValue("slug"), r.URL.Query().Get("email"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type emailInput struct {
	Email string `json:"email"`
}

func (s *Server) apiClientErase(w http.ResponseWriter, r *http.Request) error {
	var in emailInput
	if err := apiDecodeJSON(w, r, &in); err != nil {
		return err
	}
	n, err := s.App.EraseClient(r.Context(), r.PathValue("slug"), in.Email)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		ErasedBookings int `json:"erased_bookings"`
	}{n})
	return nil
}

func (s *Server) apiStudioExport(w http.ResponseWriter, r *http.Request) error {
	out, err := s.App.ExportStudio(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type confirmInput struct {
	Confirm string `json:"confirm"`
}

func (s *Server) apiStudioDelete(w http.ResponseWriter, r *http.Request) error {
	var in confirmInput
	if err := apiDecodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.App.DeleteStudio(r.Context(), r.PathValue("slug"), in.Confirm); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
