package logging

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestSecretsAreRedacted(t *testing.T) {
	for _, json := range []bool{true, false} {
		var buf bytes.Buffer
		log := New(&buf, json, slog.LevelInfo)
		log.Info("x", slog.String("access_token", "AT-123"), slog.String("password", "hunter22hunter"),
			slog.Group("zoom", slog.String("join_url", "https://zoom.us/j/1?pwd=abc")), slog.String("route", "GET /w/{slug}"))
		out := buf.String()
		for _, secret := range []string{"AT-123", "hunter22hunter", "pwd=abc"} {
			if strings.Contains(out, secret) {
				t.Errorf("json=%v: log contains %q: %s", json, secret, out)
			}
		}
		if !strings.Contains(out, "GET /w/{slug}") {
			t.Errorf("json=%v: ordinary attribute lost: %s", json, out)
		}
	}
}
