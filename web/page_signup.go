package web

import (
	"net/http"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
)

// Sign-up (/signup): the form, the "check your email" answer (the same
// whether or not the address has an account), and the emailed link
// (/signup/{token}) that creates the studio and signs its owner in. With
// DAOYUE_SIGNUP=closed every one of them says sign-up is closed and how
// to get a studio.

type signupPage struct {
	Closed bool
}

func (s *Server) signupPage(w http.ResponseWriter, r *http.Request) error {
	noStore(w)
	v := s.newView(w, r, "page.signup.title", signupPage{Closed: !s.Signup})
	v.BodyClass = "page-login"
	if v.Form.Get("time_zone") == "" {
		v.Form.Set("time_zone", daoyue.DefaultTimeZone)
	}
	s.render(w, r, http.StatusOK, "signup", v)
	return nil
}

func (s *Server) signupClosed(w http.ResponseWriter, r *http.Request) {
	noStore(w)
	v := s.newView(w, r, "page.signup.title", signupPage{Closed: true})
	v.BodyClass = "page-login"
	s.render(w, r, http.StatusForbidden, "signup", v)
}

// signupSubmit answers the same whether or not the email has an account.
func (s *Server) signupSubmit(w http.ResponseWriter, r *http.Request) error {
	if !s.Signup {
		s.signupClosed(w, r)
		return nil
	}
	_ = r.ParseForm()
	f := r.PostForm
	err := s.App.RequestSignup(r.Context(), app.SignupInput{Email: f.Get("email"), Password: f.Get("password"),
		Name: f.Get("your_name"), StudioName: f.Get("studio_name"), Slug: f.Get("slug"), TimeZone: f.Get("time_zone"),
		Language: langOf(r), Addr: s.clientIP(r)})
	if err != nil {
		v := s.newView(w, r, "page.signup.title", signupPage{})
		v.BodyClass = "page-login"
		for _, k := range []string{"email", "your_name", "studio_name", "slug", "time_zone"} {
			v.Form.Set(k, f.Get(k))
		}
		status, ok := s.applyError(r, v, err)
		if !ok {
			return err
		}
		noStore(w)
		setRetryAfter(w, err)
		s.render(w, r, status, "signup", v)
		return nil
	}
	http.Redirect(w, r, "/signup/sent", http.StatusSeeOther)
	return nil
}

func (s *Server) signupSentPage(w http.ResponseWriter, r *http.Request) error {
	v := s.newView(w, r, "page.signup.sent_title", nil)
	v.BodyClass = "page-login"
	s.render(w, r, http.StatusOK, "signup_sent", v)
	return nil
}

type signupVerifyPage struct {
	Token      string
	Email      string
	StudioName string
	Slug       string
	SlugFree   bool
	BaseURL    string
}

func (s *Server) signupVerifyPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderSignupVerify(w, r, http.StatusOK, nil)
}

func (s *Server) renderSignupVerify(w http.ResponseWriter, r *http.Request, status int, actionErr error) error {
	noStore(w)
	if !s.Signup {
		s.signupClosed(w, r)
		return nil
	}
	token := r.PathValue("token")
	su, free, err := s.App.OpenSignup(r.Context(), token)
	if err != nil {
		return err
	}
	v := s.newView(w, r, "page.signup.verify_title", signupVerifyPage{Token: token, Email: su.Email, StudioName: su.StudioName,
		Slug: su.Slug, SlugFree: free && actionErr == nil, BaseURL: s.BaseURL})
	v.BodyClass = "page-login"
	if !free {
		v.Fields["slug"] = v.T("error.slug_taken_since")
	}
	if actionErr != nil {
		v.Form.Set("slug", r.PostFormValue("slug"))
		st, ok := s.applyError(r, v, actionErr)
		if !ok {
			return actionErr
		}
		status = st
	}
	s.render(w, r, status, "signup_verify", v)
	return nil
}

func (s *Server) signupVerifySubmit(w http.ResponseWriter, r *http.Request) error {
	if !s.Signup {
		s.signupClosed(w, r)
		return nil
	}
	_ = r.ParseForm()
	acc, err := s.App.VerifySignup(r.Context(), r.PathValue("token"), r.PostFormValue("slug"))
	if daoyue.IsCode(err, daoyue.EINVALID) {
		return s.renderSignupVerify(w, r, 0, err)
	} else if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: acc.SessionToken, Path: "/", Expires: acc.ExpiresAt,
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	s.redirectFlash(w, r, "/admin/"+acc.Workspace.Slug+"/bookings", "flash.signup_done")
	return nil
}
