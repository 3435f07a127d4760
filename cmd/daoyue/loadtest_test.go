package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// The loadtest seeds studios of 8 practitioners and runs against a whole
// server: closed loop on the slots API,
// the bare net/http floor and its ratio, the durable insert floor on the
// server's own database, and the consistency check; the server's /metrics
// answers this machine and counts the requests by route pattern.
func TestLoadtestFloorsAndCheck(t *testing.T) {
	dir := t.TempDir()
	base, _, stop := start(t, dir, "DAOYUE_TRUSTED_PROXIES=127.0.0.1")
	defer stop()
	var out bytes.Buffer
	err := cmdLoadtest(context.Background(), []string{"--url", base, "--concurrency", "2", "--clients", "50", "--duration", "300ms", "--only", "slots",
		"--floor", "--database-url", filepath.Join(dir, "daoyue.db"), "--check", "--seed-studios", "2", "--seed-bookings", "20"}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"seeded 2 studios (lt1…lt2), 8 practitioners each, 20 bookings per practitioner", "GET slots API (31 days, any practitioner)", "floor: bare net/http", "ratio: DaoYue",
		"floor: durable inserts on sqlite, 8 writers", "consistency: 0 bookings overlapping an earlier one of their practitioner"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %q in:\n%s", want, out.String())
		}
	}
	code, body := get(t, base+"/metrics")
	if code != 200 || !strings.Contains(body, `daoyue_http_request_duration_seconds_count{route="GET /api/v1/public/workspaces/{slug}/slots",status="200"}`) ||
		!strings.Contains(body, "daoyue_queue_jobs") {
		t.Fatalf("/metrics: %d\n%s", code, body)
	}
}
