package zoomsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Scopes that satisfy each endpoint: the granular user and admin scopes and
// their classic equivalents (§2).
var (
	scopesUser   = []string{"user:read:user", "user:read:user:admin", "user:read", "user:write", "user:read:admin", "user:write:admin", "user_profile", "user_info:read"}
	scopesCreate = []string{"meeting:write:meeting", "meeting:write:meeting:admin", "meeting:write", "meeting:write:admin"}
	scopesUpdate = []string{"meeting:update:meeting", "meeting:update:meeting:admin", "meeting:write", "meeting:write:admin"}
	scopesDelete = []string{"meeting:delete:meeting", "meeting:delete:meeting:admin", "meeting:write", "meeting:write:admin"}
	scopesRead   = []string{"meeting:read:meeting", "meeting:read:meeting:admin", "meeting:read", "meeting:read:admin", "meeting:write", "meeting:write:admin"}
)

// authenticate checks the bearer token (§1.5) and the scope; it writes the
// error answer and returns false when the call may not proceed.
func (s *Sim) authenticate(w http.ResponseWriter, r *http.Request, scopes []string) (User, bool) {
	if r.URL.Query().Get("access_token") != "" {
		writeAPIError(w, http.StatusUnauthorized, 124, "Invalid access token, this access token is not supported as query parameter string.")
		return User{}, false
	}
	h := r.Header.Get("Authorization")
	scheme, tok, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "bearer") || tok == "" {
		writeAPIError(w, http.StatusUnauthorized, 124, "Invalid access token.")
		return User{}, false
	}
	s.mu.Lock()
	t, ok := s.access[strings.TrimSpace(tok)]
	var expired, revoked bool
	var granted []string
	var userID string
	if ok {
		expired = !s.now().Before(t.expires)
		revoked = t.g.revoked
		granted = t.g.scopes
		userID = t.g.userID
	}
	s.mu.Unlock()
	switch {
	case !ok || revoked:
		writeAPIError(w, http.StatusUnauthorized, 124, "Invalid access token.")
		return User{}, false
	case expired:
		writeAPIError(w, http.StatusUnauthorized, 124, "Access token is expired.")
		return User{}, false
	}
	has := false
	for _, g := range granted {
		for _, need := range scopes {
			if g == need {
				has = true
			}
		}
	}
	if !has {
		writeAPIError(w, http.StatusBadRequest, 4711, "Invalid access token, does not contain scopes:["+scopes[0]+"].")
		return User{}, false
	}
	u, _ := s.User(userID)
	return u, true
}

// pathUser resolves {userId}: "me", the user's id or email.
func pathUser(r *http.Request, u User) bool {
	id := r.PathValue("userId")
	return id == "" || id == "me" || id == u.ID || strings.EqualFold(id, u.Email)
}

// getUser is GET /v2/users/me (§3).
func (s *Sim) getUser(w http.ResponseWriter, r *http.Request) {
	u, ok := s.authenticate(w, r, scopesUser)
	if !ok {
		return
	}
	if !pathUser(r, u) {
		writeAPIError(w, http.StatusNotFound, 1001, "User does not exist: "+r.PathValue("userId")+".")
		return
	}
	now := s.now().UTC()
	writeJSON(w, http.StatusOK, map[string]any{
		"id": u.ID, "first_name": u.FirstName, "last_name": u.LastName, "display_name": u.DisplayName(),
		"email": u.Email, "type": u.Type, "role_name": "Owner", "pmi": pmiOf(u.ID), "use_pmi": false,
		"personal_meeting_url": s.baseFor(r) + "/j/" + strconv.FormatInt(pmiOf(u.ID), 10),
		"timezone":             u.Timezone, "verified": 1, "dept": "", "created_at": "2023-03-01T02:00:00Z",
		"user_created_at": "2023-03-01T02:00:00Z", "last_login_time": now.Format(zoomTime),
		"last_client_version": "6.3.0.52884(mac)", "pic_url": "", "language": "en-US", "phone_number": "",
		"status": "active", "role_id": "0", "account_id": u.AccountID, "account_number": 10000000 + len(u.AccountID),
		"cluster": "us05", "login_types": []int{100}, "zoom_one_type": 16,
	})
}

func pmiOf(id string) int64 {
	var h int64 = 7
	for _, c := range id {
		h = (h*31 + int64(c)) % 9_000_000_000
	}
	return 1_000_000_000 + h
}

