package main

import (
	"encoding/base64"
	"fmt"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Config is every setting, read from DAOYUE_* variables once at start-up.
type Config struct {
	Env     string // development | production
	Addr    string
	BaseURL string
	// BaseURLFromAddr is set when BaseURL was derived from Addr; serve then
	// takes the real port after listening (DAOYUE_ADDR=127.0.0.1:0 in tests).
	BaseURLFromAddr bool
	DataDir         string
	DatabaseURL     string
	SecretKeys      string
	DemoEmail       string
	DemoPass        string
	ReviewEmail     string
	ReviewPassword  string
	// TrustedProxies are the load balancers whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// MetricsAddr (DAOYUE_METRICS_ADDR), when set, serves /metrics on its
	// own listener; unset, /metrics is on DAOYUE_ADDR for loopback only.
	MetricsAddr string
	// PprofAddr (DAOYUE_PPROF_ADDR), when set, serves net/http/pprof on a
	// loopback-only listener.
	PprofAddr string
	// LoadtestLimits (DAOYUE_LOADTEST_LIMITS=on) raises every public booking
	// limit ten thousandfold, still counted in the database, for
	// `daoyue loadtest --only submit`; refused in production.
	LoadtestLimits bool

	ZoomClientID      string
	ZoomClientSecret  string
	ZoomWebhookSecret string
	ZoomOAuthURL      string
	ZoomAPIURL        string

	SMTPURL  string
	MailFrom string
	// Signup opens /signup (DAOYUE_SIGNUP=open): anyone may start a studio
	// by verifying their email. Closed, the operator uses the CLI.
	Signup bool

	// ECPayEnv is where ECPay checkouts go (DAOYUE_ECPAY_ENV): simulator
	// (the built-in one at {BASE_URL}/ecpaysim, development only), stage
	// (payment-stage.ecpay.com.tw) or production (payment.ecpay.com.tw,
	// where SimulatePaid notifications are refused).
	ECPayEnv string

	// Stripe Checkout (studios outside Taiwan) runs on the operator's
	// platform account: its secret key and the signing secret of the
	// /webhooks/stripe endpoint, both or neither. StripeAPIURL points the
	// client elsewhere (a simulator).
	StripeSecretKey     string
	StripeWebhookSecret string
	StripeAPIURL        string
}

// Production reports whether the production mode is on.
func (c *Config) Production() bool { return c.Env == "production" }

// ConfigError lists every problem with the environment at once, each
// naming its variable, so an operator fixes them in one go.
type ConfigError []string

func (e ConfigError) Error() string {
	return "configuration:\n  " + strings.Join(e, "\n  ")
}

// LoadConfig reads the environment given as KEY=value entries (os.Environ()).
func LoadConfig(environ []string) (*Config, error) {
	env := map[string]string{}
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	getenv := func(name string) string { return env[name] }
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	c := &Config{
		Env:                 get("DAOYUE_ENV", "development"),
		DataDir:             get("DAOYUE_DATA_DIR", "data"),
		SecretKeys:          get("DAOYUE_SECRET_KEYS", ""),
		DemoEmail:           get("DAOYUE_DEMO_EMAIL", "owner@demo.daoyue.test"),
		DemoPass:            get("DAOYUE_DEMO_PASSWORD", ""),
		ReviewEmail:         get("DAOYUE_REVIEW_EMAIL", "reviewer@zoom-review.daoyue.app"),
		ReviewPassword:      get("DAOYUE_REVIEW_PASSWORD", ""),
		ZoomClientID:        get("DAOYUE_ZOOM_CLIENT_ID", ""),
		ZoomClientSecret:    get("DAOYUE_ZOOM_CLIENT_SECRET", ""),
		ZoomWebhookSecret:   get("DAOYUE_ZOOM_WEBHOOK_SECRET", ""),
		ZoomOAuthURL:        get("DAOYUE_ZOOM_OAUTH_URL", "https://zoom.us"),
		ZoomAPIURL:          get("DAOYUE_ZOOM_API_URL", "https://api.zoom.us/v2"),
		SMTPURL:             get("DAOYUE_SMTP_URL", ""),
		MailFrom:            get("DAOYUE_MAIL_FROM", ""),
		StripeSecretKey:     get("DAOYUE_STRIPE_SECRET_KEY", ""),
		StripeWebhookSecret: get("DAOYUE_STRIPE_WEBHOOK_SECRET", ""),
		StripeAPIURL:        get("DAOYUE_STRIPE_API_URL", "https://api.stripe.com"),
	}
	var errs ConfigError
	c.ECPayEnv = get("DAOYUE_ECPAY_ENV", "simulator")
	if c.Env == "production" {
		c.ECPayEnv = get("DAOYUE_ECPAY_ENV", "production")
	}
	switch c.ECPayEnv {
	case "simulator":
		if c.Env == "production" {
			errs = append(errs, "DAOYUE_ECPAY_ENV: simulator is for development only (use stage or production)")
		}
	case "stage", "production":
	default:
		errs = append(errs, fmt.Sprintf("DAOYUE_ECPAY_ENV: %q is none of simulator, stage, production", c.ECPayEnv))
	}
	switch c.Env {
	case "development":
		c.Addr = get("DAOYUE_ADDR", "127.0.0.1:8080")
	case "production":
		c.Addr = get("DAOYUE_ADDR", ":8080")
	default:
		errs = append(errs, fmt.Sprintf("DAOYUE_ENV: %q is neither development nor production", c.Env))
	}
	c.BaseURL = strings.TrimRight(get("DAOYUE_BASE_URL", ""), "/")
	if c.BaseURL == "" && !c.Production() {
		c.BaseURL, c.BaseURLFromAddr = "http://"+displayAddr(c.Addr), true
	}
	c.DatabaseURL = get("DAOYUE_DATABASE_URL", "")
	if c.DatabaseURL == "" && !c.Production() {
		c.DatabaseURL = filepath.Join(c.DataDir, "daoyue.db")
	}

	if c.Production() {
		for _, name := range []string{"DAOYUE_BASE_URL", "DAOYUE_DATABASE_URL", "DAOYUE_SECRET_KEYS",
			"DAOYUE_ZOOM_CLIENT_ID", "DAOYUE_ZOOM_CLIENT_SECRET", "DAOYUE_ZOOM_WEBHOOK_SECRET"} {
			if strings.TrimSpace(getenv(name)) == "" {
				errs = append(errs, name+": required in production")
			}
		}
	}
	if c.BaseURL != "" {
		if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" {
			errs = append(errs, fmt.Sprintf("DAOYUE_BASE_URL: %q is not an http(s) origin such as https://daoyue.app", c.BaseURL))
		} else if c.Production() && u.Scheme != "https" {
			errs = append(errs, "DAOYUE_BASE_URL: must be https in production (Zoom requires HTTPS redirect URLs)")
		}
	}
	for _, part := range strings.Split(get("DAOYUE_TRUSTED_PROXIES", ""), ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			a, aerr := netip.ParseAddr(part)
			if aerr != nil {
				errs = append(errs, fmt.Sprintf("DAOYUE_TRUSTED_PROXIES: %q is neither an address nor a CIDR range", part))
				continue
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		c.TrustedProxies = append(c.TrustedProxies, p.Masked())
	}
	c.MetricsAddr = get("DAOYUE_METRICS_ADDR", "")
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			errs = append(errs, fmt.Sprintf("DAOYUE_METRICS_ADDR: %q is not host:port", c.MetricsAddr))
		}
	}
	c.PprofAddr = get("DAOYUE_PPROF_ADDR", "")
	if c.PprofAddr != "" {
		host, _, err := net.SplitHostPort(c.PprofAddr)
		ip, perr := netip.ParseAddr(host)
		if err != nil || (host != "localhost" && (perr != nil || !ip.IsLoopback())) {
			errs = append(errs, fmt.Sprintf("DAOYUE_PPROF_ADDR: %q must be a loopback host:port such as 127.0.0.1:6060 (profiles are not for the network)", c.PprofAddr))
		}
	}
	if c.SecretKeys != "" {
		if err := checkSecretKeys(c.SecretKeys); err != nil {
			errs = append(errs, "DAOYUE_SECRET_KEYS: "+err.Error())
		}
	}
	for name, v := range map[string]string{"DAOYUE_ZOOM_OAUTH_URL": c.ZoomOAuthURL, "DAOYUE_ZOOM_API_URL": c.ZoomAPIURL, "DAOYUE_STRIPE_API_URL": c.StripeAPIURL} {
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Sprintf("%s: %q is not an http(s) URL", name, v))
		} else if c.Production() && u.Scheme != "https" {
			errs = append(errs, fmt.Sprintf("%s: must be https in production (tokens and client data travel over it)", name))
		}
	}
	switch {
	case (c.StripeSecretKey == "") != (c.StripeWebhookSecret == ""):
		errs = append(errs, "DAOYUE_STRIPE_SECRET_KEY and DAOYUE_STRIPE_WEBHOOK_SECRET: set both (Stripe Checkout) or neither")
	case c.StripeSecretKey != "" && !strings.HasPrefix(c.StripeSecretKey, "sk_") && !strings.HasPrefix(c.StripeSecretKey, "rk_"):
		errs = append(errs, "DAOYUE_STRIPE_SECRET_KEY: expected a Stripe secret key (sk_… or a restricted rk_…)")
	case c.StripeWebhookSecret != "" && !strings.HasPrefix(c.StripeWebhookSecret, "whsec_"):
		errs = append(errs, "DAOYUE_STRIPE_WEBHOOK_SECRET: expected the endpoint's signing secret (whsec_…)")
	}
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			errs = append(errs, "DAOYUE_SMTP_URL: expected smtp://user:pass@host:port or smtps://…")
		}
	}
	if c.MailFrom != "" {
		if _, err := mail.ParseAddress(c.MailFrom); err != nil {
			errs = append(errs, fmt.Sprintf("DAOYUE_MAIL_FROM: %q is not an email address such as DaoYue <no-reply@daoyue.app>", c.MailFrom))
		}
	}
	// Sign-up emails its verification link, so it is open only where the
	// link can arrive: by default in development (an SMTP server, or the
	// development mailbox without one), never by default in production.
	switch v := get("DAOYUE_SIGNUP", ""); v {
	case "":
		c.Signup = !c.Production()
	case "open":
		c.Signup = true
		if c.SMTPURL == "" && c.Production() {
			errs = append(errs, "DAOYUE_SIGNUP: open needs DAOYUE_SMTP_URL (the verification link is emailed)")
		}
	case "closed":
	default:
		errs = append(errs, fmt.Sprintf("DAOYUE_SIGNUP: %q is neither open nor closed", v))
	}
	switch v := get("DAOYUE_LOADTEST_LIMITS", ""); v {
	case "", "off":
	case "on":
		if c.Env == "production" {
			errs = append(errs, "DAOYUE_LOADTEST_LIMITS: for load tests only, refused in production")
		}
		c.LoadtestLimits = true
	default:
		errs = append(errs, fmt.Sprintf("DAOYUE_LOADTEST_LIMITS: %q is neither on nor off", v))
	}
	if (c.ZoomClientID == "") != (c.ZoomClientSecret == "") {
		errs = append(errs, "DAOYUE_ZOOM_CLIENT_ID and DAOYUE_ZOOM_CLIENT_SECRET: set both or neither")
	}
	for name := range env {
		if strings.HasPrefix(name, "DAOYUE_") && !knownVars[name] {
			errs = append(errs, name+": unknown variable (misspelt?)")
		}
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return nil, errs
	}
	return c, nil
}

