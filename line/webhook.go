package line

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// MaxWebhookBody bounds a webhook body read by ParseRequest. LINE batches
// events, but a booking studio's traffic is far below this.
const MaxWebhookBody = 1 << 20

// Webhook errors.
var (
	ErrInvalidSignature = errors.New("line: invalid webhook signature")
	ErrInvalidWebhook   = errors.New("line: malformed webhook body")
)

// Sign is x-line-signature for body: base64(HMAC-SHA256(secret, body)) (§5.2).
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// VerifySignature checks signature (the x-line-signature header) against
// the raw body with any of secrets — more than one during a channel-secret
// rotation (§2.2). Comparison is constant time; an empty secret never
// matches.
func VerifySignature(body []byte, signature string, secrets ...string) bool {
	got, err := base64.StdEncoding.DecodeString(signature)
	if err != nil || len(got) != sha256.Size {
		return false
	}
	ok := false
	for _, s := range secrets {
		if s == "" {
			continue
		}
		mac := hmac.New(sha256.New, []byte(s))
		mac.Write(body)
		if hmac.Equal(got, mac.Sum(nil)) {
			ok = true // keep going: same work whichever secret matched
		}
	}
	return ok
}

// Webhook is one delivery: the bot's userId and 0 or more events. An empty
// Events is the console's "Verify" request: answer 200 (§5.5).
type Webhook struct {
	Destination string
	Events      []Event
}

// Event types the product handles; others keep their Type and are ignored
// by the caller (§5.3).
const (
	EventFollow      = "follow"
	EventUnfollow    = "unfollow"
	EventMessage     = "message"
	EventPostback    = "postback"
	EventAccountLink = "accountLink"
)

// Event is one webhook event, flattened to what DaoYue uses (§5.3).
type Event struct {
	Type string
	// WebhookEventID is unique per event and stays the same on
	// redelivery: dedupe on (studio, WebhookEventID) (§5.4).
	WebhookEventID string
	Timestamp      time.Time // the original event time, also on redelivery
	Mode           string    // "active" or "standby" (don't send in standby)
	IsRedelivery   bool
	Source         Source
	ReplyToken     string // follow, message, postback, accountLink(ok)

	IsUnblocked bool            // follow: the user unblocked the account
	Message     *MessageEvent   // message
	Postback    string          // postback data
	Link        *AccountLink    // accountLink
	Raw         json.RawMessage // the event as received (unknown types have only Type and Raw)
}

// Source is who caused the event.
type Source struct {
	Type    string // "user", "group", "room"
	UserID  string
	GroupID string
	RoomID  string
}

// MessageEvent is a received message; Text only for type "text".
type MessageEvent struct {
	ID, Type, Text, QuoteToken string
}

// AccountLink is the accountLink event's result: "ok" or "failed".
type AccountLink struct {
	Result, Nonce string
}

// ParseRequest reads r's raw body (up to MaxWebhookBody), checks
// x-line-signature with the studio's secret(s) before looking at the
// content, and parses it. Pick the secrets from the URL path (one webhook
// path per studio), never from the body's destination (§1, §8).
func ParseRequest(r *http.Request, secrets ...string) (*Webhook, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxWebhookBody+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidWebhook, err)
	}
	if len(body) > MaxWebhookBody {
		return nil, fmt.Errorf("%w: body too large", ErrInvalidWebhook)
	}
	if !VerifySignature(body, r.Header.Get("X-Line-Signature"), secrets...) {
		return nil, ErrInvalidSignature
	}
	return ParseWebhook(body)
}

// ParseWebhook parses a body whose signature was already checked.
func ParseWebhook(body []byte) (*Webhook, error) {
	var raw struct {
		Destination string            `json:"destination"`
		Events      []json.RawMessage `json:"events"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidWebhook, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: trailing data", ErrInvalidWebhook)
	}
	if raw.Destination == "" {
		return nil, fmt.Errorf("%w: no destination", ErrInvalidWebhook)
	}
	w := &Webhook{Destination: raw.Destination, Events: make([]Event, 0, len(raw.Events))}
	for i, re := range raw.Events {
		ev, err := parseEvent(re)
		if err != nil {
			return nil, fmt.Errorf("%w: events[%d]: %v", ErrInvalidWebhook, i, err)
		}
		w.Events = append(w.Events, ev)
	}
	return w, nil
}

func parseEvent(b json.RawMessage) (Event, error) {
	var e struct {
		Type            string `json:"type"`
		Mode            string `json:"mode"`
		Timestamp       int64  `json:"timestamp"`
		WebhookEventID  string `json:"webhookEventId"`
		DeliveryContext struct {
			IsRedelivery bool `json:"isRedelivery"`
		} `json:"deliveryContext"`
		Source struct {
			Type    string `json:"type"`
			UserID  string `json:"userId"`
			GroupID string `json:"groupId"`
			RoomID  string `json:"roomId"`
		} `json:"source"`
		ReplyToken string `json:"replyToken"`
		Follow     struct {
			IsUnblocked bool `json:"isUnblocked"`
		} `json:"follow"`
		Message *struct {
			ID         string `json:"id"`
			Type       string `json:"type"`
			Text       string `json:"text"`
			QuoteToken string `json:"quoteToken"`
		} `json:"message"`
		Postback *struct {
			Data string `json:"data"`
		} `json:"postback"`
		Link *struct {
			Result string `json:"result"`
			Nonce  string `json:"nonce"`
		} `json:"link"`
	}
	if err := json.Unmarshal(b, &e); err != nil {
		// A known event with a field of an unexpected type is malformed; an
		// unknown type we cannot read at all is kept as Raw only.
		var t struct {
			Type string `json:"type"`
		}
		if json.Unmarshal(b, &t) != nil || t.Type == "" || isKnown(t.Type) {
			return Event{}, err
		}
		return Event{Type: t.Type, Raw: b}, nil
	}
	if e.Type == "" {
		return Event{}, errors.New("no type")
	}
	ev := Event{
		Type: e.Type, WebhookEventID: e.WebhookEventID, Mode: e.Mode,
		IsRedelivery: e.DeliveryContext.IsRedelivery, ReplyToken: e.ReplyToken,
		Source: Source{Type: e.Source.Type, UserID: e.Source.UserID, GroupID: e.Source.GroupID, RoomID: e.Source.RoomID},
		Raw:    b,
	}
	if e.Timestamp != 0 {
		ev.Timestamp = time.UnixMilli(e.Timestamp).UTC()
	}
	switch e.Type {
	case EventFollow:
		ev.IsUnblocked = e.Follow.IsUnblocked
	case EventMessage:
		if e.Message == nil || e.Message.Type == "" {
			return Event{}, errors.New("message event without message")
		}
		ev.Message = &MessageEvent{ID: e.Message.ID, Type: e.Message.Type, Text: e.Message.Text, QuoteToken: e.Message.QuoteToken}
	case EventPostback:
		if e.Postback != nil {
			ev.Postback = e.Postback.Data
		}
	case EventAccountLink:
		if e.Link == nil {
			return Event{}, errors.New("accountLink event without link")
		}
		ev.Link = &AccountLink{Result: e.Link.Result, Nonce: e.Link.Nonce}
	}
	return ev, nil
}

func isKnown(t string) bool {
	switch t {
	case EventFollow, EventUnfollow, EventMessage, EventPostback, EventAccountLink:
		return true
	}
	return false
}
