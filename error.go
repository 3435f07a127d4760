package daoyue

import (
	"errors"
	"fmt"
	"time"
)

// Error codes. They are stable English snake_case strings that the JSON API
// returns as error.code (API.md) and that the HTTP layer maps to statuses.
const (
	EINVALID         = "invalid_input"
	EUNAUTHENTICATED = "unauthenticated"
	ENOTFOUND        = "not_found"
	EFORBIDDEN       = "forbidden"
	ESLOT            = "slot_unavailable"
	ETRANSITION      = "invalid_transition"
	EZOOMBOUND       = "zoom_user_already_bound"
	ERATELIMIT       = "rate_limited"
	ECONFLICT        = "conflict"
	EINTERNAL        = "internal"
	// EUNAVAILABLE: the server cannot store anything now (its disk is
	// full); nothing was changed and the same request may work later.
	EUNAVAILABLE = "unavailable"
)

// Error is the one error type the domain, the app layer and the stores
// return. Code is machine-readable; Key names the user-facing message in the
// i18n catalogue (so it can be shown in the request's language); Fields maps
// a dotted input path (client.email) to a message key. Err is the cause, for
// operators only: it is logged, never shown.
type Error struct {
	Code   string
	Key    string
	Args   map[string]any
	Fields map[string]string
	Err    error
	// RetryAfter tells a refused client (ERATELIMIT) when to try again.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	s := e.Code
	if e.Key != "" {
		s += ": " + e.Key
	}
	if len(e.Fields) > 0 {
		s += fmt.Sprintf(" %v", e.Fields)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with a code and a message key.
func Errorf(code, key string) *Error { return &Error{Code: code, Key: key} }

// With returns a copy of e with one message argument set.
func (e *Error) With(name string, v any) *Error {
	c := *e
	c.Args = map[string]any{}
	for k, v := range e.Args {
		c.Args[k] = v
	}
	c.Args[name] = v
	return &c
}

// WithRetryAfter returns a copy of e that tells when to try again.
func (e *Error) WithRetryAfter(d time.Duration) *Error {
	c := *e
	c.RetryAfter = d
	return &c
}

// ErrorCode returns the code of the *Error inside err, EINTERNAL for any other
// error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// IsCode reports whether err carries the given code.
func IsCode(err error, code string) bool { return ErrorCode(err) == code }

// FieldErrors collects input problems keyed by dotted path; Err returns nil
// when there are none, so validation reads as a list of checks.
type FieldErrors map[string]string

// Add records the first problem for a field.
func (f FieldErrors) Add(field, key string) {
	if _, ok := f[field]; !ok {
		f[field] = key
	}
}

// Err turns the collected problems into one EINVALID error, or nil.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Key: "error.invalid_input", Fields: f}
}

// Common errors.
var (
	ErrNotFound     = Errorf(ENOTFOUND, "error.not_found")
	ErrSlotTaken    = Errorf(ESLOT, "error.slot_unavailable")
	ErrForbidden    = Errorf(EFORBIDDEN, "error.forbidden")
	ErrUnauthorized = Errorf(EUNAUTHENTICATED, "error.unauthenticated")
)
