package linesim

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf16"
)

// LINE's answer texts (§3.5, §9); the wording of the ones marked
// unconfirmed is ours.
const (
	msgAuth         = "Authentication failed due to the following reason: invalid token. Confirm that the access token in the authorization header is valid."
	msgRateLimit    = "The API rate limit has been exceeded. Try again later."
	msgMonthly      = "You have reached your monthly limit."
	msgFailedToSend = "Failed to send messages"
	msgReplyToken   = "Invalid reply token"
	msgConflict     = "The retry key is already accepted" // unconfirmed (§10.2)
	msgInternal     = "An internal error occurred"        // unconfirmed
)

func (s *Sim) routes() {
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("POST /oauth2/v3/token", s.count("POST /oauth2/v3/token", s.issueToken))
	s.api("POST /v2/bot/message/push", s.push)
	s.api("POST /v2/bot/message/reply", s.reply)
	s.api("GET /v2/bot/message/quota", s.quota)
	s.api("GET /v2/bot/message/quota/consumption", s.consumption)
	s.api("GET /v2/bot/info", s.botInfo)
	s.api("GET /v2/bot/profile/{userId}", s.profile)
	s.api("POST /v2/bot/user/{userId}/linkToken", s.linkToken)
	s.api("/v2/", func(w http.ResponseWriter, r *http.Request, c *chState) {
		writeError(w, http.StatusNotFound, "Not found")
	})
	s.mux.HandleFunc("GET /dialog/bot/accountLink", s.count("GET /dialog/bot/accountLink", s.accountLinkDialog))
	s.pageRoutes()
}

func (s *Sim) count(pattern string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.calls[pattern]++
		s.mu.Unlock()
		w.Header().Set("X-Line-Request-Id", newUUID())
		h(w, r)
	}
}

// api wraps a messaging endpoint: Bearer check (401), then the fault knobs.
func (s *Sim) api(pattern string, h func(http.ResponseWriter, *http.Request, *chState)) {
	s.mux.HandleFunc(pattern, s.count(pattern, func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		s.mu.Lock()
		info, known := s.tokens[tok]
		if known && !info.expires.IsZero() && !s.now().Before(info.expires) {
			delete(s.tokens, tok)
			known = false
		}
		c := s.channels[info.channel]
		if !ok || !known || c == nil {
			s.mu.Unlock()
			writeError(w, http.StatusUnauthorized, msgAuth)
			return
		}
		switch {
		case s.rateLimitN > 0:
			s.rateLimitN--
			s.mu.Unlock()
			writeError(w, http.StatusTooManyRequests, msgRateLimit)
			return
		case s.failN > 0:
			s.failN--
			s.mu.Unlock()
			writeError(w, http.StatusInternalServerError, msgInternal)
			return
		}
		s.mu.Unlock()
		h(w, r, c)
	}))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

type detail struct {
	Message  string `json:"message"`
	Property string `json:"property"`
}

func writeError(w http.ResponseWriter, status int, msg string, details ...detail) {
	body := map[string]any{"message": msg}
	if len(details) > 0 {
		body["details"] = details
	}
	writeJSON(w, status, body)
}

// issueToken is the stateless token endpoint (§2.1): form
// grant_type=client_credentials, client_id, client_secret.
func (s *Sim) issueToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "some parameters missed or invalid"})
		return
	}
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	s.mu.Lock()
	c, ok := s.channels[id]
	if !ok || secret == "" || secret != c.Secret {
		s.mu.Unlock()
		// The exact code is unconfirmed (§9).
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_client", "error_description": "invalid client"})
		return
	}
	tok := "eyJhbGciOiJIUzI1NiJ9." + randomString(120)
	s.tokens[tok] = tokenInfo{channel: id, expires: s.now().Add(StatelessTokenTTL)}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "access_token": tok, "expires_in": 899})
}

