// Package linesim is a faithful, in-memory simulator of the LINE Platform
// parts DaoYue uses, built from the checklist in /work/shared/line-api.md §9
// (section numbers in comments refer to that file): stateless channel
// access tokens, push with X-Line-Retry-Key (409 on a repeated key), reply
// tokens, the monthly quota and its 429, rate-limit and 5xx knobs, bot info,
// profiles, link tokens and the account-link dialog, and the webhook sender
// (signed deliveries, redelivery after a failure, duplicate and forged
// deliveries on request).
//
// Simulated LINE users follow, unfollow and write to a channel through
// methods (tests) or the index page at the mount root (developers: each
// user's chat with buttons, no JavaScript needed). Every such action POSTs a
// signed webhook to the channel's URL synchronously, so tests never sleep.
//
// Like zoomsim it imports only the standard library and is independent of
// package line: both implement the document, the tests check they agree.
// Tests use package linesimtest, which keeps net/http/httptest and testing
// out of the binary.
package linesim

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"sync"
	"time"
	_ "time/tzdata" // Asia/Tokyo for the quota month on any machine
)

// Lifetimes and defaults (§2.1, §3.4, §6.1, §9).
const (
	StatelessTokenTTL   = 15 * time.Minute
	RetryKeyTTL         = 24 * time.Hour
	LinkTokenTTL        = 10 * time.Minute
	DefaultReplyTTL     = time.Minute // undisclosed upstream (§10.4)
	DefaultMonthlyLimit = 200         // Taiwan free plan 輕用量 (§4.2)
	DefaultWebhookWait  = 2 * time.Second
	maxRedeliveries     = 10
)

// Options configure a simulator; zero values get defaults.
type Options struct {
	// Channels; default one, DefaultChannel().
	Channels []Channel
	// Users are the simulated people; default DefaultUsers().
	Users []Person
	// Now is the clock; default time.Now. Tests move a clock instead of
	// sleeping for token, retry-key, reply-token and link-token expiry.
	Now func() time.Time
	// BaseURL is the simulator's public base including any mount prefix
	// (see SetBaseURL); shown on the index page.
	BaseURL string
	// NeverAddedStatus is the answer to a push to a user who never added the
	// account: 400 "Failed to send messages" (default) or 200 (accepted, not
	// delivered). Sources differ (§10.9).
	NeverAddedStatus int
	// ReplyTokenTTL; default one minute.
	ReplyTokenTTL time.Duration
	// QuotaZone decides the quota month; default Asia/Tokyo (§10.6).
	QuotaZone *time.Location
	// WebhookClient posts webhooks; default a client with a 2 s timeout (§5.1).
	WebhookClient *http.Client
}

// Channel is one studio's Messaging API channel and its Official Account.
type Channel struct {
	ID, Secret string
	// ProviderID decides users' ids: the same person has one userId per
	// provider (§1). Default ID (every channel its own provider).
	ProviderID string
	// BotUserID (webhook destination), BasicID ("@…") and DisplayName;
	// derived from ID when empty.
	BotUserID, BasicID, DisplayName string
	// AccessToken is a long-lived token accepted besides minted ones.
	AccessToken string
	// WebhookURL receives events; WebhookOff is the console's "Use webhook"
	// switch turned off; Redelivery is "Webhook redelivery" (§5.4).
	WebhookURL string
	WebhookOff bool
	Redelivery bool
	// MonthlyLimit: 0 → 200; negative → no limit (quota type "none").
	MonthlyLimit int
}

// Person is a simulated LINE user. Key is how tests and forms name them.
type Person struct {
	Key, DisplayName string
}

// DefaultChannel is the channel used when Options.Channels is empty.
func DefaultChannel() Channel {
	return Channel{ID: "2000000001", Secret: "linesim-channel-secret-0001", DisplayName: "靜心瑜伽 Calm Yoga",
		BasicID: "@123calmy", Redelivery: true}
}

// DefaultUsers are the people used when Options.Users is empty.
func DefaultUsers() []Person {
	return []Person{{"meiling", "林美玲"}, {"wei", "Wei Chen"}}
}

// FriendState is a user's relation to a channel.
type FriendState int

const (
	NeverAdded FriendState = iota
	Friend
	Blocked // unfollowed
)

func (f FriendState) String() string {
	return [...]string{"never added", "friend", "blocked"}[f]
}

// Entry is one line of a user's chat with a channel.
type Entry struct {
	At       time.Time
	FromUser bool   // the user wrote it (else the bot sent it)
	Via      string // "push" or "reply" for bot messages
	Type     string // text, flex, template ...
	Text     string // text, or a card's alt text
	// Title and Lines are a card's texts; ButtonLabel/ButtonURI its URI button.
	Title, ButtonLabel, ButtonURI string
	Lines                         []string
	JSON                          json.RawMessage // the message object as sent
	RetryKey                      string
}