const zoomTime = "2006-01-02T15:04:05Z"

// countDaily applies the per-user create/update cap (§5.4); false means the
// 429 was written.
func (s *Sim) countDaily(w http.ResponseWriter, u User) bool {
	s.mu.Lock()
	now := s.now()
	k := dailyKey(u.ID, now)
	over := s.daily[k] >= s.opts.DailyLimit
	if !over {
		s.daily[k]++
	}
	s.mu.Unlock()
	if !over {
		return true
	}
	d := now.UTC()
	reset := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, time.UTC)
	h := w.Header()
	h.Set("Retry-After", reset.Format(time.RFC3339)) // ISO-8601 for the daily limit (§5.4)
	h.Set("X-RateLimit-Category", "Medium")
	h.Set("X-RateLimit-Type", "Daily-limit")
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.opts.DailyLimit))
	h.Set("X-RateLimit-Remaining", "0")
	writeAPIError(w, http.StatusTooManyRequests, 429, fmt.Sprintf(
		"You have exceeded the daily rate limit (%d) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00.", s.opts.DailyLimit))
	return false
}

// readObject reads a JSON object body; false means the 400 was written.
func readObject(w http.ResponseWriter, r *http.Request) (map[string]json.RawMessage, bool) {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var m map[string]json.RawMessage
	if err != nil || json.Unmarshal(b, &m) != nil || m == nil {
		writeAPIError(w, http.StatusBadRequest, 300, "Request Body should be a valid JSON object.")
		return nil, false
	}
	return m, true
}

// meetingInput is a validated create or update body; nil fields were absent.
type meetingInput struct {
	topic, agenda, timezone, password, startRaw *string
	typ, duration                               *int
	waitingRoom, joinBeforeHost, defaultPwd     *bool
}

var passcodeRE = regexp.MustCompile(`^[A-Za-z0-9@_*\-]{1,10}$`)

// parseMeeting checks field types and limits (§4.1); it returns the names
// of invalid fields.
func parseMeeting(m map[string]json.RawMessage) (meetingInput, []string) {
	var in meetingInput
	var bad []string
	str := func(name string, max int) *string {
		raw, ok := m[name]
		if !ok || string(raw) == "null" {
			return nil
		}
		var v string
		if json.Unmarshal(raw, &v) != nil || utf8.RuneCountInString(v) > max {
			bad = append(bad, name)
			return nil
		}
		return &v
	}
	integer := func(raw json.RawMessage, name string) *int {
		var n json.Number
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if dec.Decode(&n) != nil {
			bad = append(bad, name)
			return nil
		}
		v, err := strconv.Atoi(string(n))
		if err != nil {
			bad = append(bad, name)
			return nil
		}
		return &v
	}
	boolean := func(raw json.RawMessage, name string) *bool {
		var v bool
		if json.Unmarshal(raw, &v) != nil {
			bad = append(bad, name)
			return nil
		}
		return &v
	}
	in.topic = str("topic", 200)
	in.agenda = str("agenda", 2000)
	in.timezone = str("timezone", 100)
	in.password = str("password", 10)
	in.startRaw = str("start_time", 40)
	if raw, ok := m["type"]; ok {
		in.typ = integer(raw, "type")
		if in.typ != nil && *in.typ != 1 && *in.typ != 2 && *in.typ != 3 && *in.typ != 8 {
			bad = append(bad, "type")
		}
	}
	if raw, ok := m["duration"]; ok {
		in.duration = integer(raw, "duration")
		if in.duration != nil && (*in.duration < 0 || *in.duration > 24*60*30) {
			bad = append(bad, "duration")
		}
	}
	if raw, ok := m["default_password"]; ok {
		in.defaultPwd = boolean(raw, "default_password")
	}
	if in.password != nil && *in.password != "" && !passcodeRE.MatchString(*in.password) {
		bad = append(bad, "password")
	}
	if in.timezone != nil && *in.timezone != "" {
		if _, err := time.LoadLocation(*in.timezone); err != nil || *in.timezone == "Local" {
			bad = append(bad, "timezone")
		}
	}
	if raw, ok := m["settings"]; ok && string(raw) != "null" {
		var st map[string]json.RawMessage
		if json.Unmarshal(raw, &st) != nil {
			bad = append(bad, "settings")
		} else {
			if v, ok := st["waiting_room"]; ok {
				in.waitingRoom = boolean(v, "settings.waiting_room")
			}
			if v, ok := st["join_before_host"]; ok {
				in.joinBeforeHost = boolean(v, "settings.join_before_host")
			}
		}
	}
	return in, bad
}

