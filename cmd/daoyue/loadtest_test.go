package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/daoyue/daoyue/store/storetest"
	"github.com/daoyue/daoyue/zoom/zoomsim"
	"github.com/daoyue/daoyue/zoom/zoomsim/zoomsimtest"
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
	// A later run with --studios (no seeding, no --workspace) reads the
	// seeded lt1's slots again, not the demo studio's.
	bodySize := regexp.MustCompile(`floor: bare net/http, (\d+)-byte body`)
	first := bodySize.FindStringSubmatch(out.String())
	var again bytes.Buffer
	if err := cmdLoadtest(context.Background(), []string{"--url", base, "--concurrency", "2", "--clients", "50", "--duration", "200ms", "--only", "slots",
		"--floor", "--studios", "1"}, &again); err != nil {
		t.Fatalf("%v\n%s", err, again.String())
	}
	if second := bodySize.FindStringSubmatch(again.String()); first == nil || second == nil || second[1] != first[1] {
		t.Errorf("--studios 1 read another studio's slots: %v vs %v\n%s", first, second, again.String())
	}
	code, body := get(t, base+"/metrics")
	if code != 200 || !strings.Contains(body, `daoyue_http_request_duration_seconds_count{route="GET /api/v1/public/workspaces/{slug}/slots",status="200"}`) ||
		!strings.Contains(body, "daoyue_queue_jobs") {
		t.Fatalf("/metrics: %d\n%s", code, body)
	}
}

// Submissions through a whole server started with the load test's limits:
// distinct free slots all booked (201), then contention rounds in which
// exactly one submission of each round wins and the rest are told 409;
// the ratio to the durable insert floor and the consistency check follow.
func TestLoadtestSubmitAndContend(t *testing.T) {
	dir := t.TempDir()
	base, _, stop := start(t, dir, "DAOYUE_TRUSTED_PROXIES=127.0.0.1", "DAOYUE_LOADTEST_LIMITS=on")
	defer stop()
	db := filepath.Join(dir, "daoyue.db")
	var out bytes.Buffer
	err := cmdLoadtest(context.Background(), []string{"--url", base, "--concurrency", "4", "--clients", "50", "--duration", "500ms", "--only", "submit",
		"--database-url", db, "--check", "--seed-studios", "1", "--bound-rows", "3"}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"POST booking, distinct free slots", "ratio: DaoYue", "bookings/s / durable insert floor", "consistency: 0 bookings overlapping",
		"bound: net/http POST, JSON decoded, 3 rows inserted in one transaction, 4 clients: ", "bookings/s / bound "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %q in:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "×4") || strings.Contains(out.String(), "×5") {
		t.Errorf("a distinct free slot was refused:\n%s", out.String())
	}
	out.Reset()
	err = cmdLoadtest(context.Background(), []string{"--url", base + "," + base, "--concurrency", "6", "--clients", "50", "--duration", "500ms", "--only", "contend",
		"--database-url", db, "--check", "--studios", "1"}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"rounds of 6, 0 rounds without exactly one 201", "×409", "consistency: 0 bookings overlapping"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %q in:\n%s", want, out.String())
		}
	}
}

