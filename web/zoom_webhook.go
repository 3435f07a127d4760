package web

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/daoyue/daoyue/i18n"
	"github.com/daoyue/daoyue/zoom"
)

// POST /webhooks/zoom: Zoom's event notifications (zoom-api.md §6). Every
// delivery, the URL validation included, must carry a valid signature made
// within five minutes; anything else is 401 and changes nothing. Zoom waits
// 3 seconds and retries only 5xx answers, so the work is a few database
// writes done inline, and a failure to record it is a 500 (retried).

// zoomWebhookMaxBody bounds a delivery's body.
const zoomWebhookMaxBody = 64 << 10

// webhookReceived is the body of an accepted delivery.
type webhookReceived struct {
	Received bool `json:"received"`
}

// urlValidationAnswer is the answer to endpoint.url_validation (§6.4).
type urlValidationAnswer struct {
	PlainToken     string `json:"plainToken"`
	EncryptedToken string `json:"encryptedToken"`
}

func (s *Server) webhookError(w http.ResponseWriter, r *http.Request, status int, code, key string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, APIError{Error: APIErrorBody{Code: code, Message: i18n.T(langOf(r), key, nil)}})
}

func (s *Server) zoomWebhook(w http.ResponseWriter, r *http.Request) {
	secret := s.ZoomWebhookSecret
	if secret == "" {
		s.webhookError(w, r, http.StatusServiceUnavailable, "zoom_webhook_not_configured", "error.zoom_webhook_secret")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, zoomWebhookMaxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.webhookError(w, r, http.StatusRequestEntityTooLarge, apiCodeTooLarge, "error.api_body_too_large")
			return
		}
		s.webhookError(w, r, http.StatusBadRequest, "invalid_input", "error.zoom_webhook_body")
		return
	}
	if err := zoom.VerifyWebhook(secret, r.Header, body, s.App.Now()); err != nil {
		s.Log.Warn("zoom webhook refused", slog.Any("reason", err))
		s.webhookError(w, r, http.StatusUnauthorized, "invalid_signature", "error.zoom_webhook_signature")
		return
	}
	ev, err := zoom.ParseEvent(body)
	if err != nil {
		s.webhookError(w, r, http.StatusBadRequest, "invalid_input", "error.zoom_webhook_body")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	switch ev.Event {
	case zoom.EventURLValidation:
		plain, err := ev.PlainToken()
		if err != nil {
			s.webhookError(w, r, http.StatusBadRequest, "invalid_input", "error.zoom_webhook_body")
			return
		}
		writeJSON(w, http.StatusOK, urlValidationAnswer{PlainToken: plain, EncryptedToken: zoom.URLValidationResponse(secret, plain)})

	case zoom.EventAppDeauthorized:
		userID, key := deauthorizationKey(ev, r)
		if userID == "" {
			s.Log.Warn("zoom app_deauthorized without a user_id")
			s.webhookError(w, r, http.StatusBadRequest, "invalid_input", "error.zoom_webhook_body")
			return
		}
		if err := s.App.ZoomDeauthorized(r.Context(), key, userID); err != nil {
			// 500 makes Zoom deliver it again (§6.5); the key makes the
			// retry count once.
			s.Log.Error("zoom deauthorization not recorded", slog.Any("error", err))
			s.webhookError(w, r, http.StatusInternalServerError, "internal", "error.internal")
			return
		}
		writeJSON(w, http.StatusOK, webhookReceived{Received: true})

	default:
		// Not an event DaoYue subscribes to: nothing to do.
		writeJSON(w, http.StatusOK, webhookReceived{Received: true})
	}
}

// deauthorizationKey returns the Zoom user of an app_deauthorized event and
// the key that makes Zoom's retries of it count once:
// "zoom:app_deauthorized:{user_id}:{event_ts}". Without an event_ts the
// deauthorization's own unique id (payload.signature) or, failing that, its
// time stands in, so a later removal by the same user is never mistaken for
// a retry.
func deauthorizationKey(ev *zoom.Event, r *http.Request) (userID, key string) {
	var ts string
	if d, err := ev.Deauthorization(); err == nil {
		userID = d.UserID
		switch {
		case ev.EventTS != 0:
			ts = strconv.FormatInt(ev.EventTS, 10)
		case d.Signature != "":
			ts = "sig-" + d.Signature
		case !d.DeauthorizationTime.IsZero():
			ts = "at-" + strconv.FormatInt(d.DeauthorizationTime.UnixMilli(), 10)
		}
	} else {
		// Parse defensively: a payload without account_id still names the
		// user whose tokens must go.
		var p struct {
			UserID string `json:"user_id"`
		}
		_ = json.Unmarshal(ev.Payload, &p)
		userID = p.UserID
		if ev.EventTS != 0 {
			ts = strconv.FormatInt(ev.EventTS, 10)
		}
	}
	if ts == "" {
		ts = "req-" + r.Header.Get("x-zm-request-id")
	}
	return userID, "zoom:" + ev.Event + ":" + userID + ":" + ts
}
