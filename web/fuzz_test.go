package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/daoyue/daoyue/internal/testenv"
	"github.com/daoyue/daoyue/store/storetest"
)

// Whatever a client sends as a booking, the answer is a decision (201, 404,
// 409, 422, 429), never a server error.
func FuzzBookingInput(f *testing.F) {
	e := newAPIEnv(f, storetest.NewSQLite(f))
	e.srv.limiter = newRateLimiter(1<<30, 1e9) // fuzz the handler, not the rate limit
	svc, prac := e.A.Online.ID, e.A.Lin.ID
	for _, seed := range []string{
		`{"service_id":"` + svc + `","practitioner_id":"` + prac + `","start":"` + apiAt(1, 10, 0) + `","client":{"name":"王小明","email":"ming@example.com"}}`,
		`{"service_id":"` + svc + `","start":"2030-01-08T10:00:00","client":{"name":"x","email":"x@example.com"}}`,
		`{"service_id":"nope","start":"` + apiAt(1, 10, 0) + `","client":{"name":"","email":"bad"},"note":"` + strings.Repeat("長", 3000) + `"}`,
		`{"service_id":1}`, `[]`, `{`, `{"client":{"name":"\u0000"}}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/api/v1/public/workspaces/studio-a/bookings", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = "198.51.100.1:1234"
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusCreated, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity,
			http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("%d for %q: %s", rec.Code, body, rec.Body)
		}
	})
}

// Whatever comes back to the OAuth callback (forged states, codes, errors,
// an install without state), the answer is a page or a redirect, never a
// server error.
func FuzzOAuthCallback(f *testing.F) {
	e := newAPIEnvWith(f, storetest.NewSQLite(f), testenv.Options{Start: apiNow, Zoom: true})
	for _, seed := range [][3]string{
		{"", "", ""}, {"code", "state", ""}, {"", "state", "access_denied"}, {"code", "", ""},
		{strings.Repeat("a", 5000), "x\x00y", "%zz"}, {"c", "s", "server_error"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, code, state, oauthErr string) {
		q := url.Values{}
		for k, v := range map[string]string{"code": code, "state": state, "error": oauthErr} {
			if v != "" {
				q.Set(k, v)
			}
		}
		req := httptest.NewRequest("GET", "/oauth/zoom/callback?"+q.Encode(), nil)
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%d for code=%q state=%q error=%q: %s", rec.Code, code, state, oauthErr, rec.Body)
		}
	})
}
