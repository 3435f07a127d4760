package web

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
)

// statusClientClosed is nginx's status for a request whose client closed
// the connection before the answer.
const statusClientClosed = 499

// statusOf maps error codes to HTTP statuses, in one place.
var statusOf = map[string]int{
	daoyue.EINVALID:         http.StatusUnprocessableEntity,
	daoyue.EUNAUTHENTICATED: http.StatusUnauthorized,
	daoyue.ENOTFOUND:        http.StatusNotFound,
	daoyue.EFORBIDDEN:       http.StatusForbidden,
	daoyue.ESLOT:            http.StatusConflict,
	daoyue.ETRANSITION:      http.StatusConflict,
	daoyue.EZOOMBOUND:       http.StatusConflict,
	daoyue.ECONFLICT:        http.StatusConflict,
	daoyue.ERATELIMIT:       http.StatusTooManyRequests,
	apiCodeTooLarge:         http.StatusRequestEntityTooLarge,
	daoyue.EINTERNAL:        http.StatusInternalServerError,
	daoyue.EUNAVAILABLE:     http.StatusServiceUnavailable,
}

// APIError is the JSON error body of API.md.
type APIError struct {
	Error APIErrorBody `json:"error"`
}

// APIErrorBody holds the stable code, the message in the request's
// language and per-field messages keyed by dotted path.
type APIErrorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// publicError turns any error into what a user may see. Unknown errors
// are logged with their cause and shown as a generic message.
func (s *Server) publicError(r *http.Request, err error) (int, APIErrorBody) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		// The client closed the connection (left the page, gave up): no
		// fault here and nobody reads the answer, so no error is logged.
		// Counted as 499, the status proxies use for it.
		s.Log.Info("client went away", slog.String("route", r.Pattern))
		return statusClientClosed, APIErrorBody{Code: daoyue.EINTERNAL, Message: i18n.T(langOf(r), "error.internal", nil)}
	}
	var e *daoyue.Error
	if !errors.As(err, &e) || e.Code == daoyue.EINTERNAL {
		s.Log.Error("internal error", slog.String("route", r.Pattern), slog.Any("error", err))
		e = daoyue.Errorf(daoyue.EINTERNAL, "error.internal")
	}
	if e.Code == daoyue.EUNAVAILABLE {
		s.Log.Error("storage unavailable", slog.String("route", r.Pattern), slog.Any("error", err))
	}
	lang := langOf(r)
	key := e.Key
	if key == "" {
		key = i18n.ErrorKey(e.Code)
	}
	body := APIErrorBody{Code: e.Code, Message: i18n.T(lang, key, localizeArgs(lang, e))}
	if len(e.Fields) > 0 {
		body.Fields = map[string]string{}
		for f, k := range e.Fields {
			body.Fields[f] = i18n.T(lang, k, nil)
		}
	}
	status, ok := statusOf[e.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	return status, body
}

func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	setRetryAfter(w, err)
	status, body := s.publicError(r, err)
	writeJSON(w, status, APIError{Error: body})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// transitionActionKeys name the lifecycle's actions in words.
var transitionActionKeys = map[string]string{
	"accept":     "action.accept",
	"decline":    "action.decline",
	"payment":    "action.record_payment",
	"cancel":     "action.cancel_booking",
	"reschedule": "action.reschedule",
	"expire":     "action.expire",
}

// localizeArgs returns e's message arguments with code words (a status, an
// action) replaced by their names in lang, so "error.transition" reads
// 「已排程」 rather than "confirmed" on every surface, the API included.
func localizeArgs(lang string, e *daoyue.Error) map[string]any {
	if e.Key != "error.transition" {
		return e.Args
	}
	out := map[string]any{}
	for k, a := range e.Args {
		out[k] = a
	}
	if st, ok := e.Args["status"].(string); ok {
		if key, ok := statusKeys[daoyue.Status(st)]; ok {
			out["status"] = i18n.T(lang, key, nil)
		}
	}
	if act, ok := e.Args["action"].(string); ok {
		if key, ok := transitionActionKeys[act]; ok {
			out["action"] = i18n.T(lang, key, nil)
		}
	}
	return out
}

// setRetryAfter tells a throttled client when to try again.
func setRetryAfter(w http.ResponseWriter, err error) {
	var e *daoyue.Error
	if errors.As(err, &e) && e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((e.RetryAfter+time.Second-1)/time.Second)))
	}
}