// readJSON enforces Content-Type (415) and decodes (400).
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, "Unsupported Media Type")
		return false
	}
	if r.ContentLength > 2<<20 {
		writeError(w, http.StatusRequestEntityTooLarge, "Request Entity Too Large")
		return false
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 2<<20)).Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "The request body has 1 error(s)", detail{Message: "Invalid JSON", Property: ""})
		return false
	}
	return true
}

// validateMessages checks the rules of §9 and returns LINE-style details.
func validateMessages(msgs []json.RawMessage) []detail {
	var ds []detail
	if len(msgs) == 0 || len(msgs) > 5 {
		return []detail{{Message: "Size must be between 1 and 5", Property: "messages"}}
	}
	for i, raw := range msgs {
		p := "messages[" + itoa(i) + "]"
		var m map[string]any
		if json.Unmarshal(raw, &m) != nil {
			ds = append(ds, detail{"Must be an object", p})
			continue
		}
		typ, _ := m["type"].(string)
		switch typ {
		case "text":
			t, _ := m["text"].(string)
			if strings.TrimSpace(t) == "" {
				ds = append(ds, detail{"May not be empty", p + ".text"})
			} else if len(utf16.Encode([]rune(t))) > 5000 {
				ds = append(ds, detail{"Length must be between 0 and 5000", p + ".text"})
			}
		case "flex":
			if a, _ := m["altText"].(string); strings.TrimSpace(a) == "" {
				ds = append(ds, detail{"May not be empty", p + ".altText"})
			}
			c, _ := m["contents"].(map[string]any)
			if t, _ := c["type"].(string); t != "bubble" && t != "carousel" {
				ds = append(ds, detail{"invalid property", p + ".contents"})
			}
		case "template":
			if a, _ := m["altText"].(string); strings.TrimSpace(a) == "" {
				ds = append(ds, detail{"May not be empty", p + ".altText"})
			}
			if _, ok := m["template"].(map[string]any); !ok {
				ds = append(ds, detail{"May not be empty", p + ".template"})
			}
		case "sticker", "image":
		default:
			ds = append(ds, detail{"Must be one of the following values: [text, image, video, audio, location, sticker, template, imagemap, flex]", p + ".type"})
		}
	}
	return ds
}

func itoa(i int) string     { return strconv.Itoa(i) }
func i64toa(i int64) string { return strconv.FormatInt(i, 10) }

type sendRequest struct {
	To         string            `json:"to"`
	ReplyToken string            `json:"replyToken"`
	Messages   []json.RawMessage `json:"messages"`
	// notificationDisabled and customAggregationUnits (even null) are
	// accepted and ignored (§7.3).
	NotificationDisabled   bool     `json:"notificationDisabled"`
	CustomAggregationUnits []string `json:"customAggregationUnits"`
}

