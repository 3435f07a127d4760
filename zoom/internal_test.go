package zoom

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestNormalizeAPIURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://api.zoom.us":                "https://api.zoom.us/v2",
		"https://api-eu.zoom.us/":            "https://api-eu.zoom.us/v2",
		"https://api.zoom.us/v2":             "https://api.zoom.us/v2",
		"https://api.zoom.us/v2/":            "https://api.zoom.us/v2",
		"http://127.0.0.1:8080/zoomsim":      "http://127.0.0.1:8080/zoomsim/v2",
		"http://127.0.0.1:8080/zoomsim/v2/":  "http://127.0.0.1:8080/zoomsim/v2",
		"":                                   "",
		"api.zoom.us":                        "",
		"ftp://api.zoom.us":                  "",
		"https://api.zoom.us/?token=x":       "",
		"https://user:pw@api.zoom.us":        "",
		"javascript:alert(1)":                "",
		"  https://api-au.zoom.us  ":         "https://api-au.zoom.us/v2",
		"https://example.zoom.us/some/path/": "https://example.zoom.us/some/path/v2",
	} {
		got, ok := NormalizeAPIURL(in)
		if got != want || ok != (want != "") {
			t.Errorf("NormalizeAPIURL(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	c := New(Config{APIURL: "https://api.zoom.us/v2/"})
	if got := c.apiBase(Auth{}); got != "https://api.zoom.us/v2" {
		t.Errorf("default base %q", got)
	}
	if got := c.apiBase(Auth{APIURL: "https://api-eu.zoom.us"}); got != "https://api-eu.zoom.us/v2" {
		t.Errorf("regional base %q", got)
	}
	if got := c.apiBase(Auth{APIURL: "not a url"}); got != "https://api.zoom.us/v2" {
		t.Errorf("bad api_url fallback %q", got)
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 1, 15, 22, 0, 0, 0, time.UTC)
	h := func(kv ...string) http.Header {
		x := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			x.Set(kv[i], kv[i+1])
		}
		return x
	}
	for name, tc := range map[string]struct {
		h    http.Header
		want time.Duration
	}{
		"seconds":               {h("Retry-After", "7"), 7 * time.Second},
		"zero":                  {h("Retry-After", "0"), 0},
		"negative":              {h("Retry-After", "-3"), 0},
		"HTTP date":             {h("Retry-After", "Mon, 15 Jan 2024 22:00:30 GMT"), 30 * time.Second},
		"ISO date (Zoom daily)": {h("Retry-After", "2024-01-16T00:00:00Z"), 2 * time.Hour},
		"past date":             {h("Retry-After", "2024-01-15T21:00:00Z"), 0},
		"rate-limit reset":      {h("X-RateLimit-Reset", "1705356005"), 5 * time.Second},
		"reset in ms":           {h("X-RateLimit-Reset", "1705356005000"), 5 * time.Second},
		"Retry-After wins":      {h("Retry-After", "3", "X-RateLimit-Reset", "1705356005"), 3 * time.Second},
		"garbage":               {h("Retry-After", "soon"), 0},
		"huge seconds capped":   {h("Retry-After", "99999999999"), 7 * 24 * time.Hour},
		"fraction rounds up":    {h("Retry-After", "2024-01-15T22:00:01.2Z"), 2 * time.Second},
		"none":                  {h(), 0},
	} {
		if got := retryAfter(tc.h, now); got != tc.want {
			t.Errorf("%s: %v, want %v", name, got, tc.want)
		}
	}
}

func TestDailyCapWithoutHeaders(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 1, 15, 22, 0, 0, 0, time.UTC)
	// The older spec's code-300 wording, without any header.
	e := apiError("create meeting", 400, nil, []byte(`{"code":300,"message":"A maximum of 100 meetings can be created/updated for a single user in one day."}`), now, nil)
	if !IsRateLimited(e) || e.RetryAfter != 2*time.Hour {
		t.Fatalf("code 300 daily cap: %v %v", IsRateLimited(e), e.RetryAfter)
	}
	e = apiError("create meeting", 400, nil, []byte(`{"code":300,"message":"Validation Failed.","errors":[{"field":"password","message":"Invalid field."}]}`), now, nil)
	if IsRateLimited(e) || !strings.Contains(e.Error(), "password: Invalid field.") {
		t.Fatalf("validation error: %v", e)
	}
}

func TestPasscode(t *testing.T) {
	t.Parallel()
	re := regexp.MustCompile(`^[A-Za-z0-9@_*\-]{10}$`)
	seen := map[string]bool{}
	for i := 0; i < 500; i++ {
		p := newPasscode()
		if !re.MatchString(p) || !strings.ContainsAny(p, "23456789") || strings.ContainsAny(p, "0O1lI") {
			t.Fatalf("passcode %q", p)
		}
		if seen[p] {
			t.Fatalf("passcode %q repeated", p)
		}
		seen[p] = true
	}
}

func TestTruncate(t *testing.T) {
	t.Parallel()
	if got := truncate("導約線上課", 3); got != "導約線" {
		t.Fatalf("truncate %q", got)
	}
	if got := truncate("abc", 3); got != "abc" {
		t.Fatalf("truncate %q", got)
	}
}

func TestScrubCapsAndCleans(t *testing.T) {
	t.Parallel()
	s := scrub(strings.Repeat("x", 1000)+"\n\x00", nil)
	if len([]rune(s)) != 301 || strings.ContainsAny(s, "\n\x00") {
		t.Fatalf("scrub %q", s)
	}
}
