// Package logging builds the service's slog logger. It redacts attributes
// whose key names a secret, as a second line of defence: code should never
// log a token, password, passcode or join URL in the first place.
package logging

import (
	"io"
	"log/slog"
	"strings"
)

// New returns a logger writing JSON (production) or text (development) to w.
func New(w io.Writer, json bool, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: redact}
	var h slog.Handler
	if json {
		h = slog.NewJSONHandler(w, opts)
	} else {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(h)
}

// secretWords mark attribute keys whose values must never be written.
var secretWords = []string{"token", "password", "passcode", "secret", "join_url", "start_url", "authorization", "cookie", "code_verifier"}

// Redacted is what a secret attribute's value becomes.
const Redacted = "[redacted]"

func redact(_ []string, a slog.Attr) slog.Attr {
	k := strings.ToLower(a.Key)
	for _, w := range secretWords {
		if strings.Contains(k, w) {
			return slog.String(a.Key, Redacted)
		}
	}
	return a
}

// Discard is a logger that writes nothing (tests that expect noise).
func Discard() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
