package main

import (
	"strings"
	"testing"
)

// Whatever the environment holds, LoadConfig answers a configuration or
// errors that name variables; it never panics.
func FuzzLoadConfig(f *testing.F) {
	for _, seed := range []string{
		"DAOYUE_ENV=production\nDAOYUE_BASE_URL=https://daoyue.app",
		"DAOYUE_SECRET_KEYS=k1:AAAA,k2:\nDAOYUE_TRUSTED_PROXIES=10.0.0.0/8,::1,bogus",
		"DAOYUE_ZOOM_API_URL=http://[::1\nDAOYUE_SMTP_URL=smtps://u:p@h:99999",
		"DAOYUE_MAIL_FROM=\"a\" <b@c>\nDAOYUE_ADDR=:0\nDAOYUE_DATABASE_URL=postgres://",
		"NOT_OURS=1\nDAOYUE_=x\n=\nDAOYUE_ENV",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, env string) {
		c, err := LoadConfig(strings.Split(env, "\n"))
		if err == nil && c == nil {
			t.Fatal("no configuration and no error")
		}
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if line != "" && line != "configuration:" && !strings.Contains(line, "DAOYUE_") {
					t.Fatalf("an error that names no variable: %q", line)
				}
			}
		}
	})
}
