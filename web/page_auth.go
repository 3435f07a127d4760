package web

import (
	"errors"
	"github.com/daoyue/daoyue/app"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
)

// adminView checks that the visitor is signed in and a member of the
// workspace in the path, and starts the page's view. A visitor gets
// daoyue.ErrUnauthorized, which the error page answers by sending them to
// sign in; a workspace the member does not belong to is not_found.
func (s *Server) adminView(w http.ResponseWriter, r *http.Request, section, title string) (*view, error) {
	if userOf(r) == nil {
		return nil, daoyue.ErrUnauthorized
	}
	ws, m, err := s.App.Workspace(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	v := s.newView(w, r, title, nil)
	v.Admin = &adminNav{Workspace: ws, Member: m, Section: section}
	v.inZone(ws)
	v.BodyClass = "admin"
	noStore(w)
	return v, nil
}

// CanManage reports whether the signed-in member may change the setup.
func (v *view) CanManage() bool { return v.Admin != nil && v.Admin.Member.Role.CanManage() }

// Base is the admin path of the current workspace.
func (v *view) Base() string {
	if v.Admin == nil {
		return "/admin"
	}
	return "/admin/" + v.Admin.Workspace.Slug
}

type loginPage struct {
	Next   string
	Signup bool // link to /signup
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"))
	if userOf(r) != nil {
		if next == "" {
			next = "/admin"
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	v := s.newView(w, r, "page.login.title", loginPage{Next: next, Signup: s.Signup})
	v.BodyClass = "page-login"
	noStore(w)
	s.render(w, r, http.StatusOK, "login", v)
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm()
	email, password := strings.TrimSpace(r.PostFormValue("email")), r.PostFormValue("password")
	next := localPath(r.PostFormValue("next"))
	token, expires, err := s.App.Login(r.Context(), email, password, "session", s.clientIP(r))
	var second *app.SecondFactorNeeded
	if errors.As(err, &second) {
		return s.renderSecondFactor(w, r, http.StatusOK, second.Challenge, next, nil)
	}
	if err != nil {
		v := s.newView(w, r, "page.login.title", loginPage{Next: next, Signup: s.Signup})
		v.BodyClass = "page-login"
		v.Form.Set("email", email)
		if next != "" {
			v.SwitchURL = "/admin/login?next=" + url.QueryEscape(next)
		}
		status, ok := s.applyError(r, v, err)
		if !ok {
			return err
		}
		noStore(w)
		setRetryAfter(w, err)
		s.render(w, r, status, "login", v)
		return nil
	}
	s.startSession(w, r, token, expires, next)
	return nil
}

// secondFactorPage is the second step of a sign-in.
type secondFactorPage struct {
	Challenge, Next string
}

func (s *Server) renderSecondFactor(w http.ResponseWriter, r *http.Request, status int, challenge, next string, actionErr error) error {
	v := s.newView(w, r, "page.login2fa.title", secondFactorPage{Challenge: challenge, Next: next})
	v.BodyClass = "page-login"
	noStore(w)
	return s.renderForm(w, r, status, "login2fa", v, actionErr)
}

// secondFactorSubmit completes a sign-in with an authenticator or recovery code.
func (s *Server) secondFactorSubmit(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm()
	challenge, next := r.PostFormValue("challenge"), localPath(r.PostFormValue("next"))
	token, expires, err := s.App.CompleteSignIn(r.Context(), challenge, r.PostFormValue("code"), "session")
	switch {
	case err == nil:
		s.startSession(w, r, token, expires, next)
		return nil
	case isKey(err, "error.totp_challenge_gone"):
		s.setErrorFlash(w, r, err)
		http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
		return nil
	}
	return s.renderSecondFactor(w, r, 0, challenge, next, err)
}

// isKey reports whether err is a *daoyue.Error with that message key.
func isKey(err error, key string) bool {
	var e *daoyue.Error
	return errors.As(err, &e) && e.Key == key
}

// startSession sets the session cookie and goes on to next, or to the
// member's only studio, or to the chooser.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, token string, expires time.Time, next string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	if next == "" {
		next = "/admin"
		if u, err := s.App.Authenticate(r.Context(), token, "session", s.clientIP(r)); err == nil {
			ctx := daoyue.WithActor(r.Context(), daoyue.Actor{Kind: daoyue.ActorMember, UserID: u.ID, Label: u.Email})
			if wss, err := s.App.MyWorkspaces(ctx); err == nil && len(wss) == 1 {
				next = "/admin/" + wss[0].Slug + "/bookings"
			}
		}
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// localPath accepts only a path on this site ("/admin/x"), never another
// host ("//evil.example", "/\evil.example", "https://...").
func localPath(p string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n\t") {
		return ""
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return ""
	}
	return p
}

func (s *Server) logoutSubmit(w http.ResponseWriter, r *http.Request) error {
	if t := tokenOf(r); t != "" {
		if err := s.App.Logout(r.Context(), t); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	s.redirectFlash(w, r, "/admin/login", "flash.signed_out")
	return nil
}

type chooserPage struct {
	Workspaces []*daoyue.Workspace
}

// chooserPage lists the member's workspaces (or goes straight to the only one).
func (s *Server) chooserPage(w http.ResponseWriter, r *http.Request) error {
	if userOf(r) == nil {
		redirectToLogin(w, r)
		return nil
	}
	wss, err := s.App.MyWorkspaces(r.Context())
	if err != nil {
		return err
	}
	if len(wss) == 1 {
		http.Redirect(w, r, "/admin/"+wss[0].Slug+"/bookings", http.StatusSeeOther)
		return nil
	}
	v := s.newView(w, r, "page.chooser.title", chooserPage{Workspaces: wss})
	v.BodyClass = "page-chooser"
	noStore(w)
	s.render(w, r, http.StatusOK, "chooser", v)
	return nil
}

// adminHome is the bookings list of a workspace.
func (s *Server) adminHome(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.adminView(w, r, "bookings", "nav.bookings"); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/"+r.PathValue("slug")+"/bookings", http.StatusSeeOther)
	return nil
}
