package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/daoyue/daoyue"
)

// Public endpoints are limited per client address. API.md promises that a
// burst of 100 requests from one address is never refused, so the bucket
// holds more than that and refills steadily.
const (
	publicBurst = 150
	publicRate  = 20.0 // tokens per second: room for many phones behind one carrier NAT
)

type bucket struct {
	tokens float64
	last   time.Time
}

// rateLimiter is a token bucket per address, in memory (per instance).
type rateLimiter struct {
	mu      sync.Mutex
	burst   float64
	rate    float64
	buckets map[string]*bucket
	sweep   time.Time
}

func newRateLimiter(burst int, rate float64) *rateLimiter {
	return &rateLimiter{burst: float64(burst), rate: rate, buckets: map[string]*bucket{}}
}

func (l *rateLimiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.sweep) > time.Minute {
		// Forget addresses whose bucket has refilled; keeps the map small.
		for k, b := range l.buckets {
			if now.Sub(b.last).Seconds()*l.rate >= l.burst {
				delete(l.buckets, k)
			}
		}
		l.sweep = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens += now.Sub(b.last).Seconds() * l.rate
	if b.tokens > l.burst {
		b.tokens = l.burst
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// clientIP is the address a request comes from. Behind a load balancer or
// reverse proxy every request arrives from the proxy, so when the remote
// address is one of Config.TrustedProxies the client is read from
// X-Forwarded-For: the rightmost address that is not itself a trusted proxy.
// Forwarded headers from anyone else are ignored, since anyone can send them.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.trusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if _, err := netip.ParseAddr(hop); err != nil {
			break
		}
		if !s.trusted(hop) {
			return hop
		}
	}
	return host
}

func (s *Server) trusted(addr string) bool {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	for _, p := range s.TrustedProxies {
		if p.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}

// limited wraps a public handler with the per-address limit.
func (s *Server) limited(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.limiter.allow(s.clientIP(r), time.Now()) {
			w.Header().Set("Retry-After", "1")
			s.fail(w, r, daoyue.Errorf(daoyue.ERATELIMIT, "error.rate_limited"))
			return
		}
		h(w, r)
	}
}