// parseStart reads start_time (§4.1): "yyyy-MM-ddTHH:mm:ssZ" is UTC (the
// time zone then only affects display); without Z it is wall-clock time in
// loc. Offsets like +08:00 are not a documented format and are refused.
func parseStart(raw string, loc *time.Location) (time.Time, bool) {
	if strings.HasSuffix(raw, "Z") {
		for _, layout := range []string{zoomTime, "2006-01-02T15:04:05.999Z"} {
			if t, err := time.Parse(layout, raw); err == nil {
				return t.UTC().Truncate(time.Second), true
			}
		}
		return time.Time{}, false
	}
	t, err := time.ParseInLocation("2006-01-02T15:04:05", raw, loc)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}

func loadLoc(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.UTC
}

// createMeeting is POST /v2/users/me/meetings (§4): 201 with the meeting.
func (s *Sim) createMeeting(w http.ResponseWriter, r *http.Request) {
	u, ok := s.authenticate(w, r, scopesCreate)
	if !ok {
		return
	}
	if !pathUser(r, u) {
		writeAPIError(w, http.StatusNotFound, 1001, "User "+r.PathValue("userId")+" not exist or not belong to this account.")
		return
	}
	if !s.countDaily(w, u) {
		return
	}
	body, ok := readObject(w, r)
	if !ok {
		return
	}
	in, bad := parseMeeting(body)
	now := s.now().UTC()
	m := &Meeting{HostID: u.ID, Type: 2, Status: "waiting", Duration: 60, TimeZone: u.Timezone, Topic: "Zoom meeting", CreatedAt: now.Truncate(time.Second)}
	if in.typ != nil {
		m.Type = *in.typ
	}
	if in.topic != nil {
		m.Topic = *in.topic
	}
	if in.agenda != nil {
		m.Agenda = *in.agenda
	}
	if in.timezone != nil && *in.timezone != "" {
		m.TimeZone = *in.timezone
	}
	if in.duration != nil {
		m.Duration = *in.duration
	}
	m.Start = now.Truncate(time.Second)
	if in.startRaw != nil && m.Type != 1 {
		t, ok := parseStart(*in.startRaw, loadLoc(m.TimeZone))
		if !ok {
			bad = append(bad, "start_time")
		}
		m.Start = t
	}
	if len(bad) > 0 {
		writeValidation(w, bad...)
		return
	}
	if in.password != nil && *in.password != "" {
		m.Passcode = *in.password
	} else {
		// The simulated account requires a passcode for scheduled meetings,
		// so Zoom generates one (§4.1).
		m.Passcode = randomPasscode()
	}
	m.WaitingRoom = in.waitingRoom != nil && *in.waitingRoom
	m.JoinBeforeHost = in.joinBeforeHost != nil && *in.joinBeforeHost && !m.WaitingRoom
	m.UUID = randomUUID()
	m.encPwd = randomID(24)
	m.startZK = jwtLike("zak", u.ID, now.Add(2*time.Hour).Unix())
	base := s.baseFor(r)
	s.mu.Lock()
	for {
		m.ID = 10_000_000_000 + rand.Int64N(89_999_999_999) // 11 digits
		if _, taken := s.meetings[m.ID]; !taken {
			break
		}
	}
	joinBase := base
	if s.opts.JoinBaseURL != "" {
		joinBase = strings.TrimRight(s.opts.JoinBaseURL, "/")
	}
	m.JoinURL = joinBase + "/j/" + strconv.FormatInt(m.ID, 10) + "?pwd=" + m.encPwd
	s.meetings[m.ID] = m
	out := s.meetingJSON(m, u, base)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, out)
}

// lookup finds the meeting of {id} for u; it writes 404 3001 or 400 3003.
func (s *Sim) lookup(w http.ResponseWriter, r *http.Request, u User) (*Meeting, bool) {
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	s.mu.Lock()
	m, ok := s.meetings[id]
	s.mu.Unlock()
	if err != nil || !ok || m.deleted {
		writeAPIError(w, http.StatusNotFound, 3001, "Meeting does not exist: "+raw+".")
		return nil, false
	}
	if m.HostID != u.ID {
		writeAPIError(w, http.StatusBadRequest, 3003, "You are not the meeting host.")
		return nil, false
	}
	return m, true
}