// With --zoom-sim the seeded practitioners connect Zoom through the
// server's API and the simulator's consent page, every submitted booking
// gets its meeting while the load runs, and the check compares the
// simulator's meetings with the bookings: a meeting deleted in Zoom behind
// DaoYue's back fails it.
func TestLoadtestWithZoom(t *testing.T) {
	sim := zoomsimtest.NewServer(t, zoomsim.Options{Users: zoomsim.NumberedUsers(8), DailyLimit: 100000})
	dir := t.TempDir()
	base, _, stop := start(t, dir, "DAOYUE_TRUSTED_PROXIES=127.0.0.1", "DAOYUE_LOADTEST_LIMITS=on",
		"DAOYUE_ZOOM_CLIENT_ID="+sim.ClientID(), "DAOYUE_ZOOM_CLIENT_SECRET="+sim.ClientSecret(), "DAOYUE_ZOOM_WEBHOOK_SECRET="+sim.WebhookSecret(),
		"DAOYUE_ZOOM_OAUTH_URL="+sim.URL(), "DAOYUE_ZOOM_API_URL="+sim.APIURL())
	defer stop()
	db := filepath.Join(dir, "daoyue.db")
	var out bytes.Buffer
	err := cmdLoadtest(context.Background(), []string{"--url", base, "--concurrency", "4", "--clients", "50", "--duration", "500ms", "--only", "submit",
		"--database-url", db, "--check", "--seed-studios", "1", "--zoom-sim", sim.URL()}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	m := regexp.MustCompile(`meetings: (\d+) confirmed online bookings to come of 8 practitioners connected to Zoom, (\d+) with their meeting in the simulator; 0 without, 0 at the wrong time or host, 0 kept by other bookings, 0 meetings held by no booking and named on none, 0 by several; 0 extra meetings named`).
		FindStringSubmatch(out.String())
	for _, want := range []string{"connected 8 practitioners to the Zoom simulator's accounts", "meetings: every sync worked"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %q in:\n%s", want, out.String())
		}
	}
	if m == nil || m[1] == "0" || m[1] != m[2] || m[1] != strconv.Itoa(sim.MeetingCount()) {
		t.Fatalf("want every booking's meeting, and %d in the simulator:\n%s", sim.MeetingCount(), out.String())
	}
	// A create whose answer is lost leaves a meeting in Zoom that no
	// booking holds: DaoYue names it on the booking, and the check counts
	// it apart rather than as a meeting created twice unnoticed.
	sim.LoseAnswerNext(1)
	out.Reset()
	err = cmdLoadtest(context.Background(), []string{"--url", base, "--concurrency", "3", "--clients", "50", "--duration", "200ms", "--only", "contend",
		"--database-url", db, "--check", "--studios", "1", "--zoom-sim", sim.URL()}, &out)
	if err != nil || !strings.Contains(out.String(), "; 0 without, 0 at the wrong time or host, 0 kept by other bookings, 0 meetings held by no booking and named on none, 0 by several; 1 extra meetings named on their booking") {
		t.Fatalf("a lost create's answer (%v):\n%s", err, out.String())
	}
	for _, u := range zoomsim.NumberedUsers(8) {
		if ms := sim.Meetings(u.ID); len(ms) > 0 {
			sim.DeleteMeetingAsHost(ms[0].ID)
			break
		}
	}
	out.Reset()
	err = cmdLoadtest(context.Background(), []string{"--url", base, "--concurrency", "3", "--clients", "50", "--duration", "200ms", "--only", "contend",
		"--database-url", db, "--check", "--studios", "1", "--zoom-sim", sim.URL()}, &out)
	if err == nil || !strings.Contains(out.String(), "; 1 without, 0 at the wrong time") || !strings.Contains(out.String(), "no meeting in Zoom") {
		t.Fatalf("a meeting deleted in Zoom passed the check (%v):\n%s", err, out.String())
	}
}

// The load test only ever sends to this machine: a server or a Zoom
// simulator elsewhere is refused before anything is sent or seeded.
func TestLoadtestRefusesOtherMachines(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "daoyue.db")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--url", "http://daoyue.example:8080"}, "--url: loadtest only targets this machine"},
		{[]string{"--url", "http://127.0.0.1:1,http://10.0.0.5:8080", "--only", "submit"}, "--url: loadtest only targets this machine"},
		{[]string{"--url", "http://127.0.0.1:1", "--database-url", db, "--seed-studios", "1", "--zoom-sim", "http://192.168.1.20:9090"}, "--zoom-sim: loadtest only targets this machine"},
		{[]string{"--url", "http://127.0.0.1:1", "--zoom-sim", "http://127.0.0.1:9090"}, "need --database-url"},
	} {
		var out bytes.Buffer
		err := cmdLoadtest(context.Background(), c.args, &out)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: got %v, want %q", c.args, err, c.want)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("a refused run created the database")
	}
}

// Visitors who give up on their requests midway (here 6 clients, each
// giving up 0.2–4 ms into every request) cost the others nothing but
// time: every request of the patient clients beside them is answered, and
// none with a server error. On PostgreSQL a statement cut off midway once
// left its pooled connection broken, and a patient request then got 503.
func TestLoadtestAbandonedRequests(t *testing.T) {
	dbs := map[string]string{"sqlite": ""}
	if base := os.Getenv(storetest.PostgresEnv); base != "" {
		dbs["postgres"] = freshDatabase(t, base)
	}
	for name, url := range dbs {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			env := []string{"DAOYUE_TRUSTED_PROXIES=127.0.0.1"}
			if url != "" {
				env = append(env, "DAOYUE_DATABASE_URL="+url)
			}
			base, _, stop := start(t, dir, env...)
			defer stop()
			var out bytes.Buffer
			err := cmdLoadtest(context.Background(), []string{"--url", base, "--only", "abandon", "--concurrency", "6", "--clients", "50", "--duration", "1500ms"}, &out)
			if err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			m := regexp.MustCompile(`abandon: (\d+) requests given up by their clients; 0 of the patient clients' answers missing or a server error`).FindStringSubmatch(out.String())
			if m == nil || m[1] == "0" || !strings.Contains(out.String(), "GET /w/{slug}") {
				t.Fatalf("want requests given up and every patient one answered:\n%s", out.String())
			}
		})
	}
}
