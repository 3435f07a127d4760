package zoom

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"
)

// call sends one REST request with the bearer token and returns the body of
// a 2xx answer, or an *Error.
func (c *Client) call(ctx context.Context, a Auth, op, method, path string, in any, secrets []string) (int, []byte, error) {
	if a.AccessToken == "" {
		return 0, nil, fmt.Errorf("zoom: %s: %w: no access token", op, ErrInvalidRequest)
	}
	secrets = append(secrets, a.AccessToken)
	var body *bytes.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, nil, fmt.Errorf("zoom: %s: %w: %v", op, ErrInvalidRequest, err)
		}
		body = bytes.NewReader(b)
	}
	var req *http.Request
	var err error
	if body != nil {
		req, err = newRequest(ctx, op, method, c.apiBase(a)+path, body)
	} else {
		req, err = newRequest(ctx, op, method, c.apiBase(a)+path, nil)
	}
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+a.AccessToken)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	status, h, b, err := c.send(req, op, secrets)
	if err != nil {
		return 0, nil, err
	}
	if status < 200 || status > 299 {
		return status, nil, apiError(op, status, h, b, c.now(), secrets)
	}
	return status, b, nil
}

// Me returns the connected user (GET /users/me, scope user:read:user, §3).
func (c *Client) Me(ctx context.Context, a Auth) (*User, error) {
	const op = "get user"
	status, b, err := c.call(ctx, a, op, http.MethodGet, "/users/me", nil, nil)
	if err != nil {
		return nil, err
	}
	var u struct {
		ID          string `json:"id"`
		AccountID   string `json:"account_id"`
		Email       string `json:"email"`
		FirstName   string `json:"first_name"`
		LastName    string `json:"last_name"`
		DisplayName string `json:"display_name"`
		Timezone    string `json:"timezone"`
	}
	if err := decode(op, status, b, &u); err != nil {
		return nil, err
	}
	if u.ID == "" {
		return nil, &Error{Op: op, Status: status, Message: "user without an id"}
	}
	return &User{ID: u.ID, AccountID: u.AccountID, Email: u.Email, FirstName: u.FirstName,
		LastName: u.LastName, DisplayName: u.DisplayName, Timezone: u.Timezone}, nil
}

// MeetingRequest describes a booking's meeting.
type MeetingRequest struct {
	Topic    string        // cut to 200 characters
	Start    time.Time     // any location; sent as UTC with Z
	Duration time.Duration // rounded up to whole minutes
	TimeZone string        // IANA name, for display in Zoom (e.g. Asia/Taipei)
	Agenda   string        // cut to 1,900 characters (Zoom's limit is 2,000)
}

// Meeting is what DaoYue keeps of a created meeting. The host's start_url is
// deliberately absent: it is never decoded, stored or shown.
type Meeting struct {
	ID       int64
	JoinURL  string
	Password string
	Start    time.Time // UTC
	Duration int       // minutes
	TimeZone string
}

// String hides the join URL and passcode.
func (m Meeting) String() string {
	return fmt.Sprintf("zoom.Meeting{ID:[redacted] JoinURL:[redacted] Password:[redacted] Start:%s Duration:%d TimeZone:%q}",
		m.Start.Format(time.RFC3339), m.Duration, m.TimeZone)
}

// GoString hides the join URL and passcode from %#v.
func (m Meeting) GoString() string { return m.String() }

// zoomTime is Zoom's UTC start_time format (§4.1).
const zoomTime = "2006-01-02T15:04:05Z"

type meetingBody struct {
	Topic     string           `json:"topic,omitempty"`
	Type      int              `json:"type,omitempty"`
	StartTime string           `json:"start_time"`
	Duration  int              `json:"duration"`
	Timezone  string           `json:"timezone,omitempty"`
	Agenda    string           `json:"agenda,omitempty"`
	Password  string           `json:"password,omitempty"`
	Settings  *meetingSettings `json:"settings,omitempty"`
}

type meetingSettings struct {
	WaitingRoom    bool `json:"waiting_room"`
	JoinBeforeHost bool `json:"join_before_host"`
	UsePMI         bool `json:"use_pmi"`
}

func (m MeetingRequest) schedule(op string) (start string, minutes int, err error) {
	if m.Start.IsZero() {
		return "", 0, fmt.Errorf("zoom: %s: %w: no start time", op, ErrInvalidRequest)
	}
	if m.Duration <= 0 {
		return "", 0, fmt.Errorf("zoom: %s: %w: duration must be positive", op, ErrInvalidRequest)
	}
	minutes = int((m.Duration + time.Minute - 1) / time.Minute)
	return m.Start.UTC().Format(zoomTime), minutes, nil
}

