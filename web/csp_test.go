package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/secret"
	"github.com/daoyue/daoyue/zoom"
)

// The 連結 Zoom form redirects to Zoom's consent page, and the browser
// applies form-action to that redirect: Zoom's origin is allowed by name
// and no other origin may receive a form.
func TestFormActionAllowsZoomConsentPage(t *testing.T) {
	t.Parallel()
	keys, err := secret.Parse(secret.NewSpec("k1"))
	if err != nil {
		t.Fatal(err)
	}
	for oauthURL, want := range map[string]string{
		"http://127.0.0.1:9090": "form-action 'self' http://127.0.0.1:9090;",
		"https://zoom.us":       "form-action 'self' https://zoom.us;",
		"":                      "form-action 'self';",
	} {
		a := app.New(nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if oauthURL != "" {
			a.Zoom = &app.Zoom{Keys: keys, Client: zoom.New(zoom.Config{ClientID: "id", ClientSecret: "s",
				OAuthURL: oauthURL, APIURL: oauthURL + "/v2", RedirectURL: "http://localhost:8080/oauth/zoom/callback"})}
		}
		srv := New(Config{App: a, BaseURL: "http://localhost:8080", Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, want) {
			t.Errorf("Zoom at %q: CSP %q, want %q", oauthURL, csp, want)
		}
	}
}

// Production sends HSTS; development (plain http on localhost) does not.
func TestHSTSInProduction(t *testing.T) {
	for _, prod := range []bool{true, false} {
		a := app.New(nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
		srv := New(Config{App: a, BaseURL: "https://daoyue.app", HSTS: prod, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		if got := w.Header().Get("Strict-Transport-Security"); (got != "") != prod || (prod && !strings.Contains(got, "max-age=31536000")) {
			t.Errorf("production %v: Strict-Transport-Security %q", prod, got)
		}
	}
}
