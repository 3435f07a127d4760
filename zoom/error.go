package zoom

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Error is every failure the client reports after the request was built:
// an error answer from Zoom (Status ≥ 300) or a transport failure
// (Status 0: connection refused or reset, timeout, cancelled context).
//
// For REST API answers Code and Message come from Zoom's
// {"code":124,"message":"Invalid access token."} (§1.5, §5.4). For the OAuth
// token and revoke endpoints Reason is the OAuth error code from the body's
// "error" field (invalid_grant, invalid_client, invalid_request) and Message
// is Zoom's human text from its "reason" field ("Invalid Token!") (§1.4).
// Messages are scrubbed of tokens, codes, secrets, passcodes, join URLs and
// meeting IDs, and capped in length; a non-JSON body (Zoom sometimes answers
// with HTML or XML) is never copied into Message.
type Error struct {
	Op     string // what the client was doing, e.g. "create meeting"
	Status int    // HTTP status; 0 for a transport failure
	Code   int    // Zoom's numeric code for API answers (124, 3001, 4711, 300, 429 ...)
	Reason string // OAuth error code for token-endpoint answers (invalid_grant ...)
	// Message is Zoom's text (scrubbed), or a description of the failure.
	Message string
	// RetryAfter is how long Zoom asked to wait (Retry-After seconds or date,
	// else X-RateLimit-Reset); for the per-user daily create/update cap
	// without headers it is the time left until 00:00 UTC. Zero if unknown.
	RetryAfter time.Duration

	oauth bool  // the answer came from the OAuth server, not the REST API
	err   error // transport cause, for errors.Is (never its URL)
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("zoom: ")
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	if e.Status == 0 {
		b.WriteString(e.Message)
		return b.String()
	}
	b.WriteString("HTTP ")
	b.WriteString(strconv.Itoa(e.Status))
	if e.Code != 0 {
		b.WriteString(" code ")
		b.WriteString(strconv.Itoa(e.Code))
	}
	if e.Reason != "" {
		b.WriteString(" ")
		b.WriteString(e.Reason)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after ")
		b.WriteString(e.RetryAfter.String())
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap gives the transport cause (context.DeadlineExceeded, io.EOF ...).
func (e *Error) Unwrap() error { return e.err }

// ErrInvalidRequest is wrapped by errors about a request the caller built
// wrongly (no start time, zero duration, empty token); nothing was sent.
var ErrInvalidRequest = errors.New("invalid request")

func asError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// IsUnauthorized reports a REST API 401: the access token is invalid, revoked
// or expired (code 124). Refresh once and retry; if that fails, reconnect.
func IsUnauthorized(err error) bool {
	e, ok := asError(err)
	return ok && !e.oauth && e.Status == http.StatusUnauthorized
}

// IsInvalidGrant reports that the token endpoint refused the grant: a used,
// rotated, revoked or expired refresh token, or a bad, expired or reused
// authorization code or PKCE verifier. The connection is dead: ask the user
// to connect again. (Zoom answered 401 before 2022 and 400 since, §1.4.)
func IsInvalidGrant(err error) bool {
	e, ok := asError(err)
	return ok && e.oauth && e.Reason == "invalid_grant"
}

// IsInvalidClient reports that Zoom refused DaoYue's client id or secret: a
// configuration error, not a dead connection (§1.4).
func IsInvalidClient(err error) bool {
	e, ok := asError(err)
	return ok && e.oauth && e.Reason == "invalid_client"
}

// IsMissingScope reports 400 code 4711 (or 4700): the token lacks a scope
// the call needs; the user must authorize again, retrying will not help (§1.7).
func IsMissingScope(err error) bool {
	e, ok := asError(err)
	return ok && !e.oauth && (e.Code == 4711 || e.Code == 4700)
}

// IsNotFound reports 404 (code 3001 for meetings, "Meeting does not exist"):
// for PATCH or DELETE the meeting is gone (deleted in Zoom or expired).
func IsNotFound(err error) bool {
	e, ok := asError(err)
	return ok && !e.oauth && (e.Status == http.StatusNotFound || e.Code == 3001)
}

// IsRateLimited reports 429, or the per-user daily create/update cap that an
// older spec reports as code 300 (§5.4). RetryAfter says how long to wait.
func IsRateLimited(err error) bool {
	e, ok := asError(err)
	return ok && (e.Status == http.StatusTooManyRequests || e.Code == 429 || isDailyCapMessage(e.Code, e.Message))
}

// IsTemporary reports failures worth retrying with backoff: 5xx answers
// (with any body, HTML included), timeouts and connection failures. A
// cancelled context is not temporary: the caller gave up.
func IsTemporary(err error) bool {
	e, ok := asError(err)
	if !ok {
		return false
	}
	if e.Status >= 500 {
		return true
	}
	return e.Status == 0 && e.err != nil && !errors.Is(e.err, context.Canceled)
}

// RetryAfter returns the wait Zoom asked for, or 0.
func RetryAfter(err error) time.Duration {
	if e, ok := asError(err); ok {
		return e.RetryAfter
	}
	return 0
}

// isDailyCapMessage recognises the per-user "100 create/update a day" cap in
// either wording (§5.4).
func isDailyCapMessage(code int, msg string) bool {
	m := strings.ToLower(msg)
	return (code == 300 || code == 429) && (strings.Contains(m, "can be created/updated for a single user in one day") ||
		strings.Contains(m, "daily rate limit (100) of meeting create/update"))
}

// transportError wraps a failure to get an answer. url.Error text contains
// the URL, so only the inner cause's text is kept.
func transportError(op string, err error, secrets []string) *Error {
	cause := err
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			cause = inner
		}
	}
	msg := "connection failed: " + cause.Error()
	switch {
	case errors.Is(err, context.Canceled):
		msg = "request cancelled"
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		msg = "timed out waiting for Zoom"
	}
	return &Error{Op: op, Message: scrub(msg, secrets), err: cause}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// apiError turns a REST API error answer into an *Error.
func apiError(op string, status int, h http.Header, body []byte, now time.Time, secrets []string) *Error {
	e := &Error{Op: op, Status: status}
	var b struct {
		Code    json.Number `json:"code"`
		Message string      `json:"message"`
		Errors  []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &b) == nil {
		if n, err := b.Code.Int64(); err == nil {
			e.Code = int(n)
		}
		e.Message = b.Message
		for i, f := range b.Errors {
			if i == 3 {
				break
			}
			e.Message += " [" + f.Field + ": " + f.Message + "]"
		}
	} else {
		e.Message = nonJSONMessage(status)
	}
	e.Message = scrub(e.Message, secrets)
	e.RetryAfter = retryAfter(h, now)
	if e.RetryAfter == 0 && isDailyCapMessage(e.Code, b.Message) {
		e.RetryAfter = untilUTCMidnight(now)
	}
	return e
}

// oauthError turns a token/revoke endpoint error answer into an *Error.
func oauthError(op string, status int, h http.Header, body []byte, now time.Time, secrets []string) *Error {
	e := &Error{Op: op, Status: status, oauth: true}
	var b struct {
		Error       string `json:"error"`
		Reason      string `json:"reason"`
		Description string `json:"error_description"`
	}
	if json.Unmarshal(body, &b) == nil {
		e.Reason = b.Error
		e.Message = b.Reason
		if e.Message == "" {
			e.Message = b.Description
		}
	} else {
		e.Message = nonJSONMessage(status)
	}
	if !oauthCode.MatchString(e.Reason) {
		e.Reason = "" // not a well-formed OAuth error code; keep it out of the text
	}
	e.Message = scrub(e.Message, secrets)
	e.RetryAfter = retryAfter(h, now)
	return e
}

var oauthCode = regexp.MustCompile(`^[a-z_]{1,40}$`)

func nonJSONMessage(status int) string {
	if t := http.StatusText(status); t != "" {
		return t + " (non-JSON body)"
	}
	return "non-JSON body"
}

// retryAfter reads Retry-After (delta seconds, HTTP date or ISO-8601 date,
// §5.4), else X-RateLimit-Reset (Unix seconds). Zero when absent or past.
func retryAfter(h http.Header, now time.Time) time.Duration {
	if h == nil {
		return 0
	}
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			if n <= 0 {
				return 0
			}
			if n > 7*24*3600 {
				n = 7 * 24 * 3600
			}
			return time.Duration(n) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil {
			return positive(t.Sub(now))
		}
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return positive(t.Sub(now))
		}
	}
	if v := strings.TrimSpace(h.Get("X-RateLimit-Reset")); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
			if n > 1e12 { // milliseconds
				return positive(time.UnixMilli(n).Sub(now))
			}
			return positive(time.Unix(n, 0).Sub(now))
		}
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return positive(t.Sub(now))
		}
	}
	return 0
}

