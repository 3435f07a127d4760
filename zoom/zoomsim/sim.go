// Package zoomsim is a faithful, in-memory simulator of the parts of Zoom
// DaoYue uses: the OAuth server (consent page, token endpoint with PKCE and
// refresh-token rotation, revoke), the REST API (/v2/users/me and meetings)
// and the webhook sender (signed app_deauthorized deliveries, URL
// validation, Zoom's retry schedule). It is built from
// /work/shared/zoom-api.md (section numbers in comments refer to it), with
// Zoom's failures: expired and revoked tokens, missing scopes, validation
// errors, 404 3001, 429 with Retry-After, the per-user daily create/update
// cap, and injected 5xx, latency and outages.
//
// It serves tests (through package zoomsimtest, so that testing stays out of
// the binary), developer mode (Main, `daoyue zoomsim`) and can be mounted
// under a path prefix of another server. It is safe for concurrent use and
// imports only the standard library. Time comes from Options.Now, so tests
// move a Clock instead of sleeping.
//
// It is independent of package zoom on purpose: the client and the simulator
// each implement the documented behaviour, and the tests check that they
// agree.
package zoomsim

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Asia/Taipei and friends on any machine
)

// DefaultScopes are the scopes DaoYue's app is configured with.
var DefaultScopes = []string{"meeting:write:meeting", "meeting:update:meeting", "meeting:delete:meeting", "user:read:user"}

// Default credentials used when Options leaves them empty.
const (
	DefaultClientID      = "zoomsim-client-id"
	DefaultClientSecret  = "zoomsim-client-secret"
	DefaultWebhookSecret = "zoomsim-webhook-secret"
)

// Lifetimes (§1.2, §1.3, §1.4).
const (
	AccessTokenTTL  = time.Hour
	CodeTTL         = 5 * time.Minute
	consentTTL      = 10 * time.Minute
	DefaultRefresh  = 90 * 24 * time.Hour
	DefaultDailyCap = 100
)

// Options configure a simulator. Zero values get sensible defaults.
type Options struct {
	ClientID, ClientSecret, WebhookSecret string
	// AppName is shown on the consent page; default "DaoYue".
	AppName string
	// RedirectURLs is the app's OAuth allow list (exact matches). When it is
	// empty, any absolute http(s) URL starting with AllowRedirectPrefix is
	// allowed (any http(s) URL when that is empty too).
	RedirectURLs        []string
	AllowRedirectPrefix string
	// Users are the test Zoom accounts offered on the consent page; default
	// two users (DefaultUsers).
	Users []User
	// Scopes the app is configured with, granted on consent; default
	// DefaultScopes. Leave one out to provoke 400 code 4711.
	Scopes []string
	// Now is the clock; default time.Now.
	Now func() time.Time
	// RefreshTokenTTL; default 90 days (zoom-api.md §1.4 leaves it open).
	RefreshTokenTTL time.Duration
	// DailyLimit is the per-user create+update cap per UTC day; default 100.
	DailyLimit int
	// BaseURL is the simulator's public base (see SetBaseURL).
	BaseURL string
	// JoinBaseURL, when set, is the base of meetings' join URLs instead of
	// the simulator's own (e.g. https://us06web.zoom.us for pictures of a
	// production-like build); the join page is then not served by it.
	JoinBaseURL string
	// TLSCertFile and TLSKeyFile, when set, make Main serve https with
	// that certificate (production-mode DaoYue accepts only https Zoom URLs).
	TLSCertFile, TLSKeyFile string
	// WebhookTimeout is how long a webhook endpoint may take to answer;
	// default Zoom's 3 s (§6.4, §6.5).
	WebhookTimeout time.Duration
	// WebhookClient sends webhooks; default a client with WebhookTimeout.
	WebhookClient *http.Client
	// StateFile, when set, keeps the grants, tokens and meetings across
	// restarts: New loads it and every request that may change them saves
	// it (see SaveState). New panics on a file it cannot read; use Open to
	// get the error instead.
	StateFile string
}