// push implements §3.1–§3.5 and §4.3.
func (s *Sim) push(w http.ResponseWriter, r *http.Request, c *chState) {
	key, hasKey := r.Header["X-Line-Retry-Key"]
	retryKey := ""
	if hasKey {
		retryKey = strings.TrimSpace(key[0])
		// An empty value is treated as no key (unconfirmed, §10.2).
		if retryKey != "" && !isUUID(retryKey) {
			writeError(w, http.StatusBadRequest, "The request body has 1 error(s)", detail{"Must be a UUID", "X-Line-Retry-Key"})
			return
		}
	}
	var req sendRequest
	if !readJSON(w, r, &req) {
		return
	}
	if ds := validateMessages(req.Messages); len(ds) > 0 || req.To == "" {
		if req.To == "" {
			ds = append(ds, detail{"May not be empty", "to"})
		}
		writeError(w, http.StatusBadRequest, "The request body has "+itoa(len(ds))+" error(s)", ds...)
		return
	}
	requestID := w.Header().Get("X-Line-Request-Id")
	s.mu.Lock()
	now := s.now()
	if retryKey != "" {
		if rec, ok := c.retryKeys[retryKey]; ok && now.Sub(rec.at) < RetryKeyTTL {
			s.mu.Unlock()
			w.Header().Set("X-Line-Accepted-Request-Id", rec.requestID)
			writeError(w, http.StatusConflict, msgConflict)
			return
		}
	}
	_, known := s.personLocked(c, req.To)
	state := c.friends[req.To]
	switch {
	case !known:
		s.mu.Unlock()
		writeError(w, http.StatusBadRequest, msgFailedToSend)
		return
	case state == NeverAdded && s.opts.NeverAddedStatus != http.StatusOK:
		s.mu.Unlock()
		writeError(w, s.opts.NeverAddedStatus, msgFailedToSend)
		return
	case state == Friend && c.MonthlyLimit > 0 && c.used[s.monthLocked()] >= c.MonthlyLimit:
		s.mu.Unlock()
		writeError(w, http.StatusTooManyRequests, msgMonthly)
		return
	}
	if retryKey != "" {
		c.retryKeys[retryKey] = retryRecord{requestID: requestID, at: now}
	}
	// Accepted. Only friends receive it and only they count (§3.3, §4.3).
	if state == Friend {
		c.used[s.monthLocked()]++
		for _, m := range req.Messages {
			e := entryFrom(m)
			e.At, e.Via, e.RetryKey = now, "push", retryKey
			c.chat[req.To] = append(c.chat[req.To], e)
		}
	}
	sent := s.sentLocked(len(req.Messages))
	lose := s.loseN > 0
	if lose {
		s.loseN--
	}
	s.mu.Unlock()
	if lose {
		writeError(w, http.StatusInternalServerError, msgInternal)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"sentMessages": sent})
}

func (s *Sim) sentLocked(n int) []map[string]string {
	out := make([]map[string]string, n)
	for i := range out {
		s.msgSeq++
		out[i] = map[string]string{"id": i64toa(s.msgSeq), "quoteToken": randomString(40)}
	}
	return out
}

// reply implements §3.7: single-use reply tokens, no retry key, not counted.
func (s *Sim) reply(w http.ResponseWriter, r *http.Request, c *chState) {
	if _, ok := r.Header["X-Line-Retry-Key"]; ok {
		writeError(w, http.StatusBadRequest, "The retry key is not supported for this API") // §3.4; wording unconfirmed
		return
	}
	var req sendRequest
	if !readJSON(w, r, &req) {
		return
	}
	if ds := validateMessages(req.Messages); len(ds) > 0 || req.ReplyToken == "" {
		if req.ReplyToken == "" {
			ds = append(ds, detail{"May not be empty", "replyToken"})
		}
		writeError(w, http.StatusBadRequest, "The request body has "+itoa(len(ds))+" error(s)", ds...)
		return
	}
	s.mu.Lock()
	now := s.now()
	rt := s.replies[req.ReplyToken]
	if rt == nil || rt.used || rt.channel != c.ID || !now.Before(rt.expires) {
		s.mu.Unlock()
		writeError(w, http.StatusBadRequest, msgReplyToken)
		return
	}
	rt.used = true
	if c.friends[rt.user] != Blocked {
		for _, m := range req.Messages {
			e := entryFrom(m)
			e.At, e.Via = now, "reply"
			c.chat[rt.user] = append(c.chat[rt.user], e)
		}
	}
	sent := s.sentLocked(len(req.Messages))
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"sentMessages": sent})
}

func (s *Sim) quota(w http.ResponseWriter, r *http.Request, c *chState) {
	s.mu.Lock()
	limit := c.MonthlyLimit
	s.mu.Unlock()
	if limit < 0 {
		writeJSON(w, http.StatusOK, map[string]any{"type": "none"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"type": "limited", "value": limit})
}

func (s *Sim) consumption(w http.ResponseWriter, r *http.Request, c *chState) {
	s.mu.Lock()
	n := c.used[s.monthLocked()]
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"totalUsage": n})
}

func (s *Sim) botInfo(w http.ResponseWriter, r *http.Request, c *chState) {
	s.mu.Lock()
	ch := c.Channel
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"userId": ch.BotUserID, "basicId": ch.BasicID,
		"displayName": ch.DisplayName, "chatMode": "bot", "markAsReadMode": "auto"})
}

