package zoomsim_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue/zoom/zoomsim"
)

func TestUsersMe(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	u := e.s.Users()[0]
	tk := e.connect(u.ID)
	a := e.api("GET", "/users/me", tk.access, nil)
	m := a.json(t)
	if a.status != 200 || m["id"] != u.ID || m["account_id"] != u.AccountID || m["email"] != u.Email ||
		m["first_name"] != "Mei-Ling" || m["last_name"] != "Lin" || m["display_name"] != "Mei-Ling Lin" || m["timezone"] != "Asia/Taipei" {
		t.Fatalf("users/me: %d %s", a.status, a.body)
	}
	if a := e.api("GET", "/users/"+u.ID, tk.access, nil); a.status != 200 {
		t.Fatalf("users/{own id}: %d", a.status)
	}
	wantAPIError(t, e.api("GET", "/users/someone-else", tk.access, nil), 404, 1001, "User does not exist: someone-else.")
}

func TestUnknownAPIPath(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	tk := e.connect(e.user(0))
	wantAPIError(t, e.api("GET", "/users/me/recordings", tk.access, nil), 404, 404, "")
	if a := e.api("PUT", "/meetings/1", tk.access, "{}"); a.status != http.StatusMethodNotAllowed && a.status != 404 {
		t.Fatalf("PUT: %d", a.status)
	}
}

func createBody() map[string]any {
	return map[string]any{
		"topic": "線上一對一瑜珈", "type": 2, "start_time": "2026-03-10T06:00:00Z", "duration": 60,
		"timezone": "Asia/Taipei", "password": "Ab3dE6gH9k", "agenda": "Bring a mat",
		"settings": map[string]any{"waiting_room": true, "join_before_host": true},
	}
}

var joinURL = regexp.MustCompile(`^(http://[^/]+)/j/(\d{11})\?pwd=[A-Za-z0-9_\-]+$`)

