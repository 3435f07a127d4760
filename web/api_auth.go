package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
)

type loginInput struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	// OTP is the authenticator (or recovery) code of an account with
	// two-factor sign-in.
	OTP string `json:"otp"`
}

type tokenJSON struct {
	Token     string `json:"token"`
	ExpiresAt string `json:"expires_at"`
}

// apiLogin trades an email and password for an API bearer token.
func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) error {
	var in loginInput
	if err := apiDecodeJSON(w, r, &in); err != nil {
		return err
	}
	f := daoyue.FieldErrors{}
	if in.Email == "" {
		f.Add("email", "error.required")
	}
	if in.Password == "" {
		f.Add("password", "error.required")
	}
	if err := f.Err(); err != nil {
		return err
	}
	token, exp, err := s.App.Login(r.Context(), in.Email, in.Password, "api", s.clientIP(r))
	var second *app.SecondFactorNeeded
	if errors.As(err, &second) {
		if in.OTP == "" {
			return daoyue.Errorf(daoyue.EUNAUTHENTICATED, "error.otp_required")
		}
		token, exp, err = s.App.CompleteSignIn(r.Context(), second.Challenge, in.OTP, "api")
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, tokenJSON{Token: token, ExpiresAt: exp.UTC().Format(time.RFC3339)})
	return nil
}

// apiLogout revokes the token the request was made with.
func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request) error {
	if err := s.App.Logout(r.Context(), tokenOf(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
