package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
)

// This file holds the helpers of API v1 (API.md) that read requests and
// write answers, and the JSON shapes every entity shares; each entity's own
// shapes sit beside its handlers (api_services.go, ...). Every time leaves
// in the workspace's zone; every id is one of the workspace's own.

// apiMaxBody bounds every JSON request body.
const apiMaxBody = 64 << 10

// errBodyTooLarge is answered with 413 and this code.
const apiCodeTooLarge = "payload_too_large"

// apiDecodeJSON reads the body into v: at most 64 KiB, one JSON value, no
// unknown fields. Problems come back as *daoyue.Error (EINVALID) with the
// offending field named where JSON says which.
func apiDecodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	return apiDecode(w, r, v, false)
}

// apiDecodeOptional is apiDecodeJSON for a body that may also be left out.
func apiDecodeOptional(w http.ResponseWriter, r *http.Request, v any) error {
	return apiDecode(w, r, v, true)
}

func apiDecode(w http.ResponseWriter, r *http.Request, v any, optional bool) error {
	r.Body = http.MaxBytesReader(w, r.Body, apiMaxBody)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == io.EOF && optional {
		return nil
	}
	if err == nil {
		// One value only: trailing garbage is as malformed as a broken value.
		if _, extra := dec.Token(); extra != io.EOF {
			err = errors.New("trailing data after the JSON value")
		}
	}
	if err == nil {
		return nil
	}
	var tooLarge *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooLarge):
		return &daoyue.Error{Code: apiCodeTooLarge, Key: "error.api_body_too_large", Err: err}
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return &daoyue.Error{Code: daoyue.EINVALID, Key: "error.json", Fields: map[string]string{typeErr.Field: "error.api_type"}, Err: err}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &daoyue.Error{Code: daoyue.EINVALID, Key: "error.api_unknown_field", Args: map[string]any{"field": name},
			Fields: map[string]string{name: "error.api_unknown_field_here"}, Err: err}
	default:
		return &daoyue.Error{Code: daoyue.EINVALID, Key: "error.json", Err: err}
	}
}

// failAPI writes err as the API's error body, with 413 for a body too large.
func (s *Server) failAPI(w http.ResponseWriter, r *http.Request, err error) {
	var e *daoyue.Error
	if errors.As(err, &e) && e.Code == apiCodeTooLarge {
		lang := langOf(r)
		writeJSON(w, http.StatusRequestEntityTooLarge, APIError{Error: APIErrorBody{Code: apiCodeTooLarge, Message: i18n.T(lang, e.Key, nil)}})
		return
	}
	s.apiError(w, r, err)
}

// apiRenameFields returns err with field paths of the app layer renamed to the
// API's (the domain says "weekly" where the API says "weekly_hours").
func apiRenameFields(err error, names map[string]string) error {
	var e *daoyue.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	c := *e
	c.Fields = map[string]string{}
	for f, k := range e.Fields {
		if n, ok := names[f]; ok {
			f = n
		}
		c.Fields[f] = k
	}
	return &c
}

// apiParseTime reads an RFC 3339 time with an offset; a problem is recorded
// under field.
func apiParseTime(f daoyue.FieldErrors, field, s string) time.Time {
	if s == "" {
		f.Add(field, "error.required")
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		f.Add(field, "error.time")
		return time.Time{}
	}
	return t
}

// apiQueryInt reads an optional integer query parameter.
func apiQueryInt(f daoyue.FieldErrors, r *http.Request, name string) int {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		f.Add(name, "error.number")
		return 0
	}
	return n
}

// apiTime formats an instant in the workspace's zone.
func apiTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(time.RFC3339)
}

func apiTimePtr(t *time.Time, loc *time.Location) *string {
	if t == nil {
		return nil
	}
	s := apiTime(*t, loc)
	return &s
}

// apiClock converts minutes after midnight to "HH:MM" (1440 is "24:00").
func apiClock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// apiParseClock reads "HH:MM" (00:00–24:00).
func apiParseClock(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, err1 := strconv.Atoi(s[:2])
	m, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}

// ---- shapes shared by every entity ----

type moneyJSON struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

type refJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}
