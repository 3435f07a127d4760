package web

import (
	"net/http"
)

// The public documentation: how the Zoom integration is connected, used,
// repaired and removed (/docs/zoom), the privacy policy (/privacy) and the
// terms of service (/terms). They need no sign-in, speak both languages and
// are the Documentation, Support, Privacy and Terms URLs of DaoYue's Zoom
// Marketplace listing.

const (
	supportEmail   = "support@daoyue.app"
	securityEmail  = "security@daoyue.app"
	marketplaceURL = "https://marketplace.zoom.us/"
	zoomStatusURL  = "https://status.zoom.us/"
)

// registerDocs adds the documentation pages.
func (s *Server) registerDocs(mux *http.ServeMux) {
	mux.HandleFunc("GET /docs/zoom", s.docsZoomPage)
	mux.HandleFunc("GET /docs/zoom/{$}", redirectTo("/docs/zoom"))
	mux.HandleFunc("GET /docs", redirectTo("/docs/zoom"))
	mux.HandleFunc("GET /docs/{$}", redirectTo("/docs/zoom"))
	mux.HandleFunc("GET /docs/payments", s.docsPaymentsPage)
	mux.HandleFunc("GET /privacy", s.privacyPage)
	mux.HandleFunc("GET /terms", s.termsPage)
}

// redirectTo answers with a permanent redirect to target, keeping the query
// (so ?lang= survives).
func redirectTo(target string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		to := target
		if r.URL.RawQuery != "" {
			to += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, to, http.StatusMovedPermanently)
	}
}

// docsZoom is the data of /docs/zoom. Its words are in the template, one
// block per language (docs/decisions.md: long-form documents).
type docsZoom struct {
	Email       string
	Marketplace string
	StatusURL   string
	// Base is this deployment's origin, for the reviewer flow's links.
	Base string
}

var docsZoomData = docsZoom{Email: supportEmail, Marketplace: marketplaceURL, StatusURL: zoomStatusURL}

// docsContact is the data of /privacy and /terms.
type docsContact struct {
	Email         string
	SecurityEmail string
	Marketplace   string
}

var docsContactData = docsContact{Email: supportEmail, SecurityEmail: securityEmail, Marketplace: marketplaceURL}

// docsZoomPage is /docs/zoom.
func (s *Server) docsZoomPage(w http.ResponseWriter, r *http.Request) {
	d := docsZoomData
	d.Base = s.BaseURL
	v := s.newView(w, r, "docs.zoom.title", d)
	v.BodyClass = "page-docs"
	s.render(w, r, http.StatusOK, "docs_zoom", v)
}

// docsPaymentsPage is /docs/payments: how a studio gets paid.
func (s *Server) docsPaymentsPage(w http.ResponseWriter, r *http.Request) {
	v := s.newView(w, r, "docs.payments.title", docsContactData)
	v.BodyClass = "page-docs"
	s.render(w, r, http.StatusOK, "docs_payments", v)
}

// privacyPage is /privacy.
func (s *Server) privacyPage(w http.ResponseWriter, r *http.Request) {
	v := s.newView(w, r, "nav.privacy", docsContactData)
	v.BodyClass = "page-docs"
	s.render(w, r, http.StatusOK, "privacy", v)
}

// termsPage is /terms.
func (s *Server) termsPage(w http.ResponseWriter, r *http.Request) {
	v := s.newView(w, r, "nav.terms", docsContactData)
	v.BodyClass = "page-docs"
	s.render(w, r, http.StatusOK, "terms", v)
}
