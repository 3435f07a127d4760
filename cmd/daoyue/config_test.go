package main

import (
	"os"
	"strings"
	"testing"
)

func TestConfigDevelopmentDefaults(t *testing.T) {
	t.Parallel()
	c, err := LoadConfig(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Env != "development" || c.Addr != "127.0.0.1:8080" || c.BaseURL != "http://localhost:8080" || c.DatabaseURL != "data/daoyue.db" {
		t.Fatalf("unexpected defaults: %+v", c)
	}
}

// Production refuses to start without its secrets and names every missing one.
func TestConfigProductionNamesEveryMissingVariable(t *testing.T) {
	t.Parallel()
	_, err := LoadConfig([]string{"DAOYUE_ENV=production"})
	if err == nil {
		t.Fatal("production started without secrets")
	}
	for _, name := range []string{"DAOYUE_BASE_URL", "DAOYUE_DATABASE_URL", "DAOYUE_SECRET_KEYS", "DAOYUE_ZOOM_CLIENT_ID", "DAOYUE_ZOOM_CLIENT_SECRET", "DAOYUE_ZOOM_WEBHOOK_SECRET"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s:\n%v", name, err)
		}
	}
}

func TestConfigProductionComplete(t *testing.T) {
	t.Parallel()
	c, err := LoadConfig([]string{"DAOYUE_ENV=production", "DAOYUE_BASE_URL=https://daoyue.app",
		"DAOYUE_DATABASE_URL=postgres://db/daoyue", "DAOYUE_SECRET_KEYS=k1:" + strings.Repeat("A", 43) + "=",
		"DAOYUE_ZOOM_CLIENT_ID=id", "DAOYUE_ZOOM_CLIENT_SECRET=s", "DAOYUE_ZOOM_WEBHOOK_SECRET=w"})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Production() || c.Addr != ":8080" {
		t.Fatalf("got %+v", c)
	}
}

// Production refuses Zoom URLs that are not https: tokens travel over them.
func TestConfigProductionZoomHTTPS(t *testing.T) {
	base := []string{"DAOYUE_ENV=production", "DAOYUE_BASE_URL=https://daoyue.app",
		"DAOYUE_DATABASE_URL=postgres://db/daoyue", "DAOYUE_SECRET_KEYS=k1:" + strings.Repeat("A", 43) + "=",
		"DAOYUE_ZOOM_CLIENT_ID=id", "DAOYUE_ZOOM_CLIENT_SECRET=s", "DAOYUE_ZOOM_WEBHOOK_SECRET=w"}
	for _, v := range []string{"DAOYUE_ZOOM_API_URL=http://api.zoom.us/v2", "DAOYUE_ZOOM_OAUTH_URL=http://zoom.us"} {
		_, err := LoadConfig(append(append([]string{}, base...), v))
		if name := strings.SplitN(v, "=", 2)[0]; err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "https") {
			t.Errorf("%s: %v", v, err)
		}
	}
}

// The load test's raised booking limits are for development mode only:
// production refuses to start with them.
func TestConfigLoadtestLimitsRefusedInProduction(t *testing.T) {
	t.Parallel()
	_, err := LoadConfig([]string{"DAOYUE_ENV=production", "DAOYUE_BASE_URL=https://daoyue.app",
		"DAOYUE_DATABASE_URL=postgres://db/daoyue", "DAOYUE_SECRET_KEYS=k1:" + strings.Repeat("A", 43) + "=",
		"DAOYUE_ZOOM_CLIENT_ID=id", "DAOYUE_ZOOM_CLIENT_SECRET=s", "DAOYUE_ZOOM_WEBHOOK_SECRET=w", "DAOYUE_LOADTEST_LIMITS=on"})
	if err == nil || !strings.Contains(err.Error(), "DAOYUE_LOADTEST_LIMITS") {
		t.Fatalf("production accepted DAOYUE_LOADTEST_LIMITS=on: %v", err)
	}
	c, err := LoadConfig([]string{"DAOYUE_LOADTEST_LIMITS=on"})
	if err != nil || !c.LoadtestLimits {
		t.Fatalf("development: %+v, %v", c, err)
	}
}