func TestCreateMeeting(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	u := e.user(0)
	tk := e.connect(u)
	a := e.api("POST", "/users/me/meetings", tk.access, createBody())
	if a.status != http.StatusCreated {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	m := a.json(t)
	id := int64(m["id"].(float64))
	if id < 1e10 || id >= 1e11 {
		t.Errorf("id %d is not 11 digits", id)
	}
	mm := joinURL.FindStringSubmatch(m["join_url"].(string))
	if mm == nil || mm[1] != e.s.URL() || mm[2] != strconv.FormatInt(id, 10) {
		t.Errorf("join_url %q", m["join_url"])
	}
	if !strings.HasPrefix(m["start_url"].(string), e.s.URL()+"/s/") || !strings.Contains(m["start_url"].(string), "zak=") {
		t.Errorf("start_url %q", m["start_url"])
	}
	if m["start_time"] != "2026-03-10T06:00:00Z" || m["duration"] != float64(60) || m["timezone"] != "Asia/Taipei" ||
		m["password"] != "Ab3dE6gH9k" || m["status"] != "waiting" || m["type"] != float64(2) || m["host_id"] != u ||
		m["uuid"] == "" || m["topic"] != "線上一對一瑜珈" {
		t.Errorf("meeting %s", a.body)
	}
	st := m["settings"].(map[string]any)
	if st["waiting_room"] != true || st["join_before_host"] != false {
		t.Errorf("waiting room must switch join_before_host off: %v", st)
	}
	got, ok := e.s.Meeting(id)
	if !ok || !got.Start.Equal(time.Date(2026, 3, 10, 6, 0, 0, 0, time.UTC)) || got.Passcode != "Ab3dE6gH9k" || got.JoinURL != m["join_url"] || got.HostID != u {
		t.Errorf("Meeting(%d) = %+v", id, got)
	}
	if ms := e.s.Meetings(u); len(ms) != 1 || ms[0].ID != id {
		t.Errorf("Meetings = %+v", ms)
	}
	if e.s.Calls("POST", "/v2/users/me/meetings") != 1 {
		t.Errorf("Calls = %d", e.s.Calls("POST", "/v2/users/me/meetings"))
	}
	// The join URL opens a join page.
	if a := e.get(m["join_url"].(string)); a.status != 200 || !strings.Contains(string(a.body), "線上一對一瑜珈") {
		t.Errorf("join page: %d", a.status)
	}
	if a := e.get(e.s.URL() + "/j/" + strconv.FormatInt(id, 10) + "?pwd=wrong"); a.status != http.StatusForbidden {
		t.Errorf("join page with a wrong pwd: %d", a.status)
	}
}

func TestCreateMeetingTimeZones(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	tk := e.connect(e.user(0))
	create := func(start, tz string) zoomsim.Meeting {
		t.Helper()
		b := createBody()
		b["start_time"] = start
		if tz == "" {
			delete(b, "timezone")
		} else {
			b["timezone"] = tz
		}
		a := e.api("POST", "/users/me/meetings", tk.access, b)
		if a.status != 201 {
			t.Fatalf("create %s %s: %d %s", start, tz, a.status, a.body)
		}
		m, _ := e.s.Meeting(int64(a.json(t)["id"].(float64)))
		return m
	}
	// Z: UTC, the time zone only for display.
	if m := create("2026-03-10T06:00:00Z", "America/New_York"); !m.Start.Equal(time.Date(2026, 3, 10, 6, 0, 0, 0, time.UTC)) || m.TimeZone != "America/New_York" {
		t.Errorf("Z start: %v %s", m.Start, m.TimeZone)
	}
	// No Z: wall-clock time in the given zone (14:00 Taipei = 06:00 UTC).
	if m := create("2026-03-10T14:00:00", "Asia/Taipei"); !m.Start.Equal(time.Date(2026, 3, 10, 6, 0, 0, 0, time.UTC)) {
		t.Errorf("local start: %v", m.Start)
	}
	// No Z and no zone: the user's zone (Asia/Taipei).
	if m := create("2026-03-10T14:00:00", ""); !m.Start.Equal(time.Date(2026, 3, 10, 6, 0, 0, 0, time.UTC)) || m.TimeZone != "Asia/Taipei" {
		t.Errorf("local start, user zone: %v %s", m.Start, m.TimeZone)
	}
}

func TestCreateWithoutPasscodeGetsOne(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	tk := e.connect(e.user(0))
	b := createBody()
	delete(b, "password")
	delete(b, "settings")
	a := e.api("POST", "/users/me/meetings", tk.access, b)
	m := a.json(t)
	if p, _ := m["password"].(string); len(p) == 0 || len(p) > 10 {
		t.Errorf("generated passcode %q", p)
	}
	if st := m["settings"].(map[string]any); st["waiting_room"] != false || st["join_before_host"] != false {
		t.Errorf("default settings %v", st)
	}
}

func TestCreateValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	tk := e.connect(e.user(0))
	wantAPIError(t, e.api("POST", "/users/me/meetings", tk.access, "{not json"), 400, 300, "Request Body should be a valid JSON object.")
	wantAPIError(t, e.api("POST", "/users/me/meetings", tk.access, "[1,2]"), 400, 300, "Request Body should be a valid JSON object.")
	for field, v := range map[string]any{
		"password":   "elevenchars",
		"type":       5,
		"duration":   "sixty",
		"start_time": "2026-03-10T14:00:00+08:00",
		"timezone":   "Mars/Olympus",
		"agenda":     strings.Repeat("議", 2001),
		"topic":      strings.Repeat("t", 201),
	} {
		b := createBody()
		b[field] = v
		a := e.api("POST", "/users/me/meetings", tk.access, b)
		wantAPIError(t, a, 400, 300, "Validation Failed.")
		errs := a.json(t)["errors"].([]any)
		if errs[0].(map[string]any)["field"] != field {
			t.Errorf("%s: errors %v", field, errs)
		}
	}
	b := createBody()
	b["password"] = "bad pass!"
	wantAPIError(t, e.api("POST", "/users/me/meetings", tk.access, b), 400, 300, "Validation Failed.")
	b["password"] = "a@b-c_d*9"
	if a := e.api("POST", "/users/me/meetings", tk.access, b); a.status != 201 {
		t.Errorf("passcode with @-_*: %d %s", a.status, a.body)
	}
	if len(e.s.Meetings(e.user(0))) != 1 {
		t.Errorf("invalid requests created meetings")
	}
}