// profile answers 404 for anyone who is not a friend (§9).
func (s *Sim) profile(w http.ResponseWriter, r *http.Request, c *chState) {
	id := r.PathValue("userId")
	s.mu.Lock()
	p, ok := s.personLocked(c, id)
	friend := c.friends[id] == Friend
	s.mu.Unlock()
	if !ok || !friend {
		writeError(w, http.StatusNotFound, "Not found")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"userId": id, "displayName": p.DisplayName, "language": "zh-TW"})
}

// linkToken issues a 10-minute single-use token for a friend (§6.1).
func (s *Sim) linkToken(w http.ResponseWriter, r *http.Request, c *chState) {
	id := r.PathValue("userId")
	s.mu.Lock()
	if c.friends[id] != Friend {
		s.mu.Unlock()
		writeError(w, http.StatusBadRequest, "The user hasn't added the LINE Official Account as a friend") // wording unconfirmed
		return
	}
	tok := randomString(32)
	s.links[tok] = &replyToken{channel: c.ID, user: id, expires: s.now().Add(LinkTokenTTL)}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"linkToken": tok})
}

// accountLinkDialog is access.line.me's dialog: the user's LINE app opens
// it; on a valid token and nonce it sends accountLink result=ok with a reply
// token, on a known but used/expired token or a bad nonce result=failed
// without one (§9).
func (s *Sim) accountLinkDialog(w http.ResponseWriter, r *http.Request) {
	tok, nonce := r.URL.Query().Get("linkToken"), r.URL.Query().Get("nonce")
	s.mu.Lock()
	lt := s.links[tok]
	if lt == nil {
		s.mu.Unlock()
		writePage(w, http.StatusBadRequest, "Account link", "Unknown link token.")
		return
	}
	ok := !lt.used && s.now().Before(lt.expires) && len(nonce) >= 10 && len(nonce) <= 255
	lt.used = true
	ch, user := lt.channel, lt.user
	s.mu.Unlock()
	result := "failed"
	if ok {
		result = "ok"
	}
	_ = s.emit(ch, user, "accountLink", func(ev map[string]any, replyToken string) {
		ev["link"] = map[string]string{"result": result, "nonce": nonce}
		if ok {
			ev["replyToken"] = replyToken
		}
	})
	if ok {
		writePage(w, http.StatusOK, "Account link", "Your LINE account is linked. You can go back to the chat.")
		return
	}
	writePage(w, http.StatusBadRequest, "Account link", "The link has expired or was already used.")
}

func entryFrom(raw json.RawMessage) Entry {
	e := Entry{JSON: append(json.RawMessage(nil), raw...)}
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	e.Type, _ = m["type"].(string)
	switch e.Type {
	case "text":
		e.Text, _ = m["text"].(string)
	case "flex", "template":
		e.Text, _ = m["altText"].(string)
		walk(m, &e)
	}
	return e
}

// walk collects a card's texts and its first URI action.
func walk(v any, e *Entry) {
	switch x := v.(type) {
	case map[string]any:
		if x["type"] == "uri" && e.ButtonURI == "" {
			e.ButtonURI, _ = x["uri"].(string)
			e.ButtonLabel, _ = x["label"].(string)
		}
		if x["type"] == "text" {
			if t, ok := x["text"].(string); ok && x["weight"] == "bold" && e.Title == "" {
				e.Title = t
			} else if ok {
				e.Lines = append(e.Lines, t)
			}
		}
		for _, k := range []string{"header", "hero", "body", "footer", "contents", "template", "actions", "action", "title"} {
			if c, ok := x[k]; ok && k != "title" {
				walk(c, e)
			}
		}
		if t, ok := x["title"].(string); ok && e.Title == "" {
			e.Title = t
		}
	case []any:
		for _, c := range x {
			walk(c, e)
		}
	}
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
		} else if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}

var errNoURL = errors.New("no webhook URL or webhook off")