// User is a test Zoom account.
type User struct {
	ID, AccountID, Email, FirstName, LastName string
	Timezone                                  string // IANA; default Asia/Taipei
	Type                                      int    // 1 Basic, 2 Licensed; default 2
}

// DisplayName is "First Last".
func (u User) DisplayName() string { return strings.TrimSpace(u.FirstName + " " + u.LastName) }

// DefaultUsers are the two accounts offered when Options.Users is empty.
func DefaultUsers() []User {
	return []User{
		{ID: "KdYw3nRtQxe-Lm8ZpA2b7g", AccountID: "Rf4uTq9WS0yVn1cXhJ3kLw", Email: "meiling.lin@example.com",
			FirstName: "Mei-Ling", LastName: "Lin", Timezone: "Asia/Taipei", Type: 2},
		{ID: "pQ7sVb2XRmO-hE5tYk9cNa", AccountID: "Jm2wPz8DTuGf6qLsA0rBxe", Email: "wei.chen@example.com",
			FirstName: "Wei", LastName: "Chen", Timezone: "Asia/Taipei", Type: 1},
	}
}

// Meeting is a meeting as the simulator holds it.
type Meeting struct {
	ID             int64
	UUID           string
	HostID         string
	Topic          string
	Type           int
	Status         string    // waiting, started or ended
	Start          time.Time // UTC
	Duration       int       // minutes
	TimeZone       string
	Agenda         string
	Passcode       string
	JoinURL        string
	WaitingRoom    bool
	JoinBeforeHost bool // effective value: false whenever WaitingRoom is on
	CreatedAt      time.Time
	Updates        int // successful PATCHes

	encPwd  string
	startZK string
	deleted bool
}

type grant struct {
	userID  string
	scopes  []string
	revoked bool
}

type accessToken struct {
	g       *grant
	expires time.Time
}

type refreshToken struct {
	g       *grant
	expires time.Time
	used    bool
}

type authCode struct {
	userID, redirectURI, challenge, method string
	expires                                time.Time
	used                                   bool
}

type consent struct {
	redirectURI, state, challenge, method string
	expires                               time.Time
}

// Sim is one simulated Zoom.
type Sim struct {
	opts Options
	mux  *http.ServeMux

	mu       sync.Mutex
	base     string
	users    []User
	consents map[string]*consent
	codes    map[string]*authCode
	access   map[string]*accessToken
	refresh  map[string]*refreshToken
	grants   []*grant
	meetings map[int64]*Meeting
	daily    map[string]int
	calls    map[string]int

	apiFailN, apiFailStatus     int
	oauthFailN, oauthFailStatus int
	rateN                       int
	loseAnswerN                 int
	rateAfter                   time.Duration
	latency                     time.Duration
	down                        bool
	retries                     []*delivery

	saveMu sync.Mutex // serialises SaveState
	saved  string     // the state last written
}

// New returns a simulator; serve it with Handler (tests use
// zoomsimtest.NewServer).
func New(o Options) *Sim {
	s, err := Open(o)
	if err != nil {
		panic(err)
	}
	return s
}

