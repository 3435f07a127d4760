package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/i18n"
)

// pageHandler is a page handler that returns its failure instead of showing
// it: Server.page shows every one on the error page. It must not have
// written anything when it returns an error.
type pageHandler func(w http.ResponseWriter, r *http.Request) error

// page adapts h to net/http.
func (s *Server) page(h pageHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	}
}

// registerPages adds the HTML pages.
func (s *Server) registerPages(mux *http.ServeMux) {
	mux.Handle("GET /static/", serveStatic())
	mux.HandleFunc("GET /{$}", s.homePage)
	// Anything else that is not a known page is a friendly 404.
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) { s.fail(w, r, daoyue.ErrNotFound) })

	// Public booking.
	mux.HandleFunc("GET /w/{slug}", s.limited(s.page(s.bookingPage)))
	mux.HandleFunc("POST /w/{slug}/book", s.limited(s.page(s.bookSubmit)))
	mux.HandleFunc("GET /w/{slug}/logo", s.limited(s.page(s.logoImage)))
	mux.HandleFunc("GET /b/{token}", s.limited(s.page(s.managePage)))
	mux.HandleFunc("GET /b/{token}/calendar.ics", s.limited(s.page(s.manageCalendar)))
	mux.HandleFunc("POST /b/{token}/reschedule", s.limited(s.page(s.manageReschedule)))
	mux.HandleFunc("POST /b/{token}/cancel", s.limited(s.page(s.manageCancel)))
	mux.HandleFunc("POST /b/{token}/transfer", s.limited(s.page(s.manageTransfer)))
	mux.HandleFunc("GET /w/{slug}/my", s.limited(s.page(s.myBookingsPage)))
	mux.HandleFunc("POST /w/{slug}/my", s.limited(s.page(s.myBookingsRequest)))
	mux.HandleFunc("POST /w/{slug}/my/signout", s.limited(s.page(s.myBookingsSignOut)))
	mux.HandleFunc("GET /w/{slug}/my/{token}", s.limited(s.page(s.myBookingsLink)))
	mux.HandleFunc("POST /w/{slug}/my/{token}", s.limited(s.page(s.myBookingsOpen)))
	mux.HandleFunc("GET /b/{token}/pay", s.limited(s.page(s.payPage)))
	mux.HandleFunc("POST /b/{token}/pay", s.limited(s.page(s.payPage)))

	// Sign-in, and joining a studio by invitation.
	mux.HandleFunc("GET /invite/{token}", s.limited(s.page(s.invitationPage)))
	mux.HandleFunc("POST /invite/{token}", s.limited(s.page(s.invitationAccept)))
	mux.HandleFunc("GET /signup", s.limited(s.page(s.signupPage)))
	mux.HandleFunc("POST /signup", s.limited(s.page(s.signupSubmit)))
	mux.HandleFunc("GET /signup/sent", s.limited(s.page(s.signupSentPage)))
	mux.HandleFunc("GET /signup/{token}", s.limited(s.page(s.signupVerifyPage)))
	mux.HandleFunc("POST /signup/{token}", s.limited(s.page(s.signupVerifySubmit)))
	mux.HandleFunc("GET /admin/forgot", s.page(s.forgotPage))
	mux.HandleFunc("POST /admin/forgot", s.page(s.forgotSubmit))
	mux.HandleFunc("GET /reset/{token}", s.limited(s.page(s.resetPage)))
	mux.HandleFunc("POST /reset/{token}", s.limited(s.page(s.resetSubmit)))
	mux.HandleFunc("POST /admin/login/2fa", s.page(s.secondFactorSubmit))
	mux.HandleFunc("GET /admin/account", s.page(s.accountPage))
	mux.HandleFunc("POST /admin/account/tokens", s.page(s.apiTokenCreate))
	mux.HandleFunc("POST /admin/account/credentials/{id}/revoke", s.page(s.credentialRevoke))
	mux.HandleFunc("POST /admin/account/signout-all", s.page(s.signOutEverywhere))
	mux.HandleFunc("POST /admin/account/2fa", s.page(s.twoFactorStart))
	mux.HandleFunc("POST /admin/account/2fa/confirm", s.page(s.twoFactorConfirm))
	mux.HandleFunc("POST /admin/account/2fa/disable", s.page(s.twoFactorDisable))
	mux.HandleFunc("POST /admin/{slug}/members/two-factor", s.page(s.twoFactorRequire))
	mux.HandleFunc("POST /admin/account/password", s.page(s.passwordSubmit))
	mux.HandleFunc("POST /admin/{slug}/notices", s.page(s.noticesSubmit))
	mux.HandleFunc("GET /admin/login", s.loginPage)
	mux.HandleFunc("POST /admin/login", s.page(s.loginSubmit))
	mux.HandleFunc("POST /admin/logout", s.page(s.logoutSubmit))
	mux.HandleFunc("GET /admin", s.page(s.chooserPage))
	mux.HandleFunc("GET /admin/{$}", s.page(s.chooserPage))
	mux.HandleFunc("GET /admin/{slug}", s.page(s.adminHome))
	mux.HandleFunc("GET /admin/{slug}/{$}", s.page(s.adminHome))

	// Bookings.
	mux.HandleFunc("GET /admin/{slug}/bookings", s.page(s.bookingsPage))
	mux.HandleFunc("GET /admin/{slug}/bookings/{id}", s.page(s.bookingDetailPage))
	mux.HandleFunc("GET /admin/{slug}/bookings/{id}/meeting-status", s.meetingStatusJSON)
	mux.HandleFunc("POST /admin/{slug}/bookings/{id}/accept", s.page(s.bookingAction(actAccept)))
	mux.HandleFunc("POST /admin/{slug}/bookings/{id}/decline", s.page(s.bookingAction(actDecline)))
	mux.HandleFunc("POST /admin/{slug}/bookings/{id}/cancel", s.page(s.bookingAction(actCancel)))
	mux.HandleFunc("POST /admin/{slug}/bookings/{id}/payment", s.page(s.bookingAction(actPayment)))
	mux.HandleFunc("POST /admin/{slug}/bookings/{id}/reschedule", s.page(s.bookingAction(actReschedule)))
	mux.HandleFunc("POST /admin/{slug}/bookings/{id}/requests/{rid}/approve", s.page(s.bookingAction(actApprove)))
	mux.HandleFunc("POST /admin/{slug}/bookings/{id}/requests/{rid}/reject", s.page(s.bookingAction(actReject)))
	mux.HandleFunc("POST /admin/{slug}/bookings/{id}/meeting/retry", s.page(s.bookingAction(actMeetingRetry)))
	mux.HandleFunc("POST /admin/{slug}/bookings/{id}/transfer/confirm", s.page(s.bookingAction(actTransferConfirm)))
	mux.HandleFunc("POST /admin/{slug}/bookings/{id}/transfer/reject", s.page(s.bookingAction(actTransferReject)))
	mux.HandleFunc("POST /admin/{slug}/bookings/{id}/refund", s.page(s.bookingAction(actRefund)))
	mux.HandleFunc("POST /admin/{slug}/bookings/{id}/refund/waive", s.page(s.bookingAction(actRefundWaive)))
	mux.HandleFunc("POST /admin/{slug}/bookings/{id}/refund/ecpay", s.page(s.bookingAction(actRefundECPay)))
	mux.HandleFunc("POST /admin/{slug}/bookings/{id}/invoice/retry", s.page(s.bookingAction(actInvoiceRetry)))

	// Availability and practitioners.
	mux.HandleFunc("GET /admin/{slug}/availability", s.page(s.availabilityPage))
	mux.HandleFunc("POST /admin/{slug}/availability/{pid}/weekly", s.page(s.weeklySubmit))
	mux.HandleFunc("POST /admin/{slug}/availability/{pid}/overrides", s.page(s.overrideSubmit))
	mux.HandleFunc("POST /admin/{slug}/availability/{pid}/overrides/{date}/delete", s.page(s.overrideDelete))
	mux.HandleFunc("GET /admin/{slug}/practitioners", s.page(s.practitionersPage))
	mux.HandleFunc("POST /admin/{slug}/practitioners", s.page(s.practitionerCreate))
	mux.HandleFunc("GET /admin/{slug}/practitioners/{pid}", s.page(s.practitionerPage))
	mux.HandleFunc("POST /admin/{slug}/practitioners/{pid}", s.page(s.practitionerUpdate))

	// Services.
	mux.HandleFunc("GET /admin/{slug}/services", s.page(s.servicesPage))
	mux.HandleFunc("GET /admin/{slug}/services/new", s.page(s.serviceNewPage))
	mux.HandleFunc("POST /admin/{slug}/services", s.page(s.serviceCreate))
	mux.HandleFunc("GET /admin/{slug}/services/{sid}", s.page(s.serviceEditPage))
	mux.HandleFunc("POST /admin/{slug}/services/{sid}", s.page(s.serviceUpdate))

	// Members.
	mux.HandleFunc("GET /admin/{slug}/members", s.page(s.membersPage))
	mux.HandleFunc("POST /admin/{slug}/members", s.page(s.memberInvite))
	mux.HandleFunc("POST /admin/{slug}/invitations/{iid}/resend", s.page(s.invitationResend))
	mux.HandleFunc("POST /admin/{slug}/invitations/{iid}/revoke", s.page(s.invitationRevoke))
	mux.HandleFunc("POST /admin/{slug}/members/{uid}/role", s.page(s.memberRole))
	mux.HandleFunc("POST /admin/{slug}/members/{uid}/remove", s.page(s.memberRemove))

	// Studio settings (工作室設定).
	mux.HandleFunc("GET /admin/{slug}/settings", s.page(s.settingsPage))
	mux.HandleFunc("POST /admin/{slug}/settings", s.page(s.settingsSubmit))
	mux.HandleFunc("POST /admin/{slug}/settings/ecpay", s.page(s.ecpaySettingsSubmit))
	mux.HandleFunc("POST /admin/{slug}/settings/invoice", s.page(s.invoiceSettingsSubmit))

	// Data and privacy (資料與隱私).
	mux.HandleFunc("GET /admin/{slug}/data", s.page(s.dataPage))
	mux.HandleFunc("GET /admin/{slug}/data/client.json", s.page(s.clientExportDownload))
	mux.HandleFunc("POST /admin/{slug}/data/erase", s.page(s.clientEraseSubmit))
	mux.HandleFunc("GET /admin/{slug}/data/studio.json", s.page(s.studioExportDownload))
	mux.HandleFunc("GET /admin/{slug}/data/bookings.csv", s.page(s.studioBookingsCSV))
	mux.HandleFunc("POST /admin/{slug}/data/delete", s.page(s.studioDeleteSubmit))

	// Outbox (寄件匣): the emails to clients.
	mux.HandleFunc("GET /admin/{slug}/outbox", s.page(s.outboxPage))

	// Zoom: the online meeting tools card, the OAuth callback, the
	// Marketplace install and the webhook.
	s.registerZoom(mux)
	s.registerLine(mux)

	// ECPay's server-to-server notifications (signed; no CSRF, own body limit).
	mux.HandleFunc("POST /webhooks/ecpay/return", s.ecpayWebhook(app.ECPayReturn))
	mux.HandleFunc("POST /webhooks/ecpay/info", s.ecpayWebhook(app.ECPayInfo))
	mux.HandleFunc("POST /webhooks/stripe", s.stripeWebhook)

	// Public documentation: /docs/zoom, /privacy, /terms.
	s.registerDocs(mux)
}

