package web

import (
	"net/http"

	"github.com/daoyue/daoyue"
)

// Passwords: "forgot your password" (/admin/forgot), the emailed reset link
// (/reset/{token}) and changing one's own password on the account page
// (/admin/account).

func (s *Server) forgotPage(w http.ResponseWriter, r *http.Request) error {
	v := s.newView(w, r, "page.forgot.title", nil)
	v.BodyClass = "page-login"
	noStore(w)
	s.render(w, r, http.StatusOK, "forgot", v)
	return nil
}

// forgotSubmit answers the same whether or not the email has an account.
func (s *Server) forgotSubmit(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm()
	email := r.PostFormValue("email")
	err := s.App.RequestPasswordReset(r.Context(), email, s.clientIP(r), langOf(r))
	if err != nil {
		v := s.newView(w, r, "page.forgot.title", nil)
		v.BodyClass = "page-login"
		v.Form.Set("email", email)
		status, ok := s.applyError(r, v, err)
		if !ok {
			return err
		}
		noStore(w)
		setRetryAfter(w, err)
		s.render(w, r, status, "forgot", v)
		return nil
	}
	s.redirectFlash(w, r, "/admin/login", "flash.reset_sent")
	return nil
}

type resetPage struct {
	Email string
	Token string
}

func (s *Server) resetPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderReset(w, r, http.StatusOK, nil)
}

func (s *Server) renderReset(w http.ResponseWriter, r *http.Request, status int, actionErr error) error {
	noStore(w)
	token := r.PathValue("token")
	email, err := s.App.OpenPasswordReset(r.Context(), token)
	if err != nil {
		return err
	}
	v := s.newView(w, r, "page.reset.title", resetPage{Email: email, Token: token})
	v.BodyClass = "page-login"
	if actionErr != nil {
		st, ok := s.applyError(r, v, actionErr)
		if !ok {
			return actionErr
		}
		status = st
	}
	s.render(w, r, status, "reset", v)
	return nil
}

func (s *Server) resetSubmit(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm()
	acc, err := s.App.ResetPasswordWithLink(r.Context(), r.PathValue("token"), r.PostFormValue("password"))
	if daoyue.IsCode(err, daoyue.EINVALID) {
		return s.renderReset(w, r, 0, err)
	} else if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: acc.SessionToken, Path: "/", Expires: acc.ExpiresAt,
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	s.redirectFlash(w, r, "/admin", "flash.password_reset")
	return nil
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAccount(w, r, http.StatusOK, nil)
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, actionErr error) error {
	if userOf(r) == nil {
		return daoyue.ErrUnauthorized
	}
	noStore(w)
	v := s.newView(w, r, "page.account.title", nil)
	if actionErr != nil {
		st, ok := s.applyError(r, v, actionErr)
		if !ok {
			return actionErr
		}
		status = st
	}
	s.render(w, r, status, "account", v)
	return nil
}

func (s *Server) passwordSubmit(w http.ResponseWriter, r *http.Request) error {
	if userOf(r) == nil {
		return daoyue.ErrUnauthorized
	}
	_ = r.ParseForm()
	err := s.App.ChangePassword(r.Context(), r.PostFormValue("current_password"), r.PostFormValue("password"), tokenOf(r))
	if daoyue.IsCode(err, daoyue.EINVALID) {
		return s.renderAccount(w, r, 0, err)
	} else if err != nil {
		return err
	}
	s.redirectFlash(w, r, "/admin/account", "flash.password_changed")
	return nil
}
