package web

import "net/http"

// registerPages adds the HTML pages.
func (s *Server) registerPages(mux *http.ServeMux) {}

// pageError renders an error page in the request's language.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	status, body := s.publicError(r, err)
	http.Error(w, body.Message, status)
}