// errorPage is the data of the error page.
type errorPage struct {
	Status    int
	Heading   string
	Message   string
	Home      string
	HomeLabel string
	// StatusLabel is the HTTP status in small print under the words
	// ("Error code 422"), for whoever reports the problem.
	StatusLabel string
}

// pageError renders an error page in the request's language. A page that
// needs a signed-in member sends a visitor to the sign-in page instead.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	if daoyue.IsCode(err, daoyue.EUNAUTHENTICATED) && (r.Method == http.MethodGet || r.Method == http.MethodHead) && strings.HasPrefix(r.URL.Path, "/admin/") {
		redirectToLogin(w, r)
		return
	}
	setRetryAfter(w, err)
	status, body := s.publicError(r, err)
	heading := "page.error.title"
	var e *daoyue.Error
	errors.As(err, &e)
	switch {
	case status == http.StatusNotFound:
		heading = "page.error.not_found"
		if e == nil || e.Key == daoyue.ErrNotFound.Key {
			body.Message = "" // the heading says it; a specific cause stays
		}
	case e != nil && e.Key == "error.csrf":
		heading = "page.error.csrf"
	case status == http.StatusForbidden:
		heading = "page.error.forbidden"
	case status == http.StatusUnauthorized:
		heading = "page.error.unauthenticated"
	case status == http.StatusTooManyRequests:
		heading = "page.error.rate_limited"
	case status >= 500:
		heading = "page.error.internal"
	case status == http.StatusUnprocessableEntity:
		heading = "page.error.invalid"
	case status == http.StatusConflict:
		heading = "page.error.conflict"
	}
	v := s.newView(w, r, heading, nil)
	if body.Message == "" {
		body.Message = v.T("page.error.not_found_help")
	}
	home, homeKey := "/", "action.go_home"
	if status == http.StatusNotFound {
		// A client who followed a link: say what it was and give a way on.
		if help, to, toKey := notFoundWayOn(r, e); help != "" {
			body.Message = v.T(help)
			home, homeKey = to, toKey
		}
	}
	switch {
	case status == http.StatusUnauthorized:
		home, homeKey = "/admin/login", "action.sign_in"
	case userOf(r) != nil:
		// A signed-in member goes back into the backend: to the studio the
		// page belonged to when there is one.
		home, homeKey = "/admin", "action.go_backend"
		if slug := adminSlugOf(r); slug != "" {
			home = "/admin/" + url.PathEscape(slug)
		}
	}
	v.Data = errorPage{Status: status, Heading: v.Title, Message: body.Message, Home: home, HomeLabel: v.T(homeKey),
		StatusLabel: i18n.T(v.Lang, "page.error.status", map[string]any{"status": status})}
	v.BodyClass = "page-error"
	noStore(w)
	s.render(w, r, status, "error", v)
}

