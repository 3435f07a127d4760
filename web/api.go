package web

import (
	_ "embed"
	"net/http"

	"github.com/daoyue/daoyue"
)

// The JSON API v1 (API.md). Every route is listed once in apiRoutes; the
// OpenAPI document (openapi.json) describes exactly these routes, and a test
// walks the table so the two cannot drift apart.

//go:embed openapi.json
var openAPIDoc []byte

// apiPrefix is where API v1 lives.
const apiPrefix = "/api/v1"

// apiAccess says who may call a route.
type apiAccess int

const (
	// apiPublic: anyone, limited per client address.
	apiPublic apiAccess = iota
	// apiMember: a signed-in member; the app layer checks the workspace
	// (another studio's workspace or ids are not_found).
	apiMember
)

type apiRoute struct {
	Method string
	Path   string // full path pattern, e.g. /api/v1/workspaces/{slug}
	Access apiAccess
	Handle apiHandler
}

// apiHandler is an API handler that returns its problem instead of writing
// it: the route table's adapter (Server.api) writes every error the same way.
type apiHandler func(w http.ResponseWriter, r *http.Request) error

// api adapts h to net/http: a non-nil error is written as the API's error
// body (failAPI). h must not have written anything when it returns one.
func (s *Server) api(h apiHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.failAPI(w, r, err)
		}
	}
}