func TestUpdateMeeting(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	u := e.user(0)
	tk := e.connect(u)
	id := strconv.FormatInt(int64(e.api("POST", "/users/me/meetings", tk.access, createBody()).json(t)["id"].(float64)), 10)
	before, _ := e.s.Meeting(mustID(id))
	a := e.api("PATCH", "/meetings/"+id, tk.access, map[string]any{"start_time": "2026-03-11T07:30:00Z", "duration": 90, "timezone": "Asia/Taipei"})
	if a.status != http.StatusNoContent || len(a.body) != 0 || a.header.Get("Content-Type") != "" {
		t.Fatalf("patch: %d %q %q", a.status, a.body, a.header.Get("Content-Type"))
	}
	after, _ := e.s.Meeting(mustID(id))
	if !after.Start.Equal(time.Date(2026, 3, 11, 7, 30, 0, 0, time.UTC)) || after.Duration != 90 || after.Updates != 1 ||
		after.JoinURL != before.JoinURL || after.Passcode != before.Passcode || after.Topic != before.Topic {
		t.Fatalf("after patch %+v", after)
	}
	// Wall-clock start in the meeting's zone.
	e.api("PATCH", "/meetings/"+id, tk.access, map[string]any{"start_time": "2026-03-12T09:00:00"})
	if m, _ := e.s.Meeting(mustID(id)); !m.Start.Equal(time.Date(2026, 3, 12, 1, 0, 0, 0, time.UTC)) {
		t.Errorf("local patch start %v", m.Start)
	}
	wantAPIError(t, e.api("PATCH", "/meetings/"+id, tk.access, map[string]any{"duration": -5}), 400, 300, "Validation Failed.")
	wantAPIError(t, e.api("PATCH", "/meetings/"+id, tk.access, "nope"), 400, 300, "Request Body should be a valid JSON object.")
	wantAPIError(t, e.api("PATCH", "/meetings/12345678901", tk.access, map[string]any{"duration": 30}), 404, 3001, "Meeting does not exist: 12345678901.")
	// Someone else's meeting.
	other := e.connect(e.user(1))
	wantAPIError(t, e.api("PATCH", "/meetings/"+id, other.access, map[string]any{"duration": 30}), 400, 3003, "You are not the meeting host.")
}

func mustID(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

func TestDeleteMeeting(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	u := e.user(0)
	tk := e.connect(u)
	create := func() string {
		return strconv.FormatInt(int64(e.api("POST", "/users/me/meetings", tk.access, createBody()).json(t)["id"].(float64)), 10)
	}
	id := create()
	a := e.api("DELETE", "/meetings/"+id, tk.access, nil)
	if a.status != http.StatusNoContent || len(a.body) != 0 {
		t.Fatalf("delete: %d %q", a.status, a.body)
	}
	if _, ok := e.s.Meeting(mustID(id)); ok {
		t.Fatal("deleted meeting still live")
	}
	wantAPIError(t, e.api("DELETE", "/meetings/"+id, tk.access, nil), 404, 3001, "Meeting does not exist: "+id+".")
	wantAPIError(t, e.api("PATCH", "/meetings/"+id, tk.access, map[string]any{"duration": 30}), 404, 3001, "")
	wantAPIError(t, e.api("DELETE", "/meetings/not-a-number", tk.access, nil), 404, 3001, "")

	id = create()
	e.s.DeleteMeetingAsHost(mustID(id))
	wantAPIError(t, e.api("DELETE", "/meetings/"+id, tk.access, nil), 404, 3001, "")

	id = create()
	e.s.StartMeeting(mustID(id))
	wantAPIError(t, e.api("DELETE", "/meetings/"+id, tk.access, nil), 400, 3002, "Sorry, you cannot delete this meeting since it is in progress.")
	e.s.EndMeeting(mustID(id))
	wantAPIError(t, e.api("DELETE", "/meetings/"+id, tk.access, nil), 400, 3007, "Sorry, you cannot delete this meeting since it has ended.")
	if e.s.Calls("DELETE", "/v2/meetings/{id}") != 6 {
		t.Errorf("DELETE calls %d", e.s.Calls("DELETE", "/v2/meetings/{id}"))
	}
}

func TestScopes(t *testing.T) {
	t.Parallel()
	// DaoYue's four scopes do not allow reading a meeting (§2 pitfall).
	e := newEnv(t, zoomsim.Options{})
	tk := e.connect(e.user(0))
	id := strconv.FormatInt(int64(e.api("POST", "/users/me/meetings", tk.access, createBody()).json(t)["id"].(float64)), 10)
	wantAPIError(t, e.api("GET", "/meetings/"+id, tk.access, nil), 400, 4711, "Invalid access token, does not contain scopes:[meeting:read:meeting].")

	// An app configured without the delete scope cannot delete.
	e = newEnv(t, zoomsim.Options{Scopes: []string{"meeting:write:meeting", "meeting:update:meeting", "user:read:user"}})
	tk = e.connect(e.user(0))
	id = strconv.FormatInt(int64(e.api("POST", "/users/me/meetings", tk.access, createBody()).json(t)["id"].(float64)), 10)
	wantAPIError(t, e.api("DELETE", "/meetings/"+id, tk.access, nil), 400, 4711, "Invalid access token, does not contain scopes:[meeting:delete:meeting].")
	if _, ok := e.s.Meeting(mustID(id)); !ok {
		t.Fatal("meeting deleted without the scope")
	}

	// A read scope lets GET through.
	e = newEnv(t, zoomsim.Options{Scopes: append(zoomsim.DefaultScopes[:4:4], "meeting:read:meeting")})
	tk = e.connect(e.user(0))
	id = strconv.FormatInt(int64(e.api("POST", "/users/me/meetings", tk.access, createBody()).json(t)["id"].(float64)), 10)
	if a := e.api("GET", "/meetings/"+id, tk.access, nil); a.status != 200 || a.json(t)["id"] != float64(mustID(id)) {
		t.Fatalf("GET with read scope: %d %s", a.status, a.body)
	}
}

func TestDailyCreateUpdateCap(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	u := e.user(0)
	tk := e.connect(u)
	var last string
	for i := 0; i < 99; i++ {
		a := e.api("POST", "/users/me/meetings", tk.access, createBody())
		if a.status != 201 {
			t.Fatalf("create %d: %d %s", i+1, a.status, a.body)
		}
		last = strconv.FormatInt(int64(a.json(t)["id"].(float64)), 10)
	}
	if a := e.api("PATCH", "/meetings/"+last, tk.access, map[string]any{"duration": 30}); a.status != 204 {
		t.Fatalf("100th call (update): %d", a.status)
	}
	if e.s.DailyCount(u) != 100 {
		t.Fatalf("DailyCount %d", e.s.DailyCount(u))
	}
	for _, a := range []answer{
		e.api("POST", "/users/me/meetings", tk.access, createBody()),
		e.api("PATCH", "/meetings/"+last, tk.access, map[string]any{"duration": 45}),
	} {
		wantAPIError(t, a, 429, 429, "You have exceeded the daily rate limit (100) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00.")
		if a.header.Get("Retry-After") != "2026-03-03T00:00:00Z" || a.header.Get("X-RateLimit-Type") != "Daily-limit" {
			t.Errorf("429 headers %v", a.header)
		}
	}
	// Delete is not capped; the other user is not affected.
	if a := e.api("DELETE", "/meetings/"+last, tk.access, nil); a.status != 204 {
		t.Errorf("delete at the cap: %d", a.status)
	}
	other := e.connect(e.user(1))
	if a := e.api("POST", "/users/me/meetings", other.access, createBody()); a.status != 201 {
		t.Errorf("other user at the cap: %d", a.status)
	}
	// The cap resets at 00:00 UTC.
	e.clock.Set(time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC))
	tk = e.connect(u)
	if a := e.api("POST", "/users/me/meetings", tk.access, createBody()); a.status != 201 {
		t.Errorf("next UTC day: %d", a.status)
	}
}

