package web

import (
	"net/http"
	"net/url"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
)

// My bookings (我的預約), /w/{slug}/my: the form asking for an email, the
// page the emailed link opens (a button: mail scanners that fetch links
// must not use up the single-use link), and the list.

const myCookie = "daoyue_my"

// myPage is the data of my.html.
type myPage struct {
	Slug    string
	View    *app.MyBookingsView // the list, when signed in
	Sent    bool                // the link was asked for: check the mailbox
	Token   string              // the emailed link's secret: the open button
	Expired bool                // the link was used or expired
	Line    *app.LineState      // LINE, when signed in
}

func (s *Server) myView(w http.ResponseWriter, r *http.Request, slug string) (*view, error) {
	pp, err := s.App.PublicWorkspace(r.Context(), slug)
	if err != nil {
		return nil, err
	}
	noStore(w)
	v := s.newView(w, r, "page.my.title", nil)
	v.inZone(pp.Workspace)
	v.Public = pp.Workspace
	v.BodyClass = "public"
	v.NoIndex = true
	return v, nil
}

func myPath(slug string) string { return "/w/" + url.PathEscape(slug) + "/my" }

func (s *Server) myBookingsPage(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	v, err := s.myView(w, r, slug)
	if err != nil {
		return err
	}
	p := &myPage{Slug: slug}
	if c, err := r.Cookie(myCookie); err == nil {
		p.View, err = s.App.MyBookings(r.Context(), slug, c.Value)
		if err != nil && !daoyue.IsCode(err, daoyue.EUNAUTHENTICATED) {
			return err
		}
		if p.View != nil {
			if p.Line, err = s.App.LineStateOfMy(r.Context(), slug, c.Value); err != nil {
				return err
			}
		}
	}
	v.Data = p
	s.render(w, r, http.StatusOK, "my", v)
	return nil
}

func (s *Server) myBookingsRequest(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	v, err := s.myView(w, r, slug)
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	email := r.PostFormValue("email")
	p := &myPage{Slug: slug}
	status := http.StatusOK
	if err := s.App.RequestMyBookings(r.Context(), slug, email, s.clientIP(r), langOf(r)); err != nil {
		if c := daoyue.ErrorCode(err); c != daoyue.EINVALID && c != daoyue.ERATELIMIT {
			return err
		}
		status, _ = s.applyError(r, v, err)
		v.Form.Set("email", email)
	} else {
		p.Sent = true
		v.Form.Set("email", daoyue.NormalizeEmail(email))
	}
	v.Data = p
	s.render(w, r, status, "my", v)
	return nil
}

// myBookingsLink shows the emailed link's button; nothing is used yet.
func (s *Server) myBookingsLink(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	v, err := s.myView(w, r, slug)
	if err != nil {
		return err
	}
	v.Data = &myPage{Slug: slug, Token: r.PathValue("token")}
	s.render(w, r, http.StatusOK, "my", v)
	return nil
}

func (s *Server) myBookingsOpen(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	session, err := s.App.OpenMyBookings(r.Context(), slug, r.PathValue("token"))
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		v, verr := s.myView(w, r, slug)
		if verr != nil {
			return verr
		}
		v.Data = &myPage{Slug: slug, Expired: true}
		s.render(w, r, http.StatusNotFound, "my", v)
		return nil
	} else if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: myCookie, Value: session, Path: myPath(slug), MaxAge: int(daoyue.ClientSessionTTL.Seconds()),
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, myPath(slug), http.StatusSeeOther)
	return nil
}

func (s *Server) myBookingsSignOut(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	if c, err := r.Cookie(myCookie); err == nil {
		if err := s.App.SignOutMyBookings(r.Context(), c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: myCookie, Value: "", Path: myPath(slug), MaxAge: -1,
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	s.redirectFlash(w, r, myPath(slug), "flash.my_signed_out")
	return nil
}
