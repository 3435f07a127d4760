package line

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Kind says what the caller should do about a failure (§3.4, §3.5).
type Kind int

const (
	// KindRetryable: 429 rate limit, 5xx, timeout or network failure. Retry
	// later with the same retry key (within 24 h for push).
	KindRetryable Kind = iota + 1
	// KindPermanent: 400 (invalid request, unknown or unreachable user,
	// invalid reply token), 403 (plan/permission), 404, 413, 415 ... Retrying
	// will not help.
	KindPermanent
	// KindAuth: 401 (token invalid, expired or reissued), or the token
	// endpoint refused the channel id/secret. The studio must reconnect.
	KindAuth
	// KindMonthlyLimit: 429 "You have reached your monthly limit." Not a rate
	// limit: stop pushing until next month or a plan upgrade (§3.5, §8).
	KindMonthlyLimit
)

func (k Kind) String() string {
	switch k {
	case KindRetryable:
		return "retryable"
	case KindPermanent:
		return "permanent"
	case KindAuth:
		return "auth"
	case KindMonthlyLimit:
		return "monthly limit"
	}
	return "unknown"
}

// Sentinels for errors.Is: errors.Is(err, line.ErrRetryable) is true for
// every *Error of KindRetryable, and so on.
var (
	ErrRetryable    = errors.New("line: retryable failure")
	ErrPermanent    = errors.New("line: permanent failure")
	ErrAuth         = errors.New("line: authentication failed")
	ErrMonthlyLimit = errors.New("line: monthly message limit reached")
	// ErrInvalidRequest wraps refusals before anything was sent (empty text,
	// too many messages, retry key not a UUID ...). Permanent.
	ErrInvalidRequest = errors.New("invalid request")
)

// Error is a failure after a request was built: an answer from LINE
// (Status ≥ 300) or a transport failure (Status 0).
type Error struct {
	Op      string // "push", "reply", "quota" ...
	Status  int    // HTTP status; 0 for a transport failure
	Kind    Kind
	Message string // LINE's "message" (scrubbed, capped), or a description
	Details []ErrorDetail
	// RequestID is x-line-request-id, for LINE support (§3.3).
	RequestID string
	err       error
}

// ErrorDetail is one entry of LINE's "details" (§3.5).
type ErrorDetail struct {
	Message  string `json:"message"`
	Property string `json:"property"`
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("line: ")
	if e.Op != "" {
		b.WriteString(e.Op + ": ")
	}
	if e.Status != 0 {
		b.WriteString("HTTP " + strconv.Itoa(e.Status) + ": ")
	}
	b.WriteString(e.Message)
	for i, d := range e.Details {
		if i == 3 {
			b.WriteString(" …")
			break
		}
		b.WriteString(" [" + d.Property + ": " + d.Message + "]")
	}
	return b.String()
}

// Unwrap gives the transport cause, if any.
func (e *Error) Unwrap() error { return e.err }

// Is matches the Kind sentinels.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrRetryable:
		return e.Kind == KindRetryable
	case ErrPermanent:
		return e.Kind == KindPermanent
	case ErrAuth:
		return e.Kind == KindAuth
	case ErrMonthlyLimit:
		return e.Kind == KindMonthlyLimit
	}
	return false
}

// IsRetryable, IsPermanent, IsAuth and IsMonthlyLimit classify any error
// the client returned.
func IsRetryable(err error) bool { return errors.Is(err, ErrRetryable) }
func IsPermanent(err error) bool {
	return errors.Is(err, ErrPermanent) || errors.Is(err, ErrInvalidRequest)
}
func IsAuth(err error) bool         { return errors.Is(err, ErrAuth) }
func IsMonthlyLimit(err error) bool { return errors.Is(err, ErrMonthlyLimit) }

// LINE's 429 message for an exhausted quota is "You have reached your
// monthly limit." (§3.5); its wording may vary in case and punctuation, so
// the phrase is matched.
// classify maps a status (and the 429 message) to a Kind (§3.4, §3.5).
func classify(status int, msg string) Kind {
	switch {
	case status == http.StatusUnauthorized:
		return KindAuth
	case status == http.StatusTooManyRequests:
		if strings.Contains(strings.ToLower(msg), "monthly limit") {
			return KindMonthlyLimit
		}
		return KindRetryable
	case status >= 500:
		return KindRetryable
	}
	return KindPermanent
}

// errorFrom builds the error for a non-2xx answer. Only LINE's JSON
// message/details (or the token endpoint's error/error_description) are
// kept; other bodies (an HTML error page from a proxy) are not copied.
func (c *Client) errorFrom(op string, res *http.Response, body []byte) *Error {
	var b struct {
		Message          string        `json:"message"`
		Details          []ErrorDetail `json:"details"`
		Error            string        `json:"error"`
		ErrorDescription string        `json:"error_description"`
	}
	_ = json.Unmarshal(body, &b)
	msg := b.Message
	if msg == "" && b.Error != "" {
		msg = strings.TrimSpace(b.Error + " " + b.ErrorDescription)
	}
	if msg == "" {
		msg = http.StatusText(res.StatusCode)
	}
	e := &Error{Op: op, Status: res.StatusCode, Kind: classify(res.StatusCode, msg),
		Message: c.cap(msg), RequestID: res.Header.Get("X-Line-Request-Id")}
	for i, d := range b.Details {
		if i == 20 {
			break
		}
		e.Details = append(e.Details, ErrorDetail{Message: c.cap(d.Message), Property: c.cap(d.Property)})
	}
	return e
}

// cap scrubs and shortens a text from LINE.
func (c *Client) cap(s string) string {
	s = c.scrub(s)
	if len(s) > 300 {
		s = s[:300]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return s
}

// transportError wraps a failure to get an answer. Only the cause is kept:
// a *url.Error would print the URL.
func (c *Client) transportError(op string, err error) *Error {
	var ue interface{ Unwrap() error }
	cause := err
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			cause = inner
		}
	}
	return &Error{Op: op, Kind: KindRetryable, Message: c.cap(cause.Error()), err: cause}
}