func TestInjectedFaults(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{})
	tk := e.connect(e.user(0))

	e.s.FailNext(2, 503)
	for i := 0; i < 2; i++ {
		a := e.api("GET", "/users/me", tk.access, nil)
		if a.status != 503 || !strings.HasPrefix(a.header.Get("Content-Type"), "text/html") || !strings.Contains(string(a.body), "<html>") {
			t.Fatalf("FailNext 503: %d %q", a.status, a.header.Get("Content-Type"))
		}
	}
	if a := e.api("GET", "/users/me", tk.access, nil); a.status != 200 {
		t.Fatalf("after the faults: %d", a.status)
	}
	e.s.FailNext(1, 500)
	wantAPIError(t, e.api("GET", "/users/me", tk.access, nil), 500, 500, "Internal Server Error")

	e.s.RateLimitNext(1, 1500*time.Millisecond)
	a := e.api("POST", "/users/me/meetings", tk.access, createBody())
	wantAPIError(t, a, 429, 429, "You have reached the maximum per-second rate limit for this API. Try again later.")
	if a.header.Get("Retry-After") != "2" || a.header.Get("X-RateLimit-Reset") != strconv.FormatInt(t0.Add(1500*time.Millisecond).Unix(), 10) {
		t.Errorf("429 headers %v", a.header)
	}
	if len(e.s.Meetings(e.user(0))) != 0 {
		t.Error("a rate-limited create made a meeting")
	}

	// OAuth faults are separate from API faults.
	e.s.FailNextOAuth(1, 502)
	if a := e.tokenCall(nil); a.status != 502 {
		t.Errorf("FailNextOAuth: %d", a.status)
	}

	e.s.SetDown(true)
	req, _ := http.NewRequest("GET", e.s.URL()+"/v2/users/me", nil)
	req.Header.Set("Authorization", "Bearer "+tk.access)
	if resp, err := e.hc.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("down: got %d, want a connection error", resp.StatusCode)
	}
	e.s.SetDown(false)
	if a := e.api("GET", "/users/me", tk.access, nil); a.status != 200 {
		t.Fatalf("back up: %d", a.status)
	}

	e.s.SetLatency(300 * time.Millisecond)
	short := &http.Client{Timeout: 50 * time.Millisecond}
	if resp, err := short.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("latency did not delay the answer")
	}
	e.s.SetLatency(0)
}
