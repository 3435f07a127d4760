package metrics_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue/jobs"
	"github.com/daoyue/daoyue/logging"
	"github.com/daoyue/daoyue/metrics"
	"github.com/daoyue/daoyue/store/storetest"
)

func TestEndpointHidesIDs(t *testing.T) {
	for path, want := range map[string]string{
		"/v2/users/me/meetings":                "POST /users/me/meetings",
		"/zoomsim/v2/meetings/85746065432":     "POST /meetings/{id}",
		"/v2/users/aB3xYz_9Qw/meetings":        "POST /users/{id}/meetings",
		"/oauth/token":                         "POST /oauth/token",
		"/zoomsim/oauth/token":                 "POST /oauth/token",
		"/v2/meetings/85746065432/invitation":  "POST /meetings/{id}/invitation",
		"/v2/users/someone@example.com/shared": "POST /users/{id}/shared",
	} {
		if got := metrics.Endpoint("POST", path); got != want {
			t.Errorf("%s: got %q want %q", path, got, want)
		}
	}
}

// The metrics page lists what was recorded, the Zoom transport counts by
// endpoint and status, and the queue collector reads River's table.
func TestMetricsPage(t *testing.T) {
	db := storetest.NewSQLite(t)
	if err := jobs.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	m := metrics.New(db.SQL(), logging.Discard())
	m.Request("GET /healthz", 200, 3*time.Millisecond)
	m.BookingChanged("create", "confirmed")
	m.MeetingSync("ok", 20*time.Millisecond)
	m.MailDelivery("client", "error")
	zoom := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(201) }))
	defer zoom.Close()
	resp, err := (&http.Client{Transport: m.ZoomTransport(nil)}).Post(zoom.URL+"/v2/users/me/meetings", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if _, err := db.SQL().Exec(`INSERT INTO river_job (args, kind, max_attempts, queue, state, scheduled_at, created_at) VALUES ('{}', 'meeting_sync', 5, 'meetings', 'available', datetime('now', '-3 seconds'), datetime('now'))`); err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(w.Body)
	for _, want := range []string{
		`daoyue_http_request_duration_seconds_count{route="GET /healthz",status="200"} 1`,
		`daoyue_booking_changes_total{action="create",status="confirmed"} 1`,
		`daoyue_meeting_sync_duration_seconds_count{outcome="ok"} 1`,
		`daoyue_email_deliveries_total{kind="client",outcome="error"} 1`,
		`daoyue_zoom_request_duration_seconds_count{endpoint="POST /users/me/meetings",status="201"} 1`,
		`daoyue_queue_jobs{queue="meetings",state="available"} 1`,
		`daoyue_queue_oldest_available_seconds{queue="meetings"}`,
		`go_goroutines`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("missing %s", want)
		}
	}
	if strings.Contains(string(body), `daoyue_queue_oldest_available_seconds{queue="meetings"} 0`+"\n") {
		t.Errorf("the waiting job's age is not reported:\n%s", body)
	}
}