// knownVars are the variables the server reads; the test ones belong to
// `go test` and are tolerated so a developer's shell can keep them.
var knownVars = map[string]bool{
	"DAOYUE_ENV": true, "DAOYUE_ADDR": true, "DAOYUE_BASE_URL": true, "DAOYUE_DATA_DIR": true,
	"DAOYUE_DATABASE_URL": true, "DAOYUE_SECRET_KEYS": true, "DAOYUE_DEMO_EMAIL": true, "DAOYUE_DEMO_PASSWORD": true,
	"DAOYUE_ZOOM_CLIENT_ID": true, "DAOYUE_ZOOM_CLIENT_SECRET": true, "DAOYUE_ZOOM_WEBHOOK_SECRET": true,
	"DAOYUE_ECPAY_ENV": true, "DAOYUE_ZOOM_OAUTH_URL": true, "DAOYUE_ZOOM_API_URL": true, "DAOYUE_SMTP_URL": true, "DAOYUE_MAIL_FROM": true,
	"DAOYUE_STRIPE_SECRET_KEY": true, "DAOYUE_STRIPE_WEBHOOK_SECRET": true, "DAOYUE_STRIPE_API_URL": true,
	"DAOYUE_REVIEW_EMAIL": true, "DAOYUE_TRUSTED_PROXIES": true, "DAOYUE_REVIEW_PASSWORD": true, "DAOYUE_SIGNUP": true,
	"DAOYUE_METRICS_ADDR": true, "DAOYUE_PPROF_ADDR": true, "DAOYUE_LOADTEST_LIMITS": true,
	"DAOYUE_TEST_POSTGRES_URL": true, "DAOYUE_E2E": true,
	// The fault test's knobs (cmd/daoyue/fault_test.go), kept by a shell
	// that ran it.
	"DAOYUE_FAULT_BOOKINGS": true, "DAOYUE_FAULT_CONCURRENCY": true, "DAOYUE_FAULT_DURATION": true,
	"DAOYUE_FAULT_INSTANCES": true, "DAOYUE_FAULT_KILLS": true, "DAOYUE_FAULT_MAX_LATENCY": true,
	"DAOYUE_FAULT_PRACTITIONERS": true, "DAOYUE_FAULT_REPORT": true, "DAOYUE_FAULT_SEED": true,
}

var keyIDRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)

// checkSecretKeys validates "id:base64,id:base64" with 32-byte keys.
func checkSecretKeys(s string) error {
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		id, b64, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok || !keyIDRE.MatchString(id) {
			return fmt.Errorf("entries are id:base64 (e.g. k1:…), separated by commas")
		}
		if seen[id] {
			return fmt.Errorf("key id %q appears twice", id)
		}
		seen[id] = true
		key, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return fmt.Errorf("key %q is not standard base64", id)
		}
		if len(key) != 32 {
			return fmt.Errorf("key %q has %d bytes; AES-256 needs 32", id, len(key))
		}
	}
	return nil
}

// displayAddr turns a listen address into something a browser can open.
func displayAddr(addr string) string {
	if strings.HasPrefix(addr, ":") {
		return "localhost" + addr
	}
	return strings.Replace(addr, "127.0.0.1", "localhost", 1)
}
