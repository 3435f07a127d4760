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
