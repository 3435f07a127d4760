package linesim

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
	"strings"
)

// Sign is x-line-signature: base64(HMAC-SHA256(channel secret, body)) (§5.2).
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Result is what a user action's webhook delivery got.
type Result struct {
	UserID         string
	WebhookEventID string
	ReplyToken     string // "" for unfollow
	Status         int    // the webhook's answer; 0 if none (or no URL)
	Err            error  // why there was no 2xx, nil on success
}

// Follow makes the person add the channel as a friend (or unblock it) and
// sends the follow event (§5.3).
func (s *Sim) Follow(channelID, personKey string) Result {
	uid := s.UserID(channelID, personKey)
	if uid == "" {
		return Result{Err: fmt.Errorf("linesim: no channel %q", channelID)}
	}
	s.mu.Lock()
	c := s.channels[channelID]
	if _, ok := s.personLocked(c, uid); !ok {
		s.mu.Unlock()
		return Result{Err: fmt.Errorf("linesim: no user %q", personKey)}
	}
	prev := c.friends[uid]
	c.friends[uid] = Friend
	s.mu.Unlock()
	return s.emit(channelID, uid, "follow", func(ev map[string]any, rt string) {
		ev["replyToken"] = rt
		ev["follow"] = map[string]bool{"isUnblocked": prev == Blocked}
	})
}

// Unfollow makes the user block the channel; the unfollow event has no
// reply token (§5.3). Later pushes are accepted but not delivered.
func (s *Sim) Unfollow(channelID, userID string) Result {
	s.mu.Lock()
	c := s.channels[channelID]
	if c == nil || c.friends[userID] != Friend {
		s.mu.Unlock()
		return Result{UserID: userID, Err: errors.New("linesim: not a friend")}
	}
	c.friends[userID] = Blocked
	s.mu.Unlock()
	return s.emit(channelID, userID, "unfollow", nil)
}

// SendText makes the user write text to the channel (e.g. a linking code);
// the message event carries a reply token (§5.3). A user who blocked the
// account cannot write to it.
func (s *Sim) SendText(channelID, userID, text string) Result {
	s.mu.Lock()
	c := s.channels[channelID]
	if c == nil {
		s.mu.Unlock()
		return Result{UserID: userID, Err: errors.New("linesim: no channel")}
	}
	if _, ok := s.personLocked(c, userID); !ok || c.friends[userID] == Blocked || strings.TrimSpace(text) == "" {
		s.mu.Unlock()
		return Result{UserID: userID, Err: errors.New("linesim: this user cannot write to the channel")}
	}
	c.chat[userID] = append(c.chat[userID], Entry{At: s.now(), FromUser: true, Type: "text", Text: text})
	s.mu.Unlock()
	return s.emit(channelID, userID, "message", func(ev map[string]any, rt string) {
		ev["replyToken"] = rt
		s.mu.Lock()
		s.msgSeq++
		id := i64toa(s.msgSeq)
		s.mu.Unlock()
		ev["message"] = map[string]any{"type": "text", "id": id, "text": text, "quoteToken": randomString(40)}
	})
}

// emit builds one event for (channel, user), issues its reply token when
// fill uses one, and delivers it.
func (s *Sim) emit(channelID, userID, typ string, fill func(ev map[string]any, replyToken string)) Result {
	s.mu.Lock()
	now := s.now()
	rt := randomString(32)
	s.replies[rt] = &replyToken{channel: channelID, user: userID, expires: now.Add(s.opts.ReplyTokenTTL)}
	s.mu.Unlock()
	ev := map[string]any{
		"type": typ, "mode": "active", "timestamp": now.UnixMilli(),
		"source":          map[string]string{"type": "user", "userId": userID},
		"webhookEventId":  newULID(now),
		"deliveryContext": map[string]bool{"isRedelivery": false},
	}
	if fill != nil {
		fill(ev, rt)
	}
	res := Result{UserID: userID, WebhookEventID: ev["webhookEventId"].(string)}
	if v, ok := ev["replyToken"].(string); ok {
		res.ReplyToken = v
	} else {
		s.mu.Lock()
		delete(s.replies, rt)
		s.mu.Unlock()
	}
	res.Status, res.Err = s.deliver(&pending{channel: channelID, events: []map[string]any{ev}})
	return res
}

// VerifyWebhook sends the console's "Verify" request: a signed POST with no
// events (§5.5).
func (s *Sim) VerifyWebhook(channelID string) (int, error) {
	return s.deliver(&pending{channel: channelID, events: []map[string]any{}})
}

// deliver POSTs a batch; a failure is kept for Redeliver when the channel
// has redelivery on (§5.4). Never called with s.mu held: the receiver may
// call back into the simulator (reply) while handling it.
func (s *Sim) deliver(p *pending) (int, error) {
	s.mu.Lock()
	c := s.channels[p.channel]
	if c == nil || c.WebhookURL == "" || c.WebhookOff {
		s.mu.Unlock()
		return 0, errNoURL
	}
	redelivery := p.attempts > 0
	for _, ev := range p.events {
		ev["deliveryContext"] = map[string]bool{"isRedelivery": redelivery}
	}
	body, _ := json.Marshal(map[string]any{"destination": c.BotUserID, "events": p.events})
	secret, url, forged, dup, canRedeliver := c.Secret, c.WebhookURL, s.forge, s.duplicate, c.Redelivery
	s.mu.Unlock()
	if forged {
		secret = "forged-" + secret
	}
	sig := Sign(secret, body)
	n := 1
	if dup {
		n = 2
	}
	var status int
	var err error
	for range n {
		status, err = s.post(url, body, sig)
		s.record(p, url, redelivery, forged, status, err)
	}
	if err == nil && (status < 200 || status > 299) {
		err = fmt.Errorf("linesim: webhook answered %d", status)
	}
	if err != nil && canRedeliver && len(p.events) > 0 {
		p.attempts++
		s.mu.Lock()
		if p.attempts == 1 {
			s.pendings = append(s.pendings, p)
		}
		s.mu.Unlock()
	}
	return status, err
}

func (s *Sim) post(url string, body []byte, sig string) (int, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("X-Line-Signature", sig)
	req.Header.Set("User-Agent", "LineBotWebhook/2.0")
	res, err := s.opts.WebhookClient.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	res.Body.Close()
	return res.StatusCode, nil
}

func (s *Sim) record(p *pending, url string, redelivery, forged bool, status int, err error) {
	a := WebhookAttempt{At: s.now(), ChannelID: p.channel, URL: url, Redelivery: redelivery, Forged: forged, Status: status}
	for _, ev := range p.events {
		a.EventIDs = append(a.EventIDs, ev["webhookEventId"].(string))
	}
	if err != nil {
		a.Err = err.Error()
	}
	s.mu.Lock()
	s.attempts = append(s.attempts, a)
	s.mu.Unlock()
}

// Redeliver re-sends every failed delivery once, with the same
// webhookEventIds and isRedelivery true (LINE's schedule is undisclosed,
// §10.3: tests call this instead of waiting). It returns how many now
// succeeded; failures stay pending (up to 10 attempts).
func (s *Sim) Redeliver() int {
	s.mu.Lock()
	ps := s.pendings
	s.pendings = nil
	s.mu.Unlock()
	ok := 0
	var keep []*pending
	for _, p := range ps {
		if _, err := s.deliver(p); err == nil {
			ok++
		} else if p.attempts < maxRedeliveries {
			keep = append(keep, p)
		}
	}
	s.mu.Lock()
	s.pendings = append(keep, s.pendings...)
	s.mu.Unlock()
	return ok
}
