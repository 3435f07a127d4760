package line

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Limits LINE enforces (§3.1, §3.2); checked here so a bad message fails
// before it is sent, as a permanent error.
const (
	MaxMessages   = 5
	MaxTextLength = 5000 // UTF-16 code units (§3.2, DOC-CHARCOUNT)
	// maxAltText is the buttons-template limit (400); the Flex limit is
	// unconfirmed (§10.1), so the smaller documented one is used.
	maxAltText = 400
	// maxLabel is the buttons-template action label limit (20); see DECISIONS.md.
	maxLabel = 20
)

// Message is one message object (§3.2). Build it with Text or LinkCard.
type Message struct {
	v    any
	err  error
	kind string
}

// MarshalJSON writes the LINE message object.
func (m Message) MarshalJSON() ([]byte, error) { return json.Marshal(m.v) }

// Type is the LINE message type ("text", "flex").
func (m Message) Type() string { return m.kind }

// utf16Len is LINE's character count (an emoji like 🍎 counts 2).
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
		if utf16.RuneLen(r) < 0 {
			n++ // invalid rune: encoded as U+FFFD, one unit
		}
	}
	return n
}

// Text is a plain text message; empty or longer than 5,000 UTF-16 units is
// refused when sent.
func Text(s string) Message {
	m := Message{kind: "text", v: map[string]string{"type": "text", "text": s}}
	switch {
	case strings.TrimSpace(s) == "":
		m.err = fmt.Errorf("%w: empty text", ErrInvalidRequest)
	case !utf8.ValidString(s):
		m.err = fmt.Errorf("%w: text is not UTF-8", ErrInvalidRequest)
	case utf16Len(s) > MaxTextLength:
		m.err = fmt.Errorf("%w: text longer than %d UTF-16 units", ErrInvalidRequest, MaxTextLength)
	}
	return m
}

// Card is the "open your booking" message: a Flex bubble with a title, a
// few lines and one URI button (§3.2). AltText is what notifications and
// old clients show instead, so it should say the essentials on its own.
type Card struct {
	AltText     string   // required, ≤ 400 characters
	Title       string   // bold first line, optional
	Lines       []string // body lines, optional
	ButtonLabel string   // required, ≤ 20 characters, e.g. "查看預約"
	ButtonURI   string   // required, absolute https (or http) URL
}

// LinkCard builds the Flex message for c; invalid fields are refused when
// sent.
func LinkCard(c Card) Message {
	m := Message{kind: "flex"}
	u, uerr := url.Parse(c.ButtonURI)
	switch {
	case strings.TrimSpace(c.AltText) == "":
		m.err = fmt.Errorf("%w: card needs an alt text", ErrInvalidRequest)
	case utf16Len(c.AltText) > maxAltText:
		m.err = fmt.Errorf("%w: alt text longer than %d", ErrInvalidRequest, maxAltText)
	case strings.TrimSpace(c.ButtonLabel) == "" || utf8.RuneCountInString(c.ButtonLabel) > maxLabel:
		m.err = fmt.Errorf("%w: button label must be 1–%d characters", ErrInvalidRequest, maxLabel)
	case uerr != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(c.ButtonURI) > 1000:
		m.err = fmt.Errorf("%w: button needs an absolute http(s) URL", ErrInvalidRequest)
	}
	var body []any
	if c.Title != "" {
		body = append(body, map[string]any{"type": "text", "text": c.Title, "weight": "bold", "size": "lg", "wrap": true})
	}
	for _, l := range c.Lines {
		if strings.TrimSpace(l) != "" { // Flex refuses empty text components
			body = append(body, map[string]any{"type": "text", "text": l, "wrap": true})
		}
	}
	bubble := map[string]any{"type": "bubble",
		"footer": map[string]any{"type": "box", "layout": "vertical", "contents": []any{
			map[string]any{"type": "button", "style": "primary",
				"action": map[string]any{"type": "uri", "label": c.ButtonLabel, "uri": c.ButtonURI}},
		}},
	}
	if len(body) > 0 {
		bubble["body"] = map[string]any{"type": "box", "layout": "vertical", "contents": body}
	}
	m.v = map[string]any{"type": "flex", "altText": c.AltText, "contents": bubble}
	return m
}