// notFoundWayOn explains a public page that is not there: a booking
// link (/b/…), a studio (/w/{slug}) or one of its services or
// practitioners, with where to go on from there.
func notFoundWayOn(r *http.Request, e *daoyue.Error) (help, to, toKey string) {
	path := r.URL.Path
	if strings.HasPrefix(path, "/b/") {
		return "page.error.manage_link_help", "/", "action.go_home"
	}
	rest, ok := strings.CutPrefix(path, "/w/")
	if !ok {
		return "", "", ""
	}
	slug, _, _ := strings.Cut(rest, "/")
	if e != nil && (e.Key == "error.service_not_found" || e.Key == "error.practitioner_not_found") {
		return "page.error.service_help", "/w/" + url.PathEscape(slug), "action.see_studio_services"
	}
	return "page.error.studio_help", "/", "action.go_home"
}

// adminSlugOf is the studio of a backend path (/admin/{slug}/…), or "".
func adminSlugOf(r *http.Request) string {
	rest, ok := strings.CutPrefix(r.URL.Path, "/admin/")
	if !ok {
		return ""
	}
	slug, _, _ := strings.Cut(rest, "/")
	switch slug {
	case "", "login", "logout", "forgot", "reset", "account", "login2fa":
		return ""
	}
	return slug
}

// redirectToLogin sends a visitor to sign in and come back.
func redirectToLogin(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Path
	if r.Method == http.MethodGet && r.URL.RawQuery != "" {
		next += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, "/admin/login?next="+url.QueryEscape(next), http.StatusSeeOther)
}

// homePage says what DaoYue is.
func (s *Server) homePage(w http.ResponseWriter, r *http.Request) {
	v := s.newView(w, r, "page.home.title", struct{ Signup bool }{s.Signup})
	v.BodyClass = "page-home"
	s.render(w, r, http.StatusOK, "home", v)
}