// getMeeting is GET /v2/meetings/{id} (§5.1); it needs a read scope DaoYue
// does not have, so DaoYue gets 4711 here.
func (s *Sim) getMeeting(w http.ResponseWriter, r *http.Request) {
	u, ok := s.authenticate(w, r, scopesRead)
	if !ok {
		return
	}
	m, ok := s.lookup(w, r, u)
	if !ok {
		return
	}
	base := s.baseFor(r)
	s.mu.Lock()
	out := s.meetingJSON(m, u, base)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// updateMeeting is PATCH /v2/meetings/{id} (§5.2): 204, no body.
func (s *Sim) updateMeeting(w http.ResponseWriter, r *http.Request) {
	u, ok := s.authenticate(w, r, scopesUpdate)
	if !ok {
		return
	}
	if !s.countDaily(w, u) {
		return
	}
	m, ok := s.lookup(w, r, u)
	if !ok {
		return
	}
	body, ok := readObject(w, r)
	if !ok {
		return
	}
	in, bad := parseMeeting(body)
	s.mu.Lock()
	defer s.mu.Unlock()
	if m.deleted {
		writeAPIError(w, http.StatusNotFound, 3001, "Meeting does not exist: "+r.PathValue("id")+".")
		return
	}
	tz := m.TimeZone
	if in.timezone != nil && *in.timezone != "" {
		tz = *in.timezone
	}
	start := m.Start
	if in.startRaw != nil {
		t, ok := parseStart(*in.startRaw, loadLoc(tz))
		if !ok {
			bad = append(bad, "start_time")
		}
		start = t
	}
	if len(bad) > 0 {
		writeValidation(w, bad...)
		return
	}
	m.Start, m.TimeZone = start, tz
	if in.duration != nil {
		m.Duration = *in.duration
	}
	if in.topic != nil {
		m.Topic = *in.topic
	}
	if in.agenda != nil {
		m.Agenda = *in.agenda
	}
	if in.typ != nil {
		m.Type = *in.typ
	}
	if in.password != nil && *in.password != "" && *in.password != m.Passcode {
		// A new passcode changes the join URL's pwd (an assumption, §5.2).
		m.Passcode = *in.password
		m.encPwd = randomID(24)
		m.JoinURL = m.JoinURL[:strings.Index(m.JoinURL, "?pwd=")] + "?pwd=" + m.encPwd
	}
	if in.waitingRoom != nil {
		m.WaitingRoom = *in.waitingRoom
	}
	if in.joinBeforeHost != nil {
		m.JoinBeforeHost = *in.joinBeforeHost
	}
	if m.WaitingRoom {
		m.JoinBeforeHost = false
	}
	m.Updates++
	w.WriteHeader(http.StatusNoContent)
}

// deleteMeeting is DELETE /v2/meetings/{id} (§5.3): 204, no body; 404 3001
// when already gone; 3002 in progress; 3007 ended.
func (s *Sim) deleteMeeting(w http.ResponseWriter, r *http.Request) {
	u, ok := s.authenticate(w, r, scopesDelete)
	if !ok {
		return
	}
	m, ok := s.lookup(w, r, u)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case m.deleted:
		writeAPIError(w, http.StatusNotFound, 3001, "Meeting does not exist: "+r.PathValue("id")+".")
	case m.Status == "started":
		writeAPIError(w, http.StatusBadRequest, 3002, "Sorry, you cannot delete this meeting since it is in progress.")
	case m.Status == "ended":
		writeAPIError(w, http.StatusBadRequest, 3007, "Sorry, you cannot delete this meeting since it has ended.")
	default:
		m.deleted = true
		w.WriteHeader(http.StatusNoContent)
	}
}

