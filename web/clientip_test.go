package web

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

// Forwarded addresses count only when a trusted proxy sent them; then the
// client is the rightmost address that is not a trusted proxy.
func TestClientIP(t *testing.T) {
	t.Parallel()
	lb := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8")}
	cases := []struct {
		trusted []netip.Prefix
		remote  string
		xff     []string
		want    string
	}{
		{nil, "198.51.100.7:5000", []string{"203.0.113.9"}, "198.51.100.7"},
		{lb, "198.51.100.7:5000", []string{"203.0.113.9"}, "198.51.100.7"}, // not from a proxy: header ignored
		{lb, "127.0.0.1:5000", []string{"203.0.113.9"}, "203.0.113.9"},
		{lb, "127.0.0.1:5000", []string{"6.6.6.6, 203.0.113.9, 10.1.2.3"}, "203.0.113.9"}, // spoofed left part ignored
		{lb, "127.0.0.1:5000", []string{"6.6.6.6", "203.0.113.9"}, "203.0.113.9"},
		{lb, "127.0.0.1:5000", nil, "127.0.0.1"},
		{lb, "127.0.0.1:5000", []string{"garbage"}, "127.0.0.1"},
		{lb, "[::1]:5000", []string{"203.0.113.9"}, "::1"}, // ::1 not listed as trusted
	}
	for _, c := range cases {
		s := &Server{Config: Config{TrustedProxies: c.trusted}}
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := s.clientIP(r); got != c.want {
			t.Errorf("remote %s xff %v trusted %v: got %s, want %s", c.remote, c.xff, c.trusted, got, c.want)
		}
	}
}
