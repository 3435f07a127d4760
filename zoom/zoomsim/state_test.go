package zoomsim_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/daoyue/daoyue/zoom/zoomsim"
)

// A simulator with a state file keeps users' authorizations and meetings
// across a restart: the old tokens still work, the meeting still exists,
// and the file is written whole (no temporary file is left behind).
func TestStateSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "zoomsim-state.json")
	e := newEnv(t, zoomsim.Options{StateFile: file})
	tok := e.connect(e.user(0))
	a := e.api(http.MethodPost, "/users/me/meetings", tok.access, map[string]any{
		"topic": "Yoga with 林老師", "type": 2, "start_time": "2026-03-05T10:00:00", "timezone": "Asia/Taipei", "duration": 45})
	if a.status != http.StatusCreated {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	id := int64(a.json(t)["id"].(float64))
	info, err := os.Stat(file)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("state file: %v %v", info, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*.tmp-*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}

	// "Restart": a new simulator on the same file.
	e2 := newEnv(t, zoomsim.Options{StateFile: file, ClientID: e.s.ClientID(), ClientSecret: e.s.ClientSecret()})
	if m, ok := e2.s.Meeting(id); !ok || m.Topic != "Yoga with 林老師" || m.Duration != 45 {
		t.Fatalf("meeting after restart: %+v %v", m, ok)
	}
	if got := e2.api(http.MethodGet, "/users/me", tok.access, nil); got.status != http.StatusOK {
		t.Fatalf("access token after restart: %d %s", got.status, got.body)
	}
	if n := e2.s.LiveRefreshTokens(e.user(0)); n != 1 {
		t.Fatalf("live refresh tokens after restart: %d", n)
	}
	if got := e2.api(http.MethodDelete, "/meetings/"+strconv.FormatInt(id, 10), tok.access, nil); got.status != http.StatusNoContent {
		t.Fatalf("delete after restart: %d %s", got.status, got.body)
	}
	e3 := newEnv(t, zoomsim.Options{StateFile: file})
	if _, ok := e3.s.Meeting(id); ok {
		t.Fatal("a deleted meeting came back after a second restart")
	}

	// A broken file is an error, not an empty simulator.
	os.WriteFile(file, []byte("{"), 0o600)
	if _, err := zoomsim.Open(zoomsim.Options{StateFile: file}); err == nil {
		t.Fatal("a corrupt state file was accepted")
	}
}

// The mount root lists the users and the meetings, and no secret.
func TestIndexPage(t *testing.T) {
	e := newEnv(t, zoomsim.Options{})
	tok := e.connect(e.user(0))
	a := e.api(http.MethodPost, "/users/me/meetings", tok.access, map[string]any{
		"topic": "Piano lesson", "type": 2, "start_time": "2026-03-05T10:00:00", "timezone": "Asia/Taipei", "duration": 30})
	if a.status != http.StatusCreated {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	m := a.json(t)
	page := e.get(e.s.URL() + "/")
	body := string(page.body)
	if page.status != http.StatusOK {
		t.Fatalf("index: %d %s", page.status, body)
	}
	for _, u := range e.s.Users() {
		if !strings.Contains(body, u.Email) || !strings.Contains(body, u.ID) {
			t.Errorf("index lacks user %s", u.Email)
		}
	}
	for _, want := range []string{"Piano lesson", "2026-03-05 10:00", strconv.FormatInt(int64(m["id"].(float64)), 10), "authorized", "one practitioner"} {
		if !strings.Contains(body, want) {
			t.Errorf("index lacks %q", want)
		}
	}
	for _, secret := range []string{tok.access, tok.refresh, e.s.ClientSecret(), m["password"].(string), m["start_url"].(string)} {
		if strings.Contains(body, secret) {
			t.Errorf("index shows a secret %q", secret)
		}
	}
}

// JoinBaseURL gives join URLs a production-like host (docs pictures).
func TestJoinBaseURL(t *testing.T) {
	e := newEnv(t, zoomsim.Options{JoinBaseURL: "https://us06web.zoom.us/"})
	tok := e.connect(e.user(1))
	a := e.api(http.MethodPost, "/users/me/meetings", tok.access, map[string]any{"topic": "x", "type": 2, "start_time": "2026-03-05T10:00:00Z", "duration": 30})
	if a.status != http.StatusCreated {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	m := a.json(t)
	id := strconv.FormatInt(int64(m["id"].(float64)), 10)
	if got := m["join_url"].(string); !strings.HasPrefix(got, "https://us06web.zoom.us/j/"+id+"?pwd=") {
		t.Fatalf("join_url %q", got)
	}
}