func positive(d time.Duration) time.Duration {
	if d < 0 {
		return 0
	}
	// Round up to whole seconds so a caller never retries a moment early.
	return (d + time.Second - 1).Truncate(time.Second)
}

func untilUTCMidnight(now time.Time) time.Duration {
	u := now.UTC()
	next := time.Date(u.Year(), u.Month(), u.Day()+1, 0, 0, 0, 0, time.UTC)
	return positive(next.Sub(u))
}

// Patterns that must never reach an error message even when the caller did
// not name them: JWT-shaped tokens (Zoom's tokens are JWT-shaped, §1.3), URLs
// (join and start URLs), pwd=/zak=/code= parameters, Authorization header
// values and meeting-ID-like numbers.
var (
	jwtLike   = regexp.MustCompile(`eyJ[A-Za-z0-9_\-]{8,}(\.[A-Za-z0-9_\-]*)*`)
	urlLike   = regexp.MustCompile(`(?i)\bhttps?://\S+`)
	paramLike = regexp.MustCompile(`(?i)\b(pwd|zak|code|token|access_token|refresh_token|password|passcode|client_secret|code_verifier)=[^\s&"']+`)
	authLike  = regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=\-]+`)
	// Meeting IDs are 9 to 12 digits ("Meeting does not exist: 98399082887.").
	idLike = regexp.MustCompile(`\b\d{9,}\b`)
)

// scrub removes secrets and anything secret-shaped from s and caps its length.
func scrub(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) >= 3 {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	s = jwtLike.ReplaceAllString(s, "[redacted]")
	s = urlLike.ReplaceAllString(s, "[url redacted]")
	s = paramLike.ReplaceAllString(s, "$1=[redacted]")
	s = authLike.ReplaceAllString(s, "$1 [redacted]")
	s = idLike.ReplaceAllString(s, "[id]")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300]) + "…"
	}
	return s
}
