package web

import (
	"net/http"
	"net/url"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
)

// The invitation link, /invite/{token}: whoever opened the invited mailbox
// joins the studio here, choosing their own password when they have no
// account, or signing in to the one they have.

type invitationPage struct {
	*app.InvitationView
	Token    string
	LoginURL string
}

func (s *Server) invitationPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderInvitation(w, r, http.StatusOK, nil)
}

func (s *Server) renderInvitation(w http.ResponseWriter, r *http.Request, status int, actionErr error) error {
	token := r.PathValue("token")
	iv, err := s.App.OpenInvitation(r.Context(), token)
	noStore(w)
	if err != nil {
		return err
	}
	v := s.newView(w, r, "page.invite.title", invitationPage{InvitationView: iv, Token: token,
		LoginURL: "/admin/login?next=" + url.QueryEscape("/invite/"+token)})
	v.BodyClass = "page-login"
	if actionErr != nil {
		v.Form = r.PostForm
		v.Form.Del("password")
		st, body := s.publicError(r, actionErr)
		v.Error, status = body.Message, st
		for f, m := range body.Fields {
			v.Fields[f] = m
		}
	}
	s.render(w, r, status, "invite", v)
	return nil
}

func (s *Server) invitationAccept(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm()
	acc, err := s.App.AcceptInvitation(r.Context(), r.PathValue("token"), r.PostFormValue("name"), r.PostFormValue("password"))
	if err != nil {
		switch daoyue.ErrorCode(err) {
		case daoyue.EINVALID, daoyue.EFORBIDDEN, daoyue.EUNAUTHENTICATED:
			return s.renderInvitation(w, r, 0, err)
		}
		return err
	}
	if acc.SessionToken != "" {
		http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: acc.SessionToken, Path: "/", Expires: acc.ExpiresAt,
			HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	}
	s.redirectFlash(w, r, "/admin/"+acc.Workspace.Slug+"/bookings", "flash.invitation_accepted")
	return nil
}