// apiRoutes is the route table of API v1.
func (s *Server) apiRoutes() []apiRoute {
	const ws = apiPrefix + "/workspaces/{slug}"
	const pub = apiPrefix + "/public"
	return []apiRoute{
		{"GET", apiPrefix + "/openapi.json", apiPublic, s.apiOpenAPI},

		// Sign-in.
		{"POST", apiPrefix + "/auth/token", apiPublic, s.apiLogin},
		{"DELETE", apiPrefix + "/auth/token", apiMember, s.apiLogout},

		// Public.
		{"GET", pub + "/workspaces/{slug}", apiPublic, s.apiPublicWorkspace},
		{"GET", pub + "/workspaces/{slug}/slots", apiPublic, s.apiSlots},
		{"GET", pub + "/workspaces/{slug}/booking-challenge", apiPublic, s.apiBookingChallenge},
		{"POST", pub + "/workspaces/{slug}/bookings", apiPublic, s.apiBook},
		{"GET", pub + "/bookings/{token}", apiPublic, s.apiClientBooking},
		{"POST", pub + "/bookings/{token}/reschedule-request", apiPublic, s.apiClientReschedule},
		{"POST", pub + "/bookings/{token}/cancel-request", apiPublic, s.apiClientCancel},
		{"POST", pub + "/bookings/{token}/transfer-report", apiPublic, s.apiTransferReport},

		// Admin: workspaces.
		{"GET", apiPrefix + "/workspaces", apiMember, s.apiMyWorkspaces},
		{"GET", ws, apiMember, s.apiWorkspace},
		{"PATCH", ws, apiMember, s.apiUpdateWorkspace},

		// Admin: bookings.
		{"GET", ws + "/bookings", apiMember, s.apiBookings},
		{"GET", ws + "/bookings/{id}", apiMember, s.apiBooking},
		{"POST", ws + "/bookings/{id}/accept", apiMember, s.apiAccept},
		{"POST", ws + "/bookings/{id}/decline", apiMember, s.apiDecline},
		{"POST", ws + "/bookings/{id}/cancel", apiMember, s.apiCancel},
		{"POST", ws + "/bookings/{id}/reschedule", apiMember, s.apiReschedule},
		{"POST", ws + "/bookings/{id}/payments", apiMember, s.apiPayment},
		{"POST", ws + "/bookings/{id}/transfer/confirm", apiMember, s.apiTransferConfirm},
		{"POST", ws + "/bookings/{id}/transfer/reject", apiMember, s.apiTransferReject},
		{"POST", ws + "/bookings/{id}/refunds", apiMember, s.apiRefund},
		{"POST", ws + "/bookings/{id}/refund/waive", apiMember, s.apiRefundWaive},
		{"POST", ws + "/bookings/{id}/requests/{request_id}/approve", apiMember, s.apiApproveRequest},
		{"POST", ws + "/bookings/{id}/requests/{request_id}/reject", apiMember, s.apiRejectRequest},
		{"POST", ws + "/bookings/{id}/meeting/retry", apiMember, s.apiMeetingRetry},

		// Admin: practitioners and their availability.
		{"GET", ws + "/practitioners", apiMember, s.apiPractitioners},
		{"POST", ws + "/practitioners", apiMember, s.apiCreatePractitioner},
		{"GET", ws + "/practitioners/{id}", apiMember, s.apiPractitioner},
		{"PATCH", ws + "/practitioners/{id}", apiMember, s.apiUpdatePractitioner},
		{"GET", ws + "/practitioners/{id}/overrides", apiMember, s.apiOverrides},
		{"PUT", ws + "/practitioners/{id}/overrides/{date}", apiMember, s.apiPutOverride},
		{"DELETE", ws + "/practitioners/{id}/overrides/{date}", apiMember, s.apiDeleteOverride},

		// Admin: a practitioner's Zoom connection.
		{"POST", ws + "/practitioners/{id}/zoom/connect", apiMember, s.apiZoomConnect},
		{"POST", ws + "/practitioners/{id}/zoom/default", apiMember, s.apiZoomDefault},
		{"DELETE", ws + "/practitioners/{id}/zoom", apiMember, s.apiZoomDisconnect},

		// Admin: services.
		{"GET", ws + "/services", apiMember, s.apiServices},
		{"POST", ws + "/services", apiMember, s.apiCreateService},
		{"GET", ws + "/services/{id}", apiMember, s.apiService},
		{"PUT", ws + "/services/{id}", apiMember, s.apiUpdateService},

		// Admin: members.
		{"GET", ws + "/members", apiMember, s.apiMembers},
		{"PATCH", ws + "/members/{user_id}", apiMember, s.apiSetMemberRole},
		{"DELETE", ws + "/members/{user_id}", apiMember, s.apiRemoveMember},
		{"GET", ws + "/invitations", apiMember, s.apiInvitations},
		{"POST", ws + "/invitations", apiMember, s.apiInvite},
		{"POST", ws + "/invitations/{id}/resend", apiMember, s.apiResendInvitation},
		{"DELETE", ws + "/invitations/{id}", apiMember, s.apiRevokeInvitation},

		// Admin: the data rights (a client's data, the studio's data).
		{"GET", ws + "/clients/export", apiMember, s.apiClientExport},
		{"POST", ws + "/clients/erase", apiMember, s.apiClientErase},
		{"GET", ws + "/export", apiMember, s.apiStudioExport},
		{"DELETE", ws, apiMember, s.apiStudioDelete},

		// Admin: audit log.
		{"GET", ws + "/audit", apiMember, s.apiAudit},

		// Admin: the emails sent (or kept) for clients.
		{"GET", ws + "/outbox", apiMember, s.apiOutbox},
	}
}

// registerAPI adds the JSON API v1 routes.
func (s *Server) registerAPI(mux *http.ServeMux) {
	for _, rt := range s.apiRoutes() {
		h := s.api(rt.Handle)
		switch rt.Access {
		case apiPublic:
			h = s.limited(h)
		case apiMember:
			h = s.signedIn(h)
		}
		mux.HandleFunc(rt.Method+" "+rt.Path, apiHeaders(h))
	}
	// Anything else under /api/ answers in JSON too, never with a page.
	// One pattern per method: a method-less "/api/" would conflict with
	// the pages' "GET /".
	notFound := apiHeaders(func(w http.ResponseWriter, r *http.Request) { s.failAPI(w, r, daoyue.ErrNotFound) })
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		mux.HandleFunc(m+" /api/", notFound)
	}
}

// apiHeaders marks API answers as not to be cached: they hold clients'
// details, and (later) private meeting details.
func apiHeaders(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		h(w, r)
	}
}

// signedIn refuses a request without a signed-in member before anything
// else is read, so an anonymous caller learns nothing from a route.
func (s *Server) signedIn(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if userOf(r) == nil {
			s.failAPI(w, r, daoyue.ErrUnauthorized)
			return
		}
		h(w, r)
	}
}

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(openAPIDoc)
	return nil
}
