package web

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/logging"
	"github.com/daoyue/daoyue/store/storetest"
)

// Requests are observed by route pattern (never the raw path) with their
// status; the answer carries a request id; /metrics answers only a request
// from this machine that came through no proxy.
func TestMetricsHookAndLoopbackOnly(t *testing.T) {
	db := storetest.NewSQLite(t)
	var mu sync.Mutex
	seen := map[string]int{}
	srv := New(Config{App: app.New(db, logging.Discard()), Store: db, Log: logging.Discard(), BaseURL: "http://x",
		ObserveRequest: func(route string, status int, _ time.Duration) {
			mu.Lock()
			defer mu.Unlock()
			seen[route] = status
		},
		Metrics: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("metrics\n")) })})

	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("GET", "/healthz", nil))
	if w.Code != 200 || len(w.Header().Get("X-Request-Id")) != 16 {
		t.Fatalf("healthz: %d, request id %q", w.Code, w.Header().Get("X-Request-Id"))
	}
	w = httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("GET", "/no/such/secret-path", nil))
	mu.Lock()
	// The unknown path falls to the pages' catch-all pattern "GET /".
	if seen["GET /healthz"] != 200 || seen["GET /"] != 404 || len(seen) != 2 {
		t.Fatalf("observed %v", seen)
	}
	mu.Unlock()

	for _, c := range []struct {
		remote, xff string
		want        int
	}{
		{"127.0.0.1:5555", "", 200},
		{"[::1]:5555", "", 200},
		{"192.0.2.7:5555", "", 404},
		{"127.0.0.1:5555", "198.51.100.1", 404}, // through a proxy on this machine
	} {
		r := httptest.NewRequest("GET", "/metrics", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code != c.want {
			t.Errorf("%s xff=%q: %d, want %d", c.remote, c.xff, w.Code, c.want)
		}
	}
}
