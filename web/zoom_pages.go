package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
)

// The Zoom pages of the admin backend: the online meeting tools card that
// the availability page and the practitioner settings page (老師設定) both
// show, and its three actions. Each action is a same-origin form post
// (CSRF-safe) answered with a redirect and a message.

// registerZoom adds the Zoom routes: the card's actions, the OAuth callback,
// the Marketplace install page and the webhook.
func (s *Server) registerZoom(mux *http.ServeMux) {
	mux.HandleFunc("POST /admin/{slug}/practitioners/{pid}/zoom/connect", s.page(s.zoomConnectSubmit))
	mux.HandleFunc("POST /admin/{slug}/practitioners/{pid}/zoom/default", s.page(s.zoomDefaultSubmit))
	mux.HandleFunc("POST /admin/{slug}/practitioners/{pid}/zoom/disconnect", s.page(s.zoomDisconnectSubmit))
	// Rate-limited per address like the public pages: each callback may
	// cost a call to Zoom.
	mux.HandleFunc("GET /oauth/zoom/callback", s.limited(s.zoomCallback))
	mux.HandleFunc("GET /oauth/zoom/install", s.zoomInstallPage)
	mux.HandleFunc("POST /oauth/zoom/install", s.zoomInstallSubmit)
	mux.HandleFunc("POST /webhooks/zoom", s.zoomWebhook)
}

// zoomCard is the data of the online meeting tools card.
type zoomCard struct {
	// Configured is false when this installation has no Zoom app: the card
	// says so instead of offering to connect.
	Configured   bool
	Status       string // not_connected | connected | needs_reauth
	AccountLabel string
	IsDefault    bool
	Name         string // the practitioner's
	Action       string // the actions' base path: …/practitioners/{pid}/zoom
	Return       string // the page to come back to after the action
}

// zoomConfigured reports whether the app can talk to Zoom.
func (s *Server) zoomConfigured() bool {
	z := s.App.Zoom
	return z != nil && z.Client != nil && z.Keys != nil
}

// zoomCardOf builds practitioner p's card on the page at back.
func (s *Server) zoomCardOf(r *http.Request, v *view, p *daoyue.Practitioner, back string) (*zoomCard, error) {
	sts, err := s.App.ZoomConnections(r.Context(), v.Admin.Workspace.Slug)
	if err != nil {
		return nil, err
	}
	st, ok := sts[p.ID]
	if !ok {
		st = app.ZoomStatusOf(nil)
	}
	return &zoomCard{Configured: s.zoomConfigured(), Status: st.Status, AccountLabel: st.AccountLabel, IsDefault: st.IsDefault,
		Name: p.Name, Action: v.Base() + "/practitioners/" + url.PathEscape(p.ID) + "/zoom", Return: back}, nil
}

// zoomStatusKeys name a connection's state in words.
var zoomStatusKeys = map[string]string{
	"not_connected": "status.tool.not_connected",
	"connected":     "status.tool.connected",
	"needs_reauth":  "status.tool.needs_reauth",
}

// ToolStatus is the localized state of a meeting tool connection.
func (v *view) ToolStatus(st string) string {
	return word(v, zoomStatusKeys, st, "status.tool.not_connected")
}

// availabilityURL is the availability page of one practitioner.
func availabilityURL(slug, pid string) string {
	return "/admin/" + slug + "/availability?practitioner=" + url.QueryEscape(pid)
}

// zoomBack is where a card action returns: the page the form came from
// when it is one of this workspace's admin pages, else the practitioner's
// availability page.
func zoomBack(v *view, pid, from string) string {
	if p := localPath(from); p != "" && strings.HasPrefix(p, v.Base()+"/") {
		return p
	}
	return availabilityURL(v.Admin.Workspace.Slug, pid)
}

// zoomActionFailed answers a card action the app refused: problems the
// member can act on go back to the page as its error; not found and the
// like are error pages.
func (s *Server) zoomActionFailed(w http.ResponseWriter, r *http.Request, back string, err error) {
	switch daoyue.ErrorCode(err) {
	case daoyue.EINVALID, daoyue.ETRANSITION, daoyue.ECONFLICT, daoyue.EZOOMBOUND:
		s.setErrorFlash(w, r, err)
		http.Redirect(w, r, back, http.StatusSeeOther)
	default:
		s.fail(w, r, err)
	}
}

// The connect action's return path waits in a short-lived cookie, read only
// by the callback, for as long as the OAuth state lives.
const (
	zoomReturnCookie = "daoyue_zoom_return"
	zoomCookiePath   = "/oauth/zoom/"
)

func (s *Server) setZoomCookie(w http.ResponseWriter, name, value string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: url.QueryEscape(value), Path: zoomCookiePath,
		MaxAge: int(daoyue.OAuthStateTTL.Seconds()), HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearZoomCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: zoomCookiePath, MaxAge: -1,
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// zoomCookie reads a Zoom cookie ("" when absent).
func zoomCookie(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	v, err := url.QueryUnescape(c.Value)
	if err != nil {
		return ""
	}
	return v
}

// zoomConnectSubmit is 連結 Zoom (and 重新連結): it starts the
// authorization and sends the browser to Zoom's consent page.
func (s *Server) zoomConnectSubmit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "practitioners", "page.practitioner.title")
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	pid := r.PathValue("pid")
	back := zoomBack(v, pid, r.PostFormValue("return"))
	authorize, err := s.App.ConnectZoom(r.Context(), v.Admin.Workspace.Slug, pid)
	if err != nil {
		s.zoomActionFailed(w, r, back, err)
		return nil
	}
	s.setZoomCookie(w, zoomReturnCookie, back)
	http.Redirect(w, r, authorize, http.StatusSeeOther)
	return nil
}

// zoomDefaultSubmit is 設為預設.
func (s *Server) zoomDefaultSubmit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "practitioners", "page.practitioner.title")
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	pid := r.PathValue("pid")
	back := zoomBack(v, pid, r.PostFormValue("return"))
	if _, err := s.App.SetZoomDefault(r.Context(), v.Admin.Workspace.Slug, pid); err != nil {
		s.zoomActionFailed(w, r, back, err)
		return nil
	}
	s.redirectFlash(w, r, back, "flash.zoom_default")
	return nil
}

// zoomDisconnectSubmit is 解除連結.
func (s *Server) zoomDisconnectSubmit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "practitioners", "page.practitioner.title")
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	pid := r.PathValue("pid")
	back := zoomBack(v, pid, r.PostFormValue("return"))
	if err := s.App.DisconnectZoom(r.Context(), v.Admin.Workspace.Slug, pid); err != nil {
		s.zoomActionFailed(w, r, back, err)
		return nil
	}
	s.redirectFlash(w, r, back, "flash.zoom_disconnected")
	return nil
}
