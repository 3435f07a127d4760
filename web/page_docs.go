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

// docsTrouble is one problem of the troubleshooting section: its anchor and
// the message keys of its title, cause and fix, with an optional link.
type docsTrouble struct {
	ID, Title, Cause, Fix string
	LinkURL, LinkLabel    string
}

// docsScope is one Zoom scope DaoYue requests and the key saying why.
type docsScope struct {
	Name, Why string
}

// docsZoom is the data of /docs/zoom. The lists hold message keys so the
// steps, problems and scopes are written once, in order, for both languages.
type docsZoom struct {
	AddSteps    []string
	UseSteps    []string
	RemoveSteps []string
	Trouble     []docsTrouble
	Scopes      []docsScope
	Include     []string
	Never       []string
	Email       string
	Marketplace string
	// Base is this deployment's origin, for the reviewer flow's links.
	Base string
}

var docsZoomData = docsZoom{
	AddSteps: []string{
		"docs.zoom.add.s1", "docs.zoom.add.s2", "docs.zoom.add.s3",
		"docs.zoom.add.s4", "docs.zoom.add.s5", "docs.zoom.add.s6",
	},
	UseSteps: []string{
		"docs.zoom.use.s1", "docs.zoom.use.s2", "docs.zoom.use.s3",
		"docs.zoom.use.s4", "docs.zoom.use.s5",
	},
	RemoveSteps: []string{
		"docs.zoom.remove.s1", "docs.zoom.remove.s2", "docs.zoom.remove.s3",
		"docs.zoom.remove.s4", "docs.zoom.remove.s5",
	},
	Trouble: []docsTrouble{
		{ID: "no-meeting", Title: "docs.zoom.trouble.no_meeting.t", Cause: "docs.zoom.trouble.no_meeting.c", Fix: "docs.zoom.trouble.no_meeting.f"},
		{ID: "not-connected", Title: "docs.zoom.trouble.not_conn.t", Cause: "docs.zoom.trouble.not_conn.c", Fix: "docs.zoom.trouble.not_conn.f"},
		{ID: "not-default", Title: "docs.zoom.trouble.not_default.t", Cause: "docs.zoom.trouble.not_default.c", Fix: "docs.zoom.trouble.not_default.f"},
		{ID: "needs-reauth", Title: "docs.zoom.trouble.reauth.t", Cause: "docs.zoom.trouble.reauth.c", Fix: "docs.zoom.trouble.reauth.f"},
		{ID: "already-bound", Title: "docs.zoom.trouble.bound.t", Cause: "docs.zoom.trouble.bound.c", Fix: "docs.zoom.trouble.bound.f"},
		{ID: "link-expired", Title: "docs.zoom.trouble.state.t", Cause: "docs.zoom.trouble.state.c", Fix: "docs.zoom.trouble.state.f"},
		{ID: "denied", Title: "docs.zoom.trouble.denied.t", Cause: "docs.zoom.trouble.denied.c", Fix: "docs.zoom.trouble.denied.f"},
		{ID: "syncing", Title: "docs.zoom.trouble.syncing.t", Cause: "docs.zoom.trouble.syncing.c", Fix: "docs.zoom.trouble.syncing.f",
			LinkURL: zoomStatusURL, LinkLabel: "docs.zoom.trouble.status_page"},
		{ID: "retries-exhausted", Title: "docs.zoom.trouble.exhausted.t", Cause: "docs.zoom.trouble.exhausted.c", Fix: "docs.zoom.trouble.exhausted.f"},
		{ID: "meeting-recreated", Title: "docs.zoom.trouble.recreated.t", Cause: "docs.zoom.trouble.recreated.c", Fix: "docs.zoom.trouble.recreated.f"},
		{ID: "disconnected", Title: "docs.zoom.trouble.disconnected.t", Cause: "docs.zoom.trouble.disconnected.c", Fix: "docs.zoom.trouble.disconnected.f"},
		{ID: "app-removed", Title: "docs.zoom.trouble.removed.t", Cause: "docs.zoom.trouble.removed.c", Fix: "docs.zoom.trouble.removed.f"},
	},
	// The same four scopes, in the same order, as zoom.Scopes.
	Scopes: []docsScope{
		{Name: "meeting:write:meeting", Why: "docs.zoom.data.write"},
		{Name: "meeting:update:meeting", Why: "docs.zoom.data.update"},
		{Name: "meeting:delete:meeting", Why: "docs.zoom.data.delete"},
		{Name: "user:read:user", Why: "docs.zoom.data.user"},
	},
	Include: []string{
		"docs.zoom.support.inc1", "docs.zoom.support.inc2", "docs.zoom.support.inc3", "docs.zoom.support.inc4",
	},
	Never: []string{
		"docs.zoom.support.nev1", "docs.zoom.support.nev2", "docs.zoom.support.nev3", "docs.zoom.support.nev4",
	},
	Email:       supportEmail,
	Marketplace: marketplaceURL,
}

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
