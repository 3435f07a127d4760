package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/store/storetest"
)

// /readyz says "not ready" to whoever asks and keeps the database's error
// for the operator's log.
func TestReadyzHidesTheCause(t *testing.T) {
	db := storetest.NewSQLite(t)
	var logged strings.Builder
	log := slog.New(slog.NewTextHandler(&logged, nil))
	srv := New(Config{App: app.New(db, log), Store: db, Log: log, BaseURL: "http://localhost"})
	db.Close()
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	body, _ := io.ReadAll(w.Body)
	if w.Code != http.StatusServiceUnavailable || string(body) != "not ready\n" {
		t.Fatalf("readyz: %d %q", w.Code, body)
	}
	if !strings.Contains(logged.String(), "not ready") || !strings.Contains(logged.String(), "error=") {
		t.Errorf("the cause is not logged: %s", logged.String())
	}
}

// Every form and JSON route refuses a body over 64 KiB before reading it:
// ten parallel 10 MB sign-ins no longer make the server hold 100 MB.
func TestBodyLimitOnEveryRoute(t *testing.T) {
	e := newAPIEnv(t, storetest.NewSQLite(t))
	big := strings.Repeat("a", 10<<20)
	for _, c := range []struct{ path, ctype string }{
		{"/admin/login", "application/x-www-form-urlencoded"},
		{"/w/studio-a/book", "application/x-www-form-urlencoded"},
		{"/admin/studio-a/members", "application/x-www-form-urlencoded"},
		{"/admin/studio-a/settings", "multipart/form-data; boundary=x"}, // the logo's larger limit, still bounded
		{"/api/v1/auth/token", "application/json"},
		{"/api/v1/public/workspaces/studio-a/bookings", "application/json"},
	} {
		req, _ := http.NewRequest("POST", e.ts.URL+c.path, strings.NewReader("email=x&password="+big))
		req.Header.Set("Content-Type", c.ctype)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("%s: %d, want 413", c.path, resp.StatusCode)
		}
		if strings.HasPrefix(c.path, "/api/") && !strings.Contains(string(body), "payload_too_large") {
			t.Errorf("%s: %s", c.path, body)
		}
	}
	// A body that does not say its length is cut off at the limit.
	pr, pw := io.Pipe()
	go func() {
		_, _ = pw.Write([]byte("email=owner%40a.example&password="))
		for i := 0; i < 200; i++ {
			if _, err := pw.Write([]byte(strings.Repeat("b", 64<<10))); err != nil {
				return
			}
		}
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", e.ts.URL+"/admin/login", pr)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusSeeOther || resp.StatusCode == http.StatusOK {
			t.Errorf("a chunked 12 MB sign-in: %d", resp.StatusCode)
		}
	}
	pr.Close()
}
