package web

import (
	"errors"
	"io"
	"log/slog"
	"net/http"

	"github.com/daoyue/daoyue/app"
)

// stripeWebhookMaxBody bounds a webhook delivery (Stripe's events are a
// few kilobytes).
const stripeWebhookMaxBody = 256 << 10

// stripeWebhook receives Stripe's events at /webhooks/stripe: 200 once
// handled (also repeats and events we ignore), 400 for an unsigned or
// forged one, 500 when it could not be applied (Stripe sends it again).
func (s *Server) stripeWebhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, stripeWebhookMaxBody))
	if err != nil {
		http.Error(w, "unreadable", http.StatusBadRequest)
		return
	}
	err = s.App.StripeWebhook(r.Context(), body, r.Header.Get("Stripe-Signature"))
	switch {
	case err == nil:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"received":true}`))
	case errors.Is(err, app.ErrStripeRefused):
		s.Log.Warn("stripe webhook refused", slog.String("reason", err.Error()))
		http.Error(w, "refused", http.StatusBadRequest)
	default:
		s.Log.Error("stripe webhook failed", slog.String("error", err.Error()))
		http.Error(w, "try again", http.StatusInternalServerError)
	}
}
