package web

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
)

// LINE (issue 12): the studio's LINE card in settings (owners and admins,
// page-only: no API routes), the client's "get notices on LINE" page from
// the manage page and My bookings, the account's add-friend QR code and
// the signed webhook of each studio's channel.

// registerLine adds the LINE routes.
func (s *Server) registerLine(mux *http.ServeMux) {
	mux.HandleFunc("POST /admin/{slug}/settings/line", s.page(s.lineSettingsSubmit))
	mux.HandleFunc("POST /admin/{slug}/settings/line/disconnect", s.page(s.lineDisconnectSubmit))
	mux.HandleFunc("POST /b/{token}/line", s.limited(s.page(s.lineOfferForBooking)))
	mux.HandleFunc("POST /b/{token}/line/unlink", s.limited(s.page(s.lineUnlinkForBooking)))
	mux.HandleFunc("POST /w/{slug}/my/line", s.limited(s.page(s.lineOfferForMy)))
	mux.HandleFunc("POST /w/{slug}/my/line/unlink", s.limited(s.page(s.lineUnlinkForMy)))
	mux.HandleFunc("GET /w/{slug}/line/qr.png", s.limited(s.page(s.lineQR)))
	mux.HandleFunc("POST /webhooks/line/{hook}", s.lineWebhook)
}

func (s *Server) lineSettingsSubmit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "settings", "page.settings.title")
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	f := r.PostForm
	if err := s.App.ConnectLine(r.Context(), v.Admin.Workspace.Slug, f.Get("line_channel_id"), f.Get("line_channel_secret")); err != nil {
		r.PostForm.Del("line_channel_secret") // never sent back into the page
		return s.setupFailed(r, err, func(status int) error { return s.renderSettings(w, r, status, err) })
	}
	s.redirectFlash(w, r, v.Base()+"/settings#line", "flash.line_connected")
	return nil
}

func (s *Server) lineDisconnectSubmit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "settings", "page.settings.title")
	if err != nil {
		return err
	}
	if err := s.App.DisconnectLine(r.Context(), v.Admin.Workspace.Slug); err != nil {
		return err
	}
	s.redirectFlash(w, r, v.Base()+"/settings#line", "flash.line_disconnected")
	return nil
}

// linePage is the client's "get notices on LINE" page.
type linePage struct {
	Offer *app.LineOffer
	// Back is the page the client came from; Unlink posts the unlink.
	Back, Unlink string
}

func (s *Server) renderLineOffer(w http.ResponseWriter, r *http.Request, o *app.LineOffer, back, unlink string) {
	noStore(w)
	v := s.newView(w, r, "page.line_link.title", nil)
	v.inZone(o.Workspace)
	v.Public = o.Workspace
	v.BodyClass = "public"
	v.NoIndex = true
	v.Data = &linePage{Offer: o, Back: back, Unlink: unlink}
	s.render(w, r, http.StatusOK, "line_link", v)
}

func (s *Server) lineOfferForBooking(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	o, err := s.App.OfferLineForBooking(r.Context(), token, langOf(r))
	if err != nil {
		return err
	}
	base := "/b/" + url.PathEscape(token)
	s.renderLineOffer(w, r, o, base, base+"/line/unlink")
	return nil
}

func (s *Server) lineUnlinkForBooking(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	if err := s.App.UnlinkLineForBooking(r.Context(), token); err != nil {
		return err
	}
	s.redirectFlash(w, r, "/b/"+url.PathEscape(token), "flash.line_unlinked")
	return nil
}

func (s *Server) mySession(r *http.Request) string {
	if c, err := r.Cookie(myCookie); err == nil {
		return c.Value
	}
	return ""
}

func (s *Server) lineOfferForMy(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	o, err := s.App.OfferLineForMy(r.Context(), slug, s.mySession(r), langOf(r))
	if daoyue.IsCode(err, daoyue.EUNAUTHENTICATED) {
		http.Redirect(w, r, myPath(slug), http.StatusSeeOther)
		return nil
	} else if err != nil {
		return err
	}
	s.renderLineOffer(w, r, o, myPath(slug), myPath(slug)+"/line/unlink")
	return nil
}

func (s *Server) lineUnlinkForMy(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	err := s.App.UnlinkLineForMy(r.Context(), slug, s.mySession(r))
	if err != nil && !daoyue.IsCode(err, daoyue.EUNAUTHENTICATED) {
		return err
	}
	s.redirectFlash(w, r, myPath(slug), "flash.line_unlinked")
	return nil
}

func (s *Server) lineQR(w http.ResponseWriter, r *http.Request) error {
	png, err := s.App.LineAddFriendQR(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err = w.Write(png)
	return err
}

// lineWebhookMaxBody bounds a delivery's body (line-api.md §5.1).
const lineWebhookMaxBody = 1 << 20

// POST /webhooks/line/{hook}: a studio's channel's events, signed with its
// channel secret. LINE's console "Verify" sends no events and gets 200; a
// signature that is not this studio's is 401 and changes nothing.
func (s *Server) lineWebhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, lineWebhookMaxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.webhookError(w, r, http.StatusRequestEntityTooLarge, apiCodeTooLarge, "error.api_body_too_large")
			return
		}
		s.webhookError(w, r, http.StatusBadRequest, "invalid_input", "error.invalid_input")
		return
	}
	err = s.App.LineWebhook(r.Context(), r.PathValue("hook"), body, r.Header.Get("X-Line-Signature"))
	switch daoyue.ErrorCode(err) {
	case "":
		writeJSON(w, http.StatusOK, struct{}{})
	case daoyue.ENOTFOUND:
		s.webhookError(w, r, http.StatusNotFound, "not_found", "error.not_found")
	case daoyue.EUNAUTHENTICATED:
		s.Log.Warn("LINE webhook refused: bad signature")
		s.webhookError(w, r, http.StatusUnauthorized, "invalid_signature", "error.invalid_input")
	case daoyue.EINVALID:
		s.webhookError(w, r, http.StatusBadRequest, "invalid_input", "error.invalid_input")
	default:
		s.Log.Error("LINE webhook failed", slog.String("error", err.Error()))
		s.webhookError(w, r, http.StatusInternalServerError, "internal", "error.internal")
	}
}
