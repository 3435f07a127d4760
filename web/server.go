// Package web serves DaoYue over HTTP: the public booking pages, the admin
// backend, the JSON API v1 with its OpenAPI document, and health checks.
// Handlers are thin: they parse, call app, and render.
package web

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/i18n"
)

// Config is what the server needs from start-up.
type Config struct {
	App     *app.App
	Store   daoyue.Store
	Log     *slog.Logger
	BaseURL string // e.g. http://localhost:8080, no trailing slash
	// SecureCookies marks cookies Secure (production behind HTTPS).
	SecureCookies bool
	// HSTS tells browsers to use only HTTPS for this host (production).
	HSTS bool
	// TrustedProxies are the load balancers and reverse proxies whose
	// X-Forwarded-For names the client (per-address rate limits).
	TrustedProxies []netip.Prefix
	// Notice is a banner shown on every page (e.g. "development mode").
	Notice string
	// ZoomWebhookSecret is the Zoom app's webhook Secret Token: it verifies
	// POST /webhooks/zoom and answers its URL validation. Empty: the
	// endpoint answers 503.
	ZoomWebhookSecret string
	// ZoomSimulated shows a banner on every page: the built-in simulator
	// stands in for Zoom (development only).
	ZoomSimulated bool
	// Signup opens /signup to anyone (DAOYUE_SIGNUP=open); closed, studios
	// are created by the operator's CLI.
	Signup bool
	// ObserveRequest, when set, hears of every request: its route pattern
	// (never the raw path), status and duration (metrics).
	ObserveRequest func(route string, status int, d time.Duration)
	// Metrics, when set, is served at GET /metrics to requests from this
	// machine that came through no proxy (loopback, no X-Forwarded-For);
	// anyone else gets 404. A separate DAOYUE_METRICS_ADDR leaves it unset.
	Metrics http.Handler
}

// Server is the HTTP front of DaoYue.
type Server struct {
	Config
	handler   http.Handler
	limiter   *rateLimiter
	slotsJSON slotJSONCache
}

// New builds the server and its routes.
func New(cfg Config) *Server {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	s := &Server{Config: cfg, limiter: newRateLimiter(publicBurst, publicRate)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	if cfg.Metrics != nil {
		mux.HandleFunc("GET /metrics", s.metrics)
	}
	s.registerAPI(mux)
	s.registerPages(mux)

	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(s.csrfDenied))
	// Zoom and Stripe sign their webhooks; they are not browser forms.
	csrf.AddInsecureBypassPattern("POST /webhooks/")
	s.handler = s.recoverer(s.logRequests(securityHeaders(s.formOrigins(), s.HSTS, s.withLanguage(s.limitBodies(s.authenticate(csrf.Handler(recordPattern(mux))))))))
	return s
}

// formOrigins are the origins besides our own that may receive a form:
// Zoom's consent page and ECPay's checkout.
func (s *Server) formOrigins() string {
	var out []string
	if o := s.zoomFormOrigin(); o != "" {
		out = append(out, o)
	}
	if s.App != nil && s.App.ECPay != nil {
		if u, err := url.Parse(s.App.ECPay.PaymentURL); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			out = append(out, u.Scheme+"://"+u.Host)
		}
	}
	return strings.Join(out, " ")
}

// zoomFormOrigin is the origin of Zoom's consent page: the 連結 Zoom form
// redirects there, and form-action must allow it by name or the browser
// stops the redirect. No other origin may receive a form.
func (s *Server) zoomFormOrigin() string {
	if !s.zoomConfigured() {
		return ""
	}
	u, err := url.Parse(s.App.Zoom.Client.AuthorizeURL("", ""))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// maxBody bounds every request body: forms and JSON alike are small, so a
// client cannot make the server hold megabytes per request. Webhooks read
// their own (equally small) bounded bodies.
const maxBody = 64 << 10

// limitBodies answers 413 to a body declared larger than maxBody before
// anything reads it, and cuts any other body off at maxBody. The studio
// settings form, which uploads the logo, alone gets settingsMaxBody.
func (s *Server) limitBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody && !strings.HasPrefix(r.URL.Path, "/webhooks/") {
			limit := int64(maxBody)
			if settingsPath(r) {
				limit = settingsMaxBody // the one form that uploads an image: the logo
			}
			if r.ContentLength > limit {
				w.Header().Set("Connection", "close")
				s.fail(w, r, &daoyue.Error{Code: apiCodeTooLarge, Key: "error.api_body_too_large"})
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		next.ServeHTTP(w, r)
	})
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// readyz answers 200 only when the database is reachable and its schema
// is the one this binary expects, so a load balancer holds traffic back
// from an instance started ahead of its migration.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.Store.Ping(ctx); err != nil {
		// The cause is for the operator's log, not for whoever asks.
		s.Log.Warn("not ready", slog.Any("error", err))
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("not ready\n"))
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