// WebhookAttempt is one POST the simulator made (or would have made).
type WebhookAttempt struct {
	At         time.Time
	ChannelID  string
	URL        string
	EventIDs   []string
	Redelivery bool
	Forged     bool
	Status     int    // 0: no answer
	Err        string // why it failed to get an answer
}

type chState struct {
	Channel
	friends   map[string]FriendState // userId → state
	chat      map[string][]Entry     // userId → chat
	used      map[string]int         // month ("2026-12") → counted pushes
	retryKeys map[string]retryRecord
}

type retryRecord struct {
	requestID string
	at        time.Time
}

type tokenInfo struct {
	channel string
	expires time.Time // zero: never (long-lived)
}

type replyToken struct {
	channel, user string
	expires       time.Time
	used          bool
}

type pending struct {
	channel  string
	events   []map[string]any
	attempts int
}

// Sim is the simulator. It is safe for concurrent use.
type Sim struct {
	opts Options
	mux  *http.ServeMux

	mu         sync.Mutex
	base       string
	channels   map[string]*chState
	order      []string
	people     []Person
	tokens     map[string]tokenInfo
	replies    map[string]*replyToken
	links      map[string]*replyToken // link tokens share the shape
	pendings   []*pending
	attempts   []WebhookAttempt
	msgSeq     int64
	calls      map[string]int
	rateLimitN int
	failN      int
	loseN      int
	forge      bool
	duplicate  bool
}

// New builds a simulator.
func New(o Options) *Sim {
	if len(o.Channels) == 0 {
		o.Channels = []Channel{DefaultChannel()}
	}
	if len(o.Users) == 0 {
		o.Users = DefaultUsers()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.NeverAddedStatus == 0 {
		o.NeverAddedStatus = http.StatusBadRequest
	}
	if o.ReplyTokenTTL == 0 {
		o.ReplyTokenTTL = DefaultReplyTTL
	}
	if o.QuotaZone == nil {
		o.QuotaZone, _ = time.LoadLocation("Asia/Tokyo")
	}
	if o.WebhookClient == nil {
		o.WebhookClient = &http.Client{Timeout: DefaultWebhookWait}
	}
	s := &Sim{opts: o, base: o.BaseURL, channels: map[string]*chState{}, tokens: map[string]tokenInfo{},
		replies: map[string]*replyToken{}, links: map[string]*replyToken{}, calls: map[string]int{},
		msgSeq: 461230966842064897}
	s.people = append(s.people, o.Users...)
	for _, c := range o.Channels {
		s.addChannelLocked(c)
	}
	s.routes()
	return s
}

func (s *Sim) addChannelLocked(c Channel) {
	if c.ProviderID == "" {
		c.ProviderID = c.ID
	}
	if c.BotUserID == "" {
		c.BotUserID = "U" + hash32("bot", c.ID)
	}
	if c.BasicID == "" {
		c.BasicID = "@" + hash32("basic", c.ID)[:8]
	}
	if c.DisplayName == "" {
		c.DisplayName = "Studio " + c.ID
	}
	if c.MonthlyLimit == 0 {
		c.MonthlyLimit = DefaultMonthlyLimit
	}
	if c.AccessToken != "" {
		s.tokens[c.AccessToken] = tokenInfo{channel: c.ID}
	}
	s.channels[c.ID] = &chState{Channel: c, friends: map[string]FriendState{}, chat: map[string][]Entry{},
		used: map[string]int{}, retryKeys: map[string]retryRecord{}}
	s.order = append(s.order, c.ID)
}

// AddChannel adds a channel at run time (a studio connecting in dev mode).
func (s *Sim) AddChannel(c Channel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.channels[c.ID]; !ok {
		s.addChannelLocked(c)
	}
}

// AddUser adds a simulated person.
func (s *Sim) AddUser(p Person) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, q := range s.people {
		if q.Key == p.Key {
			return
		}
	}
	s.people = append(s.people, p)
}

// Handler serves the platform API, the account-link dialog and the index
// page. Mount it under a prefix with http.StripPrefix("/linesim", h) on the
// pattern "/linesim/".
func (s *Sim) Handler() http.Handler { return s.mux }

// SetBaseURL records the public base (with mount prefix), e.g. an httptest
// server's URL.
func (s *Sim) SetBaseURL(u string) {
	s.mu.Lock()
	s.base = u
	s.mu.Unlock()
}

// URL is the base for line.Config.APIURL and AccessURL.
func (s *Sim) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.base
}

// Channel returns a channel's configuration (with derived fields).
func (s *Sim) Channel(id string) (Channel, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.channels[id]
	if !ok {
		return Channel{}, false
	}
	return c.Channel, true
}

// UserID is the person's userId for a channel's provider ("U" + 32 hex).
func (s *Sim) UserID(channelID, personKey string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.channels[channelID]
	if !ok {
		return ""
	}
	return "U" + hash32("user", c.ProviderID, personKey)
}