func checkMessages(msgs []Message) error {
	if len(msgs) == 0 || len(msgs) > MaxMessages {
		return fmt.Errorf("%w: 1–%d messages per request", ErrInvalidRequest, MaxMessages)
	}
	for _, m := range msgs {
		if m.v == nil {
			return fmt.Errorf("%w: zero Message", ErrInvalidRequest)
		}
		if m.err != nil {
			return m.err
		}
	}
	return nil
}

// SentMessage is one entry of sentMessages (§3.3).
type SentMessage struct {
	ID         string `json:"id"`
	QuoteToken string `json:"quoteToken,omitempty"`
}

// PushResult is an accepted push. AlreadyAccepted means LINE answered 409:
// an earlier attempt with the same retry key was accepted, so the
// notification is sent and must not be repeated (§3.4).
type PushResult struct {
	RequestID         string
	AlreadyAccepted   bool
	AcceptedRequestID string // x-line-accepted-request-id on a 409
	SentMessages      []SentMessage
}

// Push sends 1–5 messages to a user (§3.1). retryKey must be a UUID chosen
// by the caller, stored before the first attempt and reused on every retry
// (NewRetryKey); a 409 naming the accepted request is success. Note that
// LINE accepts (200) a push to a user who blocked the account without
// delivering it (§3.3): track unfollow events.
func (c *Client) Push(ctx context.Context, to, retryKey string, msgs ...Message) (*PushResult, error) {
	const op = "push"
	if to == "" {
		return nil, fmt.Errorf("line: %s: %w: no recipient", op, ErrInvalidRequest)
	}
	if !validUUID(retryKey) {
		return nil, fmt.Errorf("line: %s: %w: retry key must be a UUID", op, ErrInvalidRequest)
	}
	if err := checkMessages(msgs); err != nil {
		return nil, fmt.Errorf("line: %s: %w", op, err)
	}
	in := struct {
		To       string    `json:"to"`
		Messages []Message `json:"messages"`
	}{to, msgs}
	res, body, err := c.call(ctx, op, http.MethodPost, "/v2/bot/message/push", in, map[string]string{"X-Line-Retry-Key": retryKey})
	if err != nil {
		return nil, err
	}
	out := &PushResult{RequestID: res.Header.Get("X-Line-Request-Id")}
	if res.StatusCode == http.StatusConflict {
		if acc := res.Header.Get("X-Line-Accepted-Request-Id"); acc != "" {
			out.AlreadyAccepted, out.AcceptedRequestID = true, acc
			return out, nil
		}
		// A 409 without the header is not the retry-key answer we know.
		return nil, c.errorFrom(op, res, body)
	}
	var ok struct {
		SentMessages []SentMessage `json:"sentMessages"`
	}
	if err := c.decode(op, res, body, &ok); err != nil {
		return nil, err
	}
	out.SentMessages = ok.SentMessages
	return out, nil
}

// Reply answers a webhook event with its single-use reply token (§3.7).
// Replies are free (not counted in the quota). No retry key: LINE refuses
// it on reply (§3.4); a used or expired token is a permanent error.
func (c *Client) Reply(ctx context.Context, replyToken string, msgs ...Message) ([]SentMessage, error) {
	const op = "reply"
	if replyToken == "" {
		return nil, fmt.Errorf("line: %s: %w: no reply token", op, ErrInvalidRequest)
	}
	if err := checkMessages(msgs); err != nil {
		return nil, fmt.Errorf("line: %s: %w", op, err)
	}
	in := struct {
		ReplyToken string    `json:"replyToken"`
		Messages   []Message `json:"messages"`
	}{replyToken, msgs}
	res, body, err := c.call(ctx, op, http.MethodPost, "/v2/bot/message/reply", in, nil)
	if err != nil {
		return nil, err
	}
	var ok struct {
		SentMessages []SentMessage `json:"sentMessages"`
	}
	if err := c.decode(op, res, body, &ok); err != nil {
		return nil, err
	}
	return ok.SentMessages, nil
}