func TestConfigMalformedValuesNameTheVariable(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"DAOYUE_ENV=staging":                        "DAOYUE_ENV",
		"DAOYUE_BASE_URL=localhost:8080":            "DAOYUE_BASE_URL",
		"DAOYUE_SECRET_KEYS=k1:dG9vIHNob3J0":        "DAOYUE_SECRET_KEYS",
		"DAOYUE_SECRET_KEYS=nocolon":                "DAOYUE_SECRET_KEYS",
		"DAOYUE_ZOOM_API_URL=api.zoom.us":           "DAOYUE_ZOOM_API_URL",
		"DAOYUE_SMTP_URL=mail.example.com":          "DAOYUE_SMTP_URL",
		"DAOYUE_MAIL_FROM=no-reply at daoyue":       "DAOYUE_MAIL_FROM",
		"DAOYUE_ZOOM_CLIENT_ID=only-half":           "DAOYUE_ZOOM_CLIENT_SECRET",
		"DAOYUE_DATABSE_URL=postgres://typo/daoyue": "DAOYUE_DATABSE_URL",
		"DAOYUE_SIGNUP=yes":                         "DAOYUE_SIGNUP",
		"DAOYUE_ECPAY_ENV=sandbox":                  "DAOYUE_ECPAY_ENV",
		"DAOYUE_METRICS_ADDR=9100":                  "DAOYUE_METRICS_ADDR",
		"DAOYUE_PPROF_ADDR=0.0.0.0:6060":            "DAOYUE_PPROF_ADDR",
		"DAOYUE_PPROF_ADDR=example.com:6060":        "DAOYUE_PPROF_ADDR",
		"DAOYUE_LOADTEST_LIMITS=yes":                "DAOYUE_LOADTEST_LIMITS",
	}
	for env, name := range cases {
		_, err := LoadConfig([]string{env})
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: want an error naming %s, got %v", env, name, err)
		}
	}
}