// person finds who a userId belongs to in a channel.
func (s *Sim) personLocked(c *chState, userID string) (Person, bool) {
	for _, p := range s.people {
		if "U"+hash32("user", c.ProviderID, p.Key) == userID {
			return p, true
		}
	}
	return Person{}, false
}

// State is a user's friend state with a channel.
func (s *Sim) State(channelID, userID string) FriendState {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.channels[channelID]; ok {
		return c.friends[userID]
	}
	return NeverAdded
}

// Chat is the whole conversation, the user's own messages included.
func (s *Sim) Chat(channelID, userID string) []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.channels[channelID]; ok {
		return append([]Entry(nil), c.chat[userID]...)
	}
	return nil
}

// Messages are the bot's messages delivered to the user (push and reply).
// A push to a user who blocked the account is accepted but not here.
func (s *Sim) Messages(channelID, userID string) []Entry {
	var out []Entry
	for _, e := range s.Chat(channelID, userID) {
		if !e.FromUser {
			out = append(out, e)
		}
	}
	return out
}

// Used is this month's counted push messages for a channel (§4.3).
func (s *Sim) Used(channelID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.channels[channelID]; ok {
		return c.used[s.monthLocked()]
	}
	return 0
}

// SetUsed sets this month's consumption (e.g. near the limit).
func (s *Sim) SetUsed(channelID string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.channels[channelID]; ok {
		c.used[s.monthLocked()] = n
	}
}

// SetMonthlyLimit changes a plan's limit (negative: unlimited).
func (s *Sim) SetMonthlyLimit(channelID string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.channels[channelID]; ok {
		c.MonthlyLimit = n
	}
}

// SetWebhook sets a channel's webhook URL and redelivery switch.
func (s *Sim) SetWebhook(channelID, url string, redelivery bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.channels[channelID]; ok {
		c.WebhookURL, c.Redelivery = url, redelivery
	}
}

// Knobs. Each "Next" knob affects the next n messaging API calls
// (/v2/bot/...) after the token check.

// RateLimitNext answers 429 "The API rate limit has been exceeded" n times.
func (s *Sim) RateLimitNext(n int) { s.mu.Lock(); s.rateLimitN = n; s.mu.Unlock() }

// FailNext answers 500 n times without doing anything.
func (s *Sim) FailNext(n int) { s.mu.Lock(); s.failN = n; s.mu.Unlock() }

// LoseAnswerNext accepts the next n pushes, then answers 500 as if the
// answer was lost: the client retries with the same key and meets 409.
func (s *Sim) LoseAnswerNext(n int) { s.mu.Lock(); s.loseN = n; s.mu.Unlock() }

// ForgeSignatures makes webhook signatures wrong (a forged sender).
func (s *Sim) ForgeSignatures(on bool) { s.mu.Lock(); s.forge = on; s.mu.Unlock() }

// DuplicateWebhooks makes every delivery POST twice with the same body
// (same webhookEventId), as LINE may.
func (s *Sim) DuplicateWebhooks(on bool) { s.mu.Lock(); s.duplicate = on; s.mu.Unlock() }

// ExpireTokens invalidates every minted token (not long-lived ones), as if
// 15 minutes had passed.
func (s *Sim) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, t := range s.tokens {
		if !t.expires.IsZero() {
			delete(s.tokens, k)
		}
	}
}

// Calls counts requests per route pattern.
func (s *Sim) Calls(pattern string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[pattern]
}

// Webhooks are the webhook POSTs made so far.
func (s *Sim) Webhooks() []WebhookAttempt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]WebhookAttempt(nil), s.attempts...)
}

// Pending is how many failed deliveries wait for Redeliver.
func (s *Sim) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pendings)
}

func (s *Sim) now() time.Time { return s.opts.Now() }

func (s *Sim) monthLocked() string { return s.now().In(s.opts.QuotaZone).Format("2006-01") }

func (s *Sim) channelsSorted() []*chState {
	out := make([]*chState, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, s.channels[id])
	}
	return out
}

func hash32(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alnum[int(b[i])%len(alnum)]
	}
	return string(b)
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// newULID is a webhookEventId: 48-bit ms time + 80 random bits, Crockford
// base32 (§5.1).
func newULID(t time.Time) string {
	const enc = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	var b [16]byte
	ms := uint64(t.UnixMilli())
	for i := 5; i >= 0; i-- {
		b[i] = byte(ms)
		ms >>= 8
	}
	_, _ = rand.Read(b[6:])
	// 128 bits → 26 characters, 5 bits each, most significant first.
	out := make([]byte, 26)
	var acc uint64
	bits := 0
	pos := 25
	for i := 15; i >= 0; i-- {
		acc |= uint64(b[i]) << bits
		bits += 8
		for bits >= 5 && pos >= 0 {
			out[pos] = enc[acc&31]
			acc >>= 5
			bits -= 5
			pos--
		}
	}
	if pos >= 0 {
		out[pos] = enc[acc&31]
	}
	return string(out)
}