// meetingJSON is the meeting object of §4.2; s.mu is held.
func (s *Sim) meetingJSON(m *Meeting, host User, base string) any {
	idStr := strconv.FormatInt(m.ID, 10)
	numeric := fmt.Sprintf("%06d", pmiOf(m.Passcode+idStr)%1_000_000)
	type settings struct {
		HostVideo        bool   `json:"host_video"`
		ParticipantVideo bool   `json:"participant_video"`
		JoinBeforeHost   bool   `json:"join_before_host"`
		JBHTime          int    `json:"jbh_time"`
		MuteUponEntry    bool   `json:"mute_upon_entry"`
		UsePMI           bool   `json:"use_pmi"`
		ApprovalType     int    `json:"approval_type"`
		Audio            string `json:"audio"`
		AutoRecording    string `json:"auto_recording"`
		WaitingRoom      bool   `json:"waiting_room"`
		EncryptionType   string `json:"encryption_type"`
		PrivateMeeting   bool   `json:"private_meeting"`
		EmailNotify      bool   `json:"email_notification"`
	}
	return struct {
		UUID              string   `json:"uuid"`
		ID                int64    `json:"id"`
		HostID            string   `json:"host_id"`
		HostEmail         string   `json:"host_email"`
		Topic             string   `json:"topic"`
		Type              int      `json:"type"`
		Status            string   `json:"status"`
		StartTime         string   `json:"start_time"`
		Duration          int      `json:"duration"`
		Timezone          string   `json:"timezone"`
		Agenda            string   `json:"agenda,omitempty"`
		CreatedAt         string   `json:"created_at"`
		StartURL          string   `json:"start_url"`
		JoinURL           string   `json:"join_url"`
		Password          string   `json:"password"`
		H323Password      string   `json:"h323_password"`
		PSTNPassword      string   `json:"pstn_password"`
		EncryptedPassword string   `json:"encrypted_password"`
		Settings          settings `json:"settings"`
		PreSchedule       bool     `json:"pre_schedule"`
	}{
		UUID: m.UUID, ID: m.ID, HostID: host.ID, HostEmail: host.Email, Topic: m.Topic, Type: m.Type,
		Status: m.Status, StartTime: m.Start.UTC().Format(zoomTime), Duration: m.Duration, Timezone: m.TimeZone,
		Agenda: m.Agenda, CreatedAt: m.CreatedAt.UTC().Format(zoomTime),
		StartURL: base + "/s/" + idStr + "?zak=" + m.startZK, JoinURL: m.JoinURL, Password: m.Passcode,
		H323Password: numeric, PSTNPassword: numeric, EncryptedPassword: m.encPwd,
		Settings: settings{HostVideo: true, JoinBeforeHost: m.JoinBeforeHost, UsePMI: false, ApprovalType: 2,
			Audio: "both", AutoRecording: "none", WaitingRoom: m.WaitingRoom, EncryptionType: "enhanced_encryption",
			EmailNotify: true},
	}
}

// randomPasscode is what the simulated account generates: 6 letters/digits.
func randomPasscode() string {
	const a = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
	b := make([]byte, 6)
	for i := range b {
		b[i] = a[rand.IntN(len(a))]
	}
	return string(b)
}

// randomUUID is a meeting UUID: 16 random bytes, standard base64 ("…==").
func randomUUID() string {
	id := randomID(16)
	return strings.NewReplacer("-", "+", "_", "/").Replace(id) + "=="
}

// joinPage is GET /j/{id}: what an attendee's browser sees from a join URL.
func (s *Sim) joinPage(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	m, ok := s.Meeting(id)
	pageHeaders(w)
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		errorTmpl.Execute(w, map[string]string{"Title": "Invalid meeting ID", "Message": "This meeting ID is not valid. Please check and try again. (3001)"})
		return
	}
	if r.URL.Query().Get("pwd") != m.encPwd {
		w.WriteHeader(http.StatusForbidden)
		errorTmpl.Execute(w, map[string]string{"Title": "Enter meeting passcode", "Message": "This link does not carry the right passcode."})
		return
	}
	loc := loadLoc(m.TimeZone)
	w.WriteHeader(http.StatusOK)
	joinTmpl.Execute(w, map[string]any{"Topic": m.Topic, "Start": m.Start.In(loc).Format("Mon 2 Jan 2006 15:04 MST"),
		"TimeZone": m.TimeZone, "Duration": m.Duration, "WaitingRoom": m.WaitingRoom})
}

var joinTmpl = template.Must(template.New("join").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Topic}} · Zoom</title>` + pageStyle + `</head>
<body><main>
<span class="sim">Zoom simulator · test accounts only</span>
<h1 id="topic">{{.Topic}}</h1>
<p id="when">{{.Start}} ({{.TimeZone}}), {{.Duration}} minutes</p>
<p>{{if .WaitingRoom}}Please wait, the host will let you in soon.{{else}}Joining…{{end}}</p>
</main></body></html>
`))
