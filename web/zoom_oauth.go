package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
)

// The end of a Zoom authorization. Zoom sends the browser back to
// /oauth/zoom/callback with our state and a code (Allow), our state and an
// error (Deny), or a code without a state: an install started in the Zoom
// App Marketplace. A code without our state is never exchanged: anybody
// can send a member a link with their own Zoom account's code, so the
// install page starts a normal, state-bound connect for the signed-in
// member instead, and Zoom's consent page (in the member's own browser)
// names the account that will be bound. The code and the state are never
// logged (the server logs route patterns only) and never put in another URL.

// zoomCallback handles Zoom's redirect after the consent page.
func (s *Server) zoomCallback(w http.ResponseWriter, r *http.Request) {
	noStore(w)
	q := r.URL.Query()
	state, code, oauthErr := q.Get("state"), q.Get("code"), q.Get("error")
	ctx := r.Context()
	switch {
	case state != "" && code != "" && oauthErr == "":
		back := s.takeZoomReturn(w, r)
		c, err := s.App.CompleteZoom(ctx, state, code)
		if err != nil {
			s.zoomCallbackFailed(w, r, back, err)
			return
		}
		s.setFlashArgs(w, "flash.zoom_connected", map[string]any{"account": c.Status.AccountLabel})
		http.Redirect(w, r, zoomLanding(back, c), http.StatusSeeOther)

	case state != "":
		// Deny (error=access_denied) or another refusal from Zoom: the
		// state is used up and nothing is connected.
		back := s.takeZoomReturn(w, r)
		c, err := s.App.AbandonZoom(ctx, state)
		if err != nil {
			s.zoomCallbackFailed(w, r, back, err)
			return
		}
		key := "error.zoom_denied"
		if oauthErr != "access_denied" {
			key = "error.zoom_not_finished"
		}
		s.redirectFlash(w, r, zoomLanding(back, c), key)

	case code != "":
		// A Marketplace install: the member picks the practitioner and
		// connects as usual; this code is left unused.
		http.Redirect(w, r, installPath, http.StatusSeeOther)

	default:
		s.fail(w, r, daoyue.Errorf(daoyue.EINVALID, "error.zoom_callback"))
	}
}

// takeZoomReturn reads and clears the return path the connect form left.
func (s *Server) takeZoomReturn(w http.ResponseWriter, r *http.Request) string {
	back := zoomCookie(r, zoomReturnCookie)
	if back != "" {
		s.clearZoomCookie(w, zoomReturnCookie)
	}
	if p := localPath(back); p != "" && strings.HasPrefix(p, "/admin/") {
		return p
	}
	return ""
}

// zoomLanding is where a finished or abandoned connect lands: the page the
// connect started from when it is about this practitioner, else the
// practitioner's availability page.
func zoomLanding(back string, c *app.Connected) string {
	slug, pid := c.Workspace.Slug, c.Practitioner.ID
	if back != "" && strings.HasPrefix(back, "/admin/"+slug+"/") && strings.Contains(back, pid) {
		return back
	}
	return availabilityURL(slug, pid)
}

// zoomCallbackFailed sends the member back with the reason (a used or
// expired state, a Zoom account bound elsewhere, another member's
// authorization): a message, never a 500 page.
func (s *Server) zoomCallbackFailed(w http.ResponseWriter, r *http.Request, back string, err error) {
	if back == "" {
		back = "/admin"
	}
	s.setErrorFlash(w, r, err)
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// ---- Marketplace install ----

// zoomInstallPage is the data of /oauth/zoom/install.
type zoomInstallPage struct {
	SignIn   bool // a visitor: sign in first
	LoginURL string
	Groups   []installGroup
}

type installGroup struct {
	Workspace *daoyue.Workspace
	Options   []installOption
}

type installOption struct {
	Value, Label string
	Selected     bool
}

const installPath = "/oauth/zoom/install"

func (s *Server) zoomInstallPage(w http.ResponseWriter, r *http.Request) {
	s.renderZoomInstall(w, r, http.StatusOK, nil)
}

// renderZoomInstall shows the install page: sign in, or choose the
// practitioner to connect.
func (s *Server) renderZoomInstall(w http.ResponseWriter, r *http.Request, status int, actionErr error) {
	noStore(w)
	p := &zoomInstallPage{}
	v := s.newView(w, r, "page.zoom_install.title", p)
	v.BodyClass = "page-zoom-install"
	v.NoIndex = true
	if actionErr != nil {
		if _, ok := s.applyError(r, v, actionErr); !ok {
			s.fail(w, r, actionErr)
			return
		}
		v.Form.Set("practitioner", r.PostFormValue("practitioner"))
	}
	if userOf(r) == nil {
		p.SignIn, p.LoginURL = true, "/admin/login?next="+url.QueryEscape(installPath)
		s.render(w, r, status, "zoom_install", v)
		return
	}
	wss, err := s.App.MyWorkspaces(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, ws := range wss {
		pracs, err := s.App.Practitioners(r.Context(), ws.Slug)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		g := installGroup{Workspace: ws}
		for _, pr := range pracs {
			val := ws.Slug + "/" + pr.ID
			g.Options = append(g.Options, installOption{Value: val, Label: pr.Name, Selected: v.Val("practitioner") == val})
		}
		if len(g.Options) > 0 {
			p.Groups = append(p.Groups, g)
		}
	}
	s.render(w, r, status, "zoom_install", v)
}

// zoomInstallSubmit starts a normal connect (連結 Zoom) of the practitioner
// chosen, bound to this member: Zoom's consent page follows.
func (s *Server) zoomInstallSubmit(w http.ResponseWriter, r *http.Request) {
	noStore(w)
	if userOf(r) == nil {
		s.fail(w, r, daoyue.ErrUnauthorized)
		return
	}
	_ = r.ParseForm()
	slug, pid, _ := strings.Cut(r.PostFormValue("practitioner"), "/")
	pick := daoyue.FieldErrors{"practitioner": "error.zoom_install_pick"}.Err()
	if slug == "" || pid == "" {
		s.renderZoomInstall(w, r, http.StatusUnprocessableEntity, pick)
		return
	}
	authorize, err := s.App.ConnectZoom(r.Context(), slug, pid)
	switch {
	case err == nil:
		s.setZoomCookie(w, zoomReturnCookie, availabilityURL(slug, pid))
		http.Redirect(w, r, authorize, http.StatusSeeOther)
	case daoyue.IsCode(err, daoyue.ENOTFOUND):
		// Not a practitioner of the member's studios: choose again.
		s.renderZoomInstall(w, r, http.StatusUnprocessableEntity, pick)
	default:
		s.fail(w, r, err)
	}
}
