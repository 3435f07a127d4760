package web

import (
	"encoding/base64"
	"html/template"
	"net/http"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
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
	return s.renderForm(w, r, status, "reset", v, actionErr)
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

// accountPage is the signed-in person's account: password and two-factor
// sign-in.
type accountPage struct {
	TwoFactor app.TwoFactorStatus
	// Setup is a secret being set up (its QR code as a data: URL).
	Setup   *app.TwoFactorSetup
	QRData  template.URL
	Codes   []string // recovery codes, shown once
	Section string   // the form an error belongs to
	// Credentials are the person's sessions and API tokens; NewToken an
	// API token just made (shown once).
	Credentials []app.Credential
	NewToken    string
	// Notices are the person's choices of notices in each studio.
	Notices []*app.NoticeChoices
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAccount(w, r, http.StatusOK, &accountPage{}, nil)
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, p *accountPage, actionErr error) error {
	if userOf(r) == nil {
		return daoyue.ErrUnauthorized
	}
	noStore(w)
	st, err := s.App.TwoFactorOf(r.Context())
	if err != nil {
		return err
	}
	p.TwoFactor = st
	if p.Credentials, err = s.App.Credentials(r.Context(), tokenOf(r)); err != nil {
		return err
	}
	if p.Notices, err = s.App.MyNotices(r.Context()); err != nil {
		return err
	}
	if p.Setup != nil {
		p.QRData = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(p.Setup.QRPNG))
	}
	v := s.newView(w, r, "page.account.title", p)
	return s.renderForm(w, r, status, "account", v, actionErr)
}

func (s *Server) twoFactorStart(w http.ResponseWriter, r *http.Request) error {
	setup, err := s.App.BeginTwoFactor(r.Context())
	if err != nil {
		return err
	}
	return s.renderAccount(w, r, http.StatusOK, &accountPage{Setup: setup}, nil)
}

func (s *Server) twoFactorConfirm(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm()
	codes, err := s.App.ConfirmTwoFactor(r.Context(), r.PostFormValue("code"))
	if daoyue.IsCode(err, daoyue.EINVALID) {
		return s.renderAccount(w, r, 0, &accountPage{Section: "2fa"}, err)
	} else if err != nil {
		return err
	}
	v := &accountPage{Codes: codes}
	return s.renderAccount(w, r, http.StatusOK, v, nil)
}

func (s *Server) twoFactorDisable(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm()
	err := s.App.DisableTwoFactor(r.Context(), r.PostFormValue("off_password"), r.PostFormValue("off_code"))
	switch daoyue.ErrorCode(err) {
	case "":
		s.redirectFlash(w, r, "/admin/account", "flash.totp_off")
		return nil
	case daoyue.EINVALID, daoyue.ETRANSITION:
		// The form's own names: the password form has a current_password too.
		err = apiRenameFields(err, map[string]string{"current_password": "off_password", "code": "off_code"})
		return s.renderAccount(w, r, 0, &accountPage{Section: "2fa-off"}, err)
	}
	return err
}

// twoFactorRequire is the owner's switch on the members page.
func (s *Server) twoFactorRequire(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm()
	slug := r.PathValue("slug")
	if err := s.App.RequireTwoFactor(r.Context(), slug, r.PostFormValue("required") == "on"); err != nil {
		if daoyue.IsCode(err, daoyue.ETRANSITION) {
			s.setErrorFlash(w, r, err)
			http.Redirect(w, r, "/admin/"+slug+"/members", http.StatusSeeOther)
			return nil
		}
		return err
	}
	s.redirectFlash(w, r, "/admin/"+slug+"/members", "flash.saved")
	return nil
}

func (s *Server) passwordSubmit(w http.ResponseWriter, r *http.Request) error {
	if userOf(r) == nil {
		return daoyue.ErrUnauthorized
	}
	_ = r.ParseForm()
	err := s.App.ChangePassword(r.Context(), r.PostFormValue("current_password"), r.PostFormValue("password"), tokenOf(r))
	if daoyue.IsCode(err, daoyue.EINVALID) {
		return s.renderAccount(w, r, 0, &accountPage{Section: "password"}, err)
	} else if err != nil {
		return err
	}
	s.redirectFlash(w, r, "/admin/account", "flash.password_changed")
	return nil
}

func (s *Server) apiTokenCreate(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm()
	token, _, err := s.App.CreateAPIToken(r.Context(), r.PostFormValue("token_name"))
	if daoyue.IsCode(err, daoyue.EINVALID) {
		return s.renderAccount(w, r, 0, &accountPage{Section: "tokens"}, err)
	} else if err != nil {
		return err
	}
	return s.renderAccount(w, r, http.StatusOK, &accountPage{NewToken: token}, nil)
}

func (s *Server) credentialRevoke(w http.ResponseWriter, r *http.Request) error {
	if err := s.App.RevokeCredential(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	s.redirectFlash(w, r, "/admin/account", "flash.credential_revoked")
	return nil
}

func (s *Server) signOutEverywhere(w http.ResponseWriter, r *http.Request) error {
	if err := s.App.SignOutEverywhere(r.Context()); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	s.redirectFlash(w, r, "/admin/login", "flash.signed_out_everywhere")
	return nil
}

// noticesSubmit stores which notices the signed-in member gets in a studio.
func (s *Server) noticesSubmit(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm()
	var on []daoyue.NoticeKind
	for _, k := range r.PostForm["notice"] {
		on = append(on, daoyue.NoticeKind(k))
	}
	if err := s.App.SetMyNotices(r.Context(), r.PathValue("slug"), on); err != nil {
		return err
	}
	s.redirectFlash(w, r, "/admin/account#notices", "flash.notices_saved")
	return nil
}