// CreateMeeting schedules a meeting for the connected user
// (POST /users/me/meetings, type 2, scope meeting:write:meeting, §4): start
// in UTC with Z and the time zone for display, a passcode DaoYue generates,
// the waiting room on and join-before-host off. Zoom answers 201.
func (c *Client) CreateMeeting(ctx context.Context, a Auth, m MeetingRequest) (*Meeting, error) {
	const op = "create meeting"
	start, minutes, err := m.schedule(op)
	if err != nil {
		return nil, err
	}
	pass := newPasscode()
	in := meetingBody{
		Topic: truncate(m.Topic, 200), Type: 2, StartTime: start, Duration: minutes,
		Timezone: m.TimeZone, Agenda: truncate(m.Agenda, 1900), Password: pass,
		Settings: &meetingSettings{WaitingRoom: true, JoinBeforeHost: false, UsePMI: false},
	}
	status, b, err := c.call(ctx, a, op, http.MethodPost, "/users/me/meetings", in, []string{pass})
	if err != nil {
		return nil, err
	}
	// Only these fields are decoded; start_url is never read.
	var out struct {
		ID        json.Number `json:"id"`
		JoinURL   string      `json:"join_url"`
		Password  string      `json:"password"`
		StartTime string      `json:"start_time"`
		Duration  int         `json:"duration"`
		Timezone  string      `json:"timezone"`
	}
	if err := decode(op, status, b, &out); err != nil {
		return nil, err
	}
	id, err := out.ID.Int64()
	if err != nil || id <= 0 || out.JoinURL == "" {
		return nil, &Error{Op: op, Status: status, Message: "meeting response without an id or join URL"}
	}
	mt := &Meeting{ID: id, JoinURL: out.JoinURL, Password: out.Password, Duration: out.Duration, TimeZone: out.Timezone}
	if t, err := time.Parse(time.RFC3339, out.StartTime); err == nil {
		mt.Start = t.UTC()
	} else {
		mt.Start = m.Start.UTC().Truncate(time.Second)
	}
	if mt.Duration == 0 {
		mt.Duration = minutes
	}
	return mt, nil
}

// UpdateMeeting moves a meeting (PATCH /meetings/{id} with start_time,
// duration and timezone; scope meeting:update:meeting; Zoom answers 204 with
// no body, §5.2). IsNotFound is true when the meeting is gone.
func (c *Client) UpdateMeeting(ctx context.Context, a Auth, id int64, m MeetingRequest) error {
	const op = "update meeting"
	if id <= 0 {
		return fmt.Errorf("zoom: %s: %w: bad meeting id", op, ErrInvalidRequest)
	}
	start, minutes, err := m.schedule(op)
	if err != nil {
		return err
	}
	in := meetingBody{StartTime: start, Duration: minutes, Timezone: m.TimeZone}
	_, _, err = c.call(ctx, a, op, http.MethodPatch, "/meetings/"+strconv.FormatInt(id, 10), in, []string{strconv.FormatInt(id, 10)})
	return err
}

// DeleteMeeting cancels a meeting (DELETE /meetings/{id}; scope
// meeting:delete:meeting; 204 no body, §5.3). IsNotFound is true when it was
// already gone, which a caller cancelling a booking may treat as done.
func (c *Client) DeleteMeeting(ctx context.Context, a Auth, id int64) error {
	const op = "delete meeting"
	if id <= 0 {
		return fmt.Errorf("zoom: %s: %w: bad meeting id", op, ErrInvalidRequest)
	}
	_, _, err := c.call(ctx, a, op, http.MethodDelete, "/meetings/"+strconv.FormatInt(id, 10), nil, []string{strconv.FormatInt(id, 10)})
	return err
}

// passcodeAlphabet is Zoom's passcode charset (§4.1: letters, digits and
// @ - _ *) without look-alike characters; the symbols are left out so the
// passcode reads well in an email.
const passcodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"

// newPasscode returns 10 random characters (Zoom's maximum) with at least
// one letter and one digit, which satisfies the common account passcode
// rules.
func newPasscode() string {
	for {
		b := make([]byte, 10)
		letters, digits := 0, 0
		for i := range b {
			n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(passcodeAlphabet))))
			b[i] = passcodeAlphabet[n.Int64()]
			if b[i] >= '0' && b[i] <= '9' {
				digits++
			} else {
				letters++
			}
		}
		if letters > 0 && digits > 0 {
			return string(b)
		}
	}
}

// truncate cuts s to at most n characters without splitting one.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}