func TestConfigMetricsAndPprofAddrs(t *testing.T) {
	t.Parallel()
	c, err := LoadConfig(nil)
	if err != nil || c.MetricsAddr != "" || c.PprofAddr != "" {
		t.Fatalf("defaults: %+v %v", c, err)
	}
	c, err = LoadConfig([]string{"DAOYUE_METRICS_ADDR=0.0.0.0:9100", "DAOYUE_PPROF_ADDR=127.0.0.1:6060"})
	if err != nil || c.MetricsAddr != "0.0.0.0:9100" || c.PprofAddr != "127.0.0.1:6060" {
		t.Fatalf("got %+v %v", c, err)
	}
	for _, ok := range []string{"localhost:6060", "[::1]:6060"} {
		if _, err := LoadConfig([]string{"DAOYUE_PPROF_ADDR=" + ok}); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}

// Every variable the server reads is documented in README's configuration
// table (the test and fault-test knobs aside).
func TestConfigVariablesInReadme(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for name := range knownVars {
		if strings.HasPrefix(name, "DAOYUE_TEST_") || strings.HasPrefix(name, "DAOYUE_FAULT_") || name == "DAOYUE_E2E" {
			continue
		}
		if !strings.Contains(string(readme), "`"+name+"`") && !strings.Contains(string(readme), name+"`") {
			t.Errorf("%s is not in README.md's configuration table", name)
		}
	}
}

func TestConfigTrustedProxies(t *testing.T) {
	t.Parallel()
	c, err := LoadConfig([]string{"DAOYUE_TRUSTED_PROXIES=10.0.0.0/8, 127.0.0.1 ,::1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxies) != 3 || c.TrustedProxies[1].String() != "127.0.0.1/32" {
		t.Fatalf("got %v", c.TrustedProxies)
	}
	if _, err := LoadConfig([]string{"DAOYUE_TRUSTED_PROXIES=proxy.example"}); err == nil || !strings.Contains(err.Error(), "DAOYUE_TRUSTED_PROXIES") {
		t.Fatalf("bad value: %v", err)
	}
}

// Sign-up is open by default only in development, where its emailed link
// reaches an SMTP server or the development mailbox; never by default in
// production, where opening it needs DAOYUE_SMTP_URL; set either way by
// DAOYUE_SIGNUP.
func TestConfigSignup(t *testing.T) {
	t.Parallel()
	prod := []string{"DAOYUE_ENV=production", "DAOYUE_BASE_URL=https://daoyue.app",
		"DAOYUE_DATABASE_URL=postgres://db/daoyue", "DAOYUE_SECRET_KEYS=k1:" + strings.Repeat("A", 43) + "=",
		"DAOYUE_ZOOM_CLIENT_ID=id", "DAOYUE_ZOOM_CLIENT_SECRET=s", "DAOYUE_ZOOM_WEBHOOK_SECRET=w", "DAOYUE_SMTP_URL=smtp://mail.example:587"}
	for _, c := range []struct {
		env  []string
		want bool
	}{
		{nil, true},
		{[]string{"DAOYUE_SIGNUP=closed"}, false},
		{[]string{"DAOYUE_SMTP_URL=smtp://mail.example:587"}, true},
		{[]string{"DAOYUE_SMTP_URL=smtp://mail.example:587", "DAOYUE_SIGNUP=closed"}, false},
		{prod, false},
		{append(append([]string{}, prod...), "DAOYUE_SIGNUP=open"), true},
	} {
		cfg, err := LoadConfig(c.env)
		if err != nil {
			t.Fatalf("%v: %v", c.env, err)
		}
		if cfg.Signup != c.want {
			t.Errorf("%v: sign-up open %v, want %v", c.env, cfg.Signup, c.want)
		}
	}
	// In production, open sign-up without an SMTP server stops start-up:
	// the verification link could not arrive.
	var noSMTP []string
	for _, v := range prod {
		if !strings.HasPrefix(v, "DAOYUE_SMTP_URL=") {
			noSMTP = append(noSMTP, v)
		}
	}
	if _, err := LoadConfig(append(noSMTP, "DAOYUE_SIGNUP=open")); err == nil || !strings.Contains(err.Error(), "DAOYUE_SIGNUP") {
		t.Errorf("production, open sign-up without SMTP: %v", err)
	}
}

// ECPay: the simulator by default in development, production by default in
// production, where the simulator is refused.
func TestConfigECPayEnv(t *testing.T) {
	t.Parallel()
	c, err := LoadConfig(nil)
	if err != nil || c.ECPayEnv != "simulator" {
		t.Fatalf("development default: %v %v", c, err)
	}
	if c, err = LoadConfig([]string{"DAOYUE_ECPAY_ENV=stage"}); err != nil || c.ECPayEnv != "stage" {
		t.Fatalf("stage: %v", err)
	}
	prod := []string{"DAOYUE_ENV=production", "DAOYUE_BASE_URL=https://daoyue.app",
		"DAOYUE_DATABASE_URL=postgres://db/daoyue", "DAOYUE_SECRET_KEYS=k1:" + strings.Repeat("A", 43) + "=",
		"DAOYUE_ZOOM_CLIENT_ID=id", "DAOYUE_ZOOM_CLIENT_SECRET=s", "DAOYUE_ZOOM_WEBHOOK_SECRET=w"}
	if c, err = LoadConfig(prod); err != nil || c.ECPayEnv != "production" {
		t.Fatalf("production default: %v", err)
	}
	if _, err = LoadConfig(append(prod, "DAOYUE_ECPAY_ENV=simulator")); err == nil || !strings.Contains(err.Error(), "DAOYUE_ECPAY_ENV") {
		t.Fatalf("simulator in production: %v", err)
	}
}

// Stripe's keys come both or neither, each in its own shape; the error
// names the variable and never echoes a key.
func TestConfigStripe(t *testing.T) {
	t.Parallel()
	c, err := LoadConfig([]string{"DAOYUE_STRIPE_SECRET_KEY=sk_test_abc", "DAOYUE_STRIPE_WEBHOOK_SECRET=whsec_xyz",
		"DAOYUE_STRIPE_API_URL=http://127.0.0.1:9999"})
	if err != nil || c.StripeSecretKey != "sk_test_abc" || c.StripeWebhookSecret != "whsec_xyz" || c.StripeAPIURL != "http://127.0.0.1:9999" {
		t.Fatalf("both set: %+v %v", c, err)
	}
	if c, err = LoadConfig(nil); err != nil || c.StripeSecretKey != "" || c.StripeAPIURL != "https://api.stripe.com" {
		t.Fatalf("defaults: %v", err)
	}
	for _, env := range [][]string{
		{"DAOYUE_STRIPE_SECRET_KEY=sk_test_abc"},
		{"DAOYUE_STRIPE_WEBHOOK_SECRET=whsec_xyz"},
		{"DAOYUE_STRIPE_SECRET_KEY=pk_test_public", "DAOYUE_STRIPE_WEBHOOK_SECRET=whsec_xyz"},
		{"DAOYUE_STRIPE_SECRET_KEY=sk_test_abc", "DAOYUE_STRIPE_WEBHOOK_SECRET=secret"},
	} {
		_, err := LoadConfig(env)
		if err == nil || !strings.Contains(err.Error(), "DAOYUE_STRIPE_") {
			t.Errorf("%v: %v", env, err)
		} else if strings.Contains(err.Error(), "pk_test_public") || strings.Contains(err.Error(), "sk_test_abc") {
			t.Errorf("%v: the error echoes a key: %v", env, err)
		}
	}
}