// Quota is the account's monthly push allowance and use (§4.1).
type Quota struct {
	Limited bool  // false: type "none", no limit
	Limit   int64 // messages this month (free + paid), when Limited
	Used    int64 // totalUsage this month
}

// Remaining is Limit − Used (never negative); −1 when unlimited.
func (q Quota) Remaining() int64 {
	if !q.Limited {
		return -1
	}
	return max(q.Limit-q.Used, 0)
}

// Quota reads /v2/bot/message/quota and /quota/consumption for the
// studio's monthly display.
func (c *Client) Quota(ctx context.Context) (Quota, error) {
	var q struct {
		Type  string `json:"type"`
		Value int64  `json:"value"`
	}
	if err := c.get(ctx, "quota", "/v2/bot/message/quota", &q); err != nil {
		return Quota{}, err
	}
	var u struct {
		TotalUsage int64 `json:"totalUsage"`
	}
	if err := c.get(ctx, "quota consumption", "/v2/bot/message/quota/consumption", &u); err != nil {
		return Quota{}, err
	}
	return Quota{Limited: q.Type == "limited", Limit: q.Value, Used: u.TotalUsage}, nil
}

// BotInfo is the account behind the token (§1).
type BotInfo struct {
	UserID         string `json:"userId"` // arrives as a webhook's destination
	BasicID        string `json:"basicId"`
	PremiumID      string `json:"premiumId,omitempty"`
	DisplayName    string `json:"displayName"`
	PictureURL     string `json:"pictureUrl,omitempty"`
	ChatMode       string `json:"chatMode"`
	MarkAsReadMode string `json:"markAsReadMode"`
}

// AddFriendURL is the link that opens the add-friend screen in LINE (and
// what the add-friend QR code encodes).
func (b BotInfo) AddFriendURL() string { return AddFriendURL(b.BasicID) }

// AddFriendURL builds https://line.me/R/ti/p/{basicId}; the "@" is kept.
func AddFriendURL(basicID string) string {
	return "https://line.me/R/ti/p/" + url.PathEscape(basicID)
}

// BotInfo reads /v2/bot/info. Onboarding uses it to check a studio's
// credentials work and to store the bot userId (webhook destination); it
// does not prove the channel secret (only a signed webhook does, §1).
func (c *Client) BotInfo(ctx context.Context) (*BotInfo, error) {
	var b BotInfo
	if err := c.get(ctx, "bot info", "/v2/bot/info", &b); err != nil {
		return nil, err
	}
	return &b, nil
}

// IssueLinkToken starts account linking for a user who is a friend (§6.1 A):
// the token is valid 10 minutes, single use.
func (c *Client) IssueLinkToken(ctx context.Context, userID string) (string, error) {
	const op = "issue link token"
	if userID == "" {
		return "", fmt.Errorf("line: %s: %w: no user", op, ErrInvalidRequest)
	}
	res, body, err := c.call(ctx, op, http.MethodPost, "/v2/bot/user/"+url.PathEscape(userID)+"/linkToken", nil, nil)
	if err != nil {
		return "", err
	}
	var out struct {
		LinkToken string `json:"linkToken"`
	}
	if err := c.decode(op, res, body, &out); err != nil {
		return "", err
	}
	return out.LinkToken, nil
}

// AccountLinkURL is where our confirm page redirects the client once it has
// proved who it is: LINE then sends an accountLink event carrying nonce.
func (c *Client) AccountLinkURL(linkToken, nonce string) string {
	return c.cfg.AccessURL + "/dialog/bot/accountLink?" + url.Values{"linkToken": {linkToken}, "nonce": {nonce}}.Encode()
}

// NewNonce returns an account-link nonce: 128 random bits, URL-safe (§6.1).
func NewNonce() string {
	var b [18]byte // 144 bits → 24 characters
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