// metrics serves the Prometheus metrics to this machine only: a request
// that came through a proxy (even a trusted one on loopback) or from
// another address is answered as if there were no such page.
func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	ip, err := netip.ParseAddr(s.clientIP(r))
	if err != nil || !ip.IsLoopback() || r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" {
		http.NotFound(w, r)
		return
	}
	s.Metrics.ServeHTTP(w, r)
}

type ctxKey int

const (
	langKey ctxKey = iota
	userKey
	tokenKey
	patternKey
)

// langOf returns the request's language (zh-TW unless asked otherwise).
func langOf(r *http.Request) string {
	if l, ok := r.Context().Value(langKey).(string); ok {
		return l
	}
	return i18n.ZH
}

// userOf returns the signed-in user, or nil.
func userOf(r *http.Request) *daoyue.User {
	u, _ := r.Context().Value(userKey).(*daoyue.User)
	return u
}

// Cookie names.
const (
	sessionCookie = "daoyue_session"
	langCookie    = "daoyue_lang"
)

// withLanguage picks the language: ?lang= (remembered in a cookie), then the
// cookie, then Accept-Language, then zh-TW.
func (s *Server) withLanguage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var lang string
		if q := r.URL.Query().Get("lang"); q != "" {
			lang = i18n.Match(q)
			http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
		} else if c, err := r.Cookie(langCookie); err == nil {
			lang = i18n.Match(c.Value)
		} else {
			lang = i18n.Match(r.Header.Get("Accept-Language"))
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), langKey, lang)))
	})
}

// authenticate turns a bearer token or session cookie into the member actor.
// A bad token is not an error here: protected handlers refuse later.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, kind := "", ""
		if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
			token, kind = strings.TrimSpace(strings.TrimPrefix(h, "Bearer ")), "api"
		} else if c, err := r.Cookie(sessionCookie); err == nil {
			token, kind = c.Value, "session"
		}
		if token != "" {
			if u, err := s.App.Authenticate(r.Context(), token, kind, s.clientIP(r)); err == nil {
				ctx := context.WithValue(r.Context(), userKey, u)
				ctx = context.WithValue(ctx, tokenKey, token)
				ctx = daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorMember, UserID: u.ID, Label: u.Email})
				r = r.WithContext(ctx)
			}
		}
		next.ServeHTTP(w, r)
	})
}

// tokenOf returns the bearer token or session secret of the request.
func tokenOf(r *http.Request) string {
	t, _ := r.Context().Value(tokenKey).(string)
	return t
}

func securityHeaders(zoomOrigin string, hsts bool, next http.Handler) http.Handler {
	formAction := "form-action 'self'"
	if zoomOrigin != "" {
		formAction += " " + zoomOrigin
	}
	csp := "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " + formAction + "; frame-ancestors 'none'; base-uri 'none'"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		// Manage links carry a secret in the path: never send it onwards.
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", csp)
		if hsts {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// recordPattern passes the route pattern the mux matched back to
// logRequests: the mux sets it on its own copy of the request (each
// middleware's WithContext makes one), never on the one logRequests holds.
func recordPattern(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p, ok := r.Context().Value(patternKey).(*string); ok {
				*p = r.Pattern
			}
		}()
		mux.ServeHTTP(w, r)
	})
}

// logRequests logs each request by its route pattern, never by its raw
// path: paths can hold manage-link secrets and OAuth codes. Each request
// gets an id, in the log line and the X-Request-Id answer header, so a
// client's report can be found in the log; it is counted for metrics
// beside.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		w.Header().Set("X-Request-Id", id)
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		var matched string
		r = r.WithContext(context.WithValue(r.Context(), patternKey, &matched))
		next.ServeHTTP(rec, r)
		pattern := matched
		if pattern == "" {
			pattern = r.Method + " (unmatched)"
		}
		d := time.Since(start)
		s.Log.Info("request", slog.String("route", pattern), slog.Int("status", rec.status),
			slog.Duration("duration", d), slog.String("request_id", id))
		if s.ObserveRequest != nil {
			s.ObserveRequest(pattern, rec.status, d)
		}
	})
}

// newRequestID is 16 hex digits from a fast (not cryptographic) source:
// an id to find a request by, not a secret.
func newRequestID() string {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], rand.Uint64())
	return hex.EncodeToString(b[:])
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Error("panic", slog.Any("panic", v), slog.String("route", r.Pattern))
				s.fail(w, r, daoyue.Errorf(daoyue.EINTERNAL, "error.internal"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// isAPI reports whether the request wants JSON.
func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// fail renders err as JSON for the API and as a page otherwise.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if isAPI(r) {
		s.apiError(w, r, err)
		return
	}
	s.pageError(w, r, err)
}

func (s *Server) csrfDenied(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, &daoyue.Error{Code: daoyue.EFORBIDDEN, Key: "error.csrf"})
}
