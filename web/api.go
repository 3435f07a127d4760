package web

import "net/http"

// registerAPI adds the JSON API v1 routes.
func (s *Server) registerAPI(mux *http.ServeMux) {}