// Open is New that reports an unreadable Options.StateFile.
func Open(o Options) (*Sim, error) {
	if o.ClientID == "" {
		o.ClientID = DefaultClientID
	}
	if o.ClientSecret == "" {
		o.ClientSecret = DefaultClientSecret
	}
	if o.WebhookSecret == "" {
		o.WebhookSecret = DefaultWebhookSecret
	}
	if o.AppName == "" {
		o.AppName = "DaoYue"
	}
	if len(o.Users) == 0 {
		o.Users = DefaultUsers()
	}
	if o.Scopes == nil {
		o.Scopes = DefaultScopes
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.RefreshTokenTTL <= 0 {
		o.RefreshTokenTTL = DefaultRefresh
	}
	if o.DailyLimit <= 0 {
		o.DailyLimit = DefaultDailyCap
	}
	if o.WebhookTimeout <= 0 {
		o.WebhookTimeout = 3 * time.Second
	}
	if o.WebhookClient == nil {
		o.WebhookClient = &http.Client{Timeout: o.WebhookTimeout}
	}
	users := make([]User, len(o.Users))
	for i, u := range o.Users {
		if u.ID == "" {
			u.ID = randomID(16)
		}
		if u.AccountID == "" {
			u.AccountID = randomID(16)
		}
		if u.Timezone == "" {
			u.Timezone = "Asia/Taipei"
		}
		if u.Type == 0 {
			u.Type = 2
		}
		users[i] = u
	}
	o.Users = users
	o.Scopes = slices.Clone(o.Scopes)
	o.RedirectURLs = slices.Clone(o.RedirectURLs)
	s := &Sim{
		opts: o, users: users,
		consents: map[string]*consent{}, codes: map[string]*authCode{},
		access: map[string]*accessToken{}, refresh: map[string]*refreshToken{},
		meetings: map[int64]*Meeting{}, daily: map[string]int{}, calls: map[string]int{},
	}
	s.base = strings.TrimRight(o.BaseURL, "/")
	s.routes()
	if o.StateFile != "" {
		if err := s.loadState(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Handler serves every endpoint relative to the simulator's base:
// /oauth/authorize (GET page, POST form), /oauth/token, /oauth/revoke,
// /v2/users/me, /v2/users/{userId}, /v2/users/me/meetings,
// /v2/users/{userId}/meetings, /v2/meetings/{id} (GET, PATCH, DELETE) and
// /j/{id} (a join page), plus the simulator's own / (a page of its
// accounts and meetings) and /sim/state (the same as JSON). Mounted under a prefix with http.StripPrefix, call
// SetBaseURL with the prefixed base so generated URLs include it.
func (s *Sim) Handler() http.Handler { return s.mux }

// SetBaseURL sets the public base used in join URLs and the token
// response's api_url, e.g. "http://127.0.0.1:8080/zoomsim". Until it is set
// the base is derived from each request's Host.
func (s *Sim) SetBaseURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.base = strings.TrimRight(u, "/")
}

// URL is the base set by SetBaseURL (zoomsimtest.NewServer sets it).
func (s *Sim) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.base
}

// APIURL is the REST base, URL() + "/v2".
func (s *Sim) APIURL() string { return s.URL() + "/v2" }

// ClientID, ClientSecret and WebhookSecret are the app's credentials.
func (s *Sim) ClientID() string      { return s.opts.ClientID }
func (s *Sim) ClientSecret() string  { return s.opts.ClientSecret }
func (s *Sim) WebhookSecret() string { return s.opts.WebhookSecret }

// Users are the test accounts.
func (s *Sim) Users() []User { return slices.Clone(s.users) }

// User finds a test account by id.
func (s *Sim) User(id string) (User, bool) {
	for _, u := range s.users {
		if u.ID == id {
			return u, true
		}
	}
	return User{}, false
}

func (s *Sim) now() time.Time { return s.opts.Now() }

// baseFor is the public base for generated URLs.
func (s *Sim) baseFor(r *http.Request) string {
	s.mu.Lock()
	b := s.base
	s.mu.Unlock()
	if b != "" {
		return b
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// --- fault injection -------------------------------------------------------

// FailNext makes the next n REST API calls (/v2/...) answer status. 502, 503
// and 504 answer an HTML page (as a gateway in front of Zoom does); other
// statuses answer JSON {"code":status,"message":...}.
func (s *Sim) FailNext(n int, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apiFailN, s.apiFailStatus = n, status
}

// LoseAnswerNext makes the next n REST API calls happen (a create makes its
// meeting) and then closes the connection without an answer, as when the
// answer is lost on the way back: the caller cannot tell whether Zoom acted.
func (s *Sim) LoseAnswerNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loseAnswerN = n
}

// FailNextOAuth does the same for the next n token and revoke calls.
func (s *Sim) FailNextOAuth(n int, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.oauthFailN, s.oauthFailStatus = n, status
}

// RateLimitNext makes the next n REST API calls answer 429 with the
// per-second message, Retry-After in seconds and X-RateLimit-* headers.
func (s *Sim) RateLimitNext(n int, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateN, s.rateAfter = n, retryAfter
}

// SetLatency delays every answer by d (real time; a cancelled request stops
// waiting).
func (s *Sim) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// SetDown makes every call fail until SetDown(false): the connection is
// closed without an answer (503 where the connection cannot be hijacked).
func (s *Sim) SetDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

// ExpireAccessTokens makes every access token issued so far expired now.
func (s *Sim) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, t := range s.access {
		if t.expires.After(now) {
			t.expires = now
		}
	}
}

// ExpireRefreshTokens makes every refresh token issued so far expired now.
func (s *Sim) ExpireRefreshTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, t := range s.refresh {
		if t.expires.After(now) {
			t.expires = now
		}
	}
}

// RevokeUser revokes every token of the user, as removing the app does.
func (s *Sim) RevokeUser(userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revokeUserLocked(userID)
}

func (s *Sim) revokeUserLocked(userID string) {
	for _, g := range s.grants {
		if g.userID == userID {
			g.revoked = true
		}
	}
}

// DeleteMeetingAsHost deletes a meeting as if its host did it in Zoom.
func (s *Sim) DeleteMeetingAsHost(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.meetings[id]; ok {
		m.deleted = true
	}
}

// StartMeeting marks a meeting as in progress (DELETE then answers 3002).
func (s *Sim) StartMeeting(id int64) { s.setStatus(id, "started") }

// EndMeeting marks a meeting as ended (DELETE then answers 3007).
func (s *Sim) EndMeeting(id int64) { s.setStatus(id, "ended") }

func (s *Sim) setStatus(id int64, st string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.meetings[id]; ok {
		m.Status = st
	}
}

// --- inspection ------------------------------------------------------------

// Meetings returns the user's live (not deleted) meetings by start time.
func (s *Sim) Meetings(userID string) []Meeting {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Meeting
	for _, m := range s.meetings {
		if m.HostID == userID && !m.deleted {
			out = append(out, *m)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.Before(out[j].Start)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// MeetingCount is how many live meetings the simulator holds, for
// callers that poll it often (Meetings copies and sorts them, under the
// lock the API's handlers take).
func (s *Sim) MeetingCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, m := range s.meetings {
		if !m.deleted {
			n++
		}
	}
	return n
}

// Meeting returns a live meeting.
func (s *Sim) Meeting(id int64) (Meeting, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.meetings[id]
	if !ok || m.deleted {
		return Meeting{}, false
	}
	return *m, true
}

// Calls counts the requests routed to an endpoint, faulted ones included.
// pathPattern is as registered: "/v2/users/me/meetings",
// "/v2/meetings/{id}", "/oauth/token", ...
func (s *Sim) Calls(method, pathPattern string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method+" "+pathPattern]
}

// LiveRefreshTokens counts the user's refresh tokens that would work now.
func (s *Sim) LiveRefreshTokens(userID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	n := 0
	for _, t := range s.refresh {
		if t.g.userID == userID && !t.used && !t.g.revoked && now.Before(t.expires) {
			n++
		}
	}
	return n
}

// LiveAccessTokens counts the user's access tokens that would work now.
func (s *Sim) LiveAccessTokens(userID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	n := 0
	for _, t := range s.access {
		if t.g.userID == userID && !t.g.revoked && now.Before(t.expires) {
			n++
		}
	}
	return n
}

// DailyCount is how many create/update calls the user made this UTC day.
func (s *Sim) DailyCount(userID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.daily[dailyKey(userID, s.now())]
}

func dailyKey(userID string, now time.Time) string {
	return userID + "|" + now.UTC().Format("2006-01-02")
}

// --- clock -----------------------------------------------------------------

// Clock is a settable clock for Options.Now.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time; pass c.Now as Options.Now.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// --- helpers ---------------------------------------------------------------

// randomID is n random bytes, base64url without padding (Zoom's ids look
// like "zJKyaiAyTNC-MWjiWC18KQ").
func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
