package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	netmail "net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/demo"
	"github.com/daoyue/daoyue/ecpay"
	"github.com/daoyue/daoyue/ecpay/ecpaysim"
	"github.com/daoyue/daoyue/jobs"
	"github.com/daoyue/daoyue/line"
	"github.com/daoyue/daoyue/line/linesim"
	"github.com/daoyue/daoyue/logging"
	"github.com/daoyue/daoyue/metrics"
	"github.com/daoyue/daoyue/notify"
	"github.com/daoyue/daoyue/notify/devmail"
	"github.com/daoyue/daoyue/secret"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/web"
	"github.com/daoyue/daoyue/zoom"
	"github.com/daoyue/daoyue/zoom/zoomsim"
)

// Main is the running program: it wires the parts and owns their lifetimes,
// so a test can run the whole product on a free port.
type Main struct {
	Config *Config
	Stdout io.Writer
	Stderr io.Writer

	// Ready, when set, receives the base URL once serving.
	Ready chan<- string

	log  *slog.Logger
	db   *store.DB
	app  *app.App
	sim  *zoomsim.Sim
	jobs *jobs.Runner
	mail *devmail.Box // the development mailbox, when DAOYUE_SMTP_URL is unset
	// ecsim is the built-in ECPay simulator (DAOYUE_ECPAY_ENV=simulator).
	ecsim *ecpaysim.Sim
	// linesim is the built-in LINE simulator (development).
	linesim *linesim.Sim
}

// ecpaySimPrefix is where the built-in ECPay simulator is mounted.
const ecpaySimPrefix = "/ecpaysim"

// buildECPay points the ECPay client at ECPay's stage or production host,
// or at the built-in simulator served at {BASE_URL}/ecpaysim.
func buildECPay(cfg *Config) (*app.ECPay, *ecpaysim.Sim) {
	switch cfg.ECPayEnv {
	case "simulator":
		sim := ecpaysim.New(ecpaysim.Options{})
		sim.SetBaseURL(cfg.BaseURL + ecpaySimPrefix)
		c := ecpay.New(ecpay.Config{PaymentURL: sim.URL(), InvoiceURL: sim.URL(), Now: sim.Now})
		return &app.ECPay{Client: c, PaymentURL: sim.URL()}, sim
	case "stage":
		return &app.ECPay{Client: ecpay.New(ecpay.Config{PaymentURL: ecpay.StagePaymentURL, InvoiceURL: ecpay.StageInvoiceURL}),
			PaymentURL: ecpay.StagePaymentURL}, nil
	}
	return &app.ECPay{Client: ecpay.New(ecpay.Config{PaymentURL: ecpay.ProdPaymentURL, InvoiceURL: ecpay.ProdInvoiceURL}),
		PaymentURL: ecpay.ProdPaymentURL, Production: true}, nil
}

// lineSimPrefix is where the built-in LINE simulator is mounted.
const lineSimPrefix = "/linesim"

// buildLine talks to the real LINE in production and to the built-in
// simulator, served at {BASE_URL}/linesim, in development.
func buildLine(cfg *Config) (*app.Line, *linesim.Sim) {
	if cfg.Production() {
		return &app.Line{}, nil
	}
	sim := linesim.New(linesim.Options{})
	sim.SetBaseURL(cfg.BaseURL + lineSimPrefix)
	return &app.Line{APIURL: sim.URL(), AccessURL: sim.URL(), SimulatorURL: sim.URL() + "/"}, sim
}

// seedLine connects the demo studio to the simulator's channel and points
// the channel's webhook at the studio's webhook URL.
func (m *Main) seedLine(ctx context.Context) error {
	ch := linesim.DefaultChannel()
	basic := ch.BasicID
	err := m.app.SeedLineAccount(ctx, demo.Slug, ch.ID, ch.Secret, line.BotInfo{BasicID: basic, DisplayName: ch.DisplayName})
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return nil
	} else if err != nil {
		return err
	}
	hook, err := m.app.LineHookURL(ctx, demo.Slug)
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return nil
	} else if err != nil {
		return err
	}
	m.linesim.SetWebhook(ch.ID, m.Config.BaseURL+hook, true)
	return nil
}

// devmailPrefix is where the development mailbox is shown.
const devmailPrefix = "/devmail"

// simPrefix is where the built-in Zoom simulator is mounted.
const simPrefix = "/zoomsim"

// simStateFile (in the data folder) keeps the simulator's users'
// authorizations and meetings across restarts.
const simStateFile = "zoomsim-state.json"

// reviewPassFile (in the data folder, development only) keeps the review
// sandbox's generated reviewer password, so every start can say where it is.
const reviewPassFile = "review-password.txt"

// Run serves until ctx is cancelled, then shuts down gracefully.
func (m *Main) Run(ctx context.Context) error {
	cfg := m.Config
	m.log = logging.New(m.Stderr, cfg.Production(), slog.LevelInfo)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (DAOYUE_ADDR): %w", cfg.Addr, err)
	}
	defer ln.Close()
	if cfg.BaseURLFromAddr {
		cfg.BaseURL = "http://" + displayAddr(ln.Addr().String())
	}

	if strings.HasPrefix(cfg.DatabaseURL, "postgres") {
		m.log.Info("opening database", slog.String("kind", "postgres"))
	} else {
		m.log.Info("opening database", slog.String("kind", "sqlite"), slog.String("path", cfg.DatabaseURL))
	}
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	m.db = db
	defer db.Close()
	m.app = app.New(db, m.log)
	met := metrics.New(db.SQL(), m.log)
	m.app.Observer = met
	if !cfg.Production() {
		// One developer trying the demo books many times from one address
		// with one email: the same kind of limits, ten times looser.
		m.app.Limits = app.DevelopmentLimits
	}
	if cfg.LoadtestLimits {
		// Never in production (config refuses it): the loadtest books
		// thousands of times from 254 addresses without proofs of work.
		m.app.Limits = app.LoadtestLimits
		m.log.Warn("DAOYUE_LOADTEST_LIMITS=on: public booking limits raised 10,000x for a load test")
	}
	if m.app.Zoom, err = m.zoom(met); err != nil {
		return err
	}
	if !cfg.Production() && cfg.SMTPURL == "" {
		// Development without an SMTP server: every email goes over SMTP to
		// the built-in mailbox, shown at /devmail, so nothing leaves the
		// machine and every link can be followed.
		if m.mail, err = devmail.Start("127.0.0.1:0"); err != nil {
			return fmt.Errorf("development mailbox: %w", err)
		}
		defer m.mail.Close()
		withBox := *cfg
		withBox.SMTPURL = m.mail.URL()
		cfg = &withBox
	}
	if m.app.Mail, err = buildMail(cfg, m.log); err != nil {
		return err
	}
	if c, ok := m.app.Mail.Sender.(io.Closer); ok {
		defer c.Close() // QUIT on the kept SMTP connections (after the jobs stop)
	}
	m.app.ECPay, m.ecsim = buildECPay(cfg)
	if cfg.StripeSecretKey != "" {
		m.app.Stripe = app.NewStripe(cfg.StripeSecretKey, cfg.StripeWebhookSecret, cfg.StripeAPIURL)
	}
	m.app.Line, m.linesim = buildLine(cfg)
	if m.jobs, err = jobs.New(ctx, db, m.app, m.log, jobs.Options{Work: true, SandboxReset: m.scheduledSandboxReset, Observer: met}); err != nil {
		return fmt.Errorf("job queue: %w", err)
	}

	var demoPass string
	var sandbox *app.SandboxResult
	if !cfg.Production() {
		if demoPass, err = m.seedDemo(ctx); err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
		if m.ecsim != nil {
			// The demo studio takes payments through the simulator's
			// merchant (ECPay's public stage merchant).
			sm := ecpaysim.StageMerchant
			err := m.app.SeedECPayAccount(ctx, demo.Slug, app.ECPayAccountChanges{MerchantID: sm.ID, HashKey: sm.HashKey, HashIV: sm.HashIV, Enabled: true})
			if err != nil && !daoyue.IsCode(err, daoyue.ENOTFOUND) {
				return fmt.Errorf("demo ECPay merchant: %w", err)
			}
			// And issues e-invoices through the simulator's invoice merchant.
			im := ecpaysim.StageInvoiceMerchant
			err = m.app.SeedECPayInvoiceAccount(ctx, demo.Slug, app.ECPayAccountChanges{MerchantID: im.ID, HashKey: im.HashKey, HashIV: im.HashIV, Enabled: true})
			if err != nil && !daoyue.IsCode(err, daoyue.ENOTFOUND) {
				return fmt.Errorf("demo e-invoice merchant: %w", err)
			}
		}
		if m.linesim != nil {
			if err := m.seedLine(ctx); err != nil {
				return fmt.Errorf("demo LINE account: %w", err)
			}
		}
		if sandbox, err = m.firstSandbox(ctx); err != nil {
			return fmt.Errorf("review sandbox: %w", err)
		}
	}

	notice := ""
	if !cfg.Production() {
		notice = "開發模式 Development mode"
	}
	// /metrics: on its own address when DAOYUE_METRICS_ADDR is set, else
	// on this one for loopback only (web.Server.metrics).
	var metricsHere http.Handler
	if cfg.MetricsAddr == "" {
		metricsHere = met.Handler()
	} else {
		stop, err := serveAside(ctx, m.log, "metrics", cfg.MetricsAddr, metricsMux(met))
		if err != nil {
			return err
		}
		defer stop()
	}
	if cfg.PprofAddr != "" {
		stop, err := serveAside(ctx, m.log, "pprof", cfg.PprofAddr, pprofMux())
		if err != nil {
			return err
		}
		defer stop()
	}
	srv := web.New(web.Config{App: m.app, Store: db, Log: m.log, BaseURL: cfg.BaseURL, SecureCookies: cfg.Production(), HSTS: cfg.Production(),
		Notice: notice, ZoomWebhookSecret: m.app.Zoom.WebhookSecret, ZoomSimulated: m.sim != nil, TrustedProxies: cfg.TrustedProxies,
		Signup: cfg.Signup, ObserveRequest: met.Request, Metrics: metricsHere})
	var handler http.Handler = srv
	if m.sim != nil || m.mail != nil || m.ecsim != nil || m.linesim != nil {
		// The simulators and the mailbox are their own sites: they sit
		// beside the product's handler, outside its middleware, as Zoom,
		// ECPay and a mail server sit outside DaoYue.
		mux := http.NewServeMux()
		if m.sim != nil {
			mux.Handle(simPrefix+"/", http.StripPrefix(simPrefix, m.sim.Handler()))
		}
		if m.mail != nil {
			mux.Handle(devmailPrefix+"/", m.mail.Handler(devmailPrefix))
			mux.Handle(devmailPrefix, http.RedirectHandler(devmailPrefix+"/", http.StatusFound))
		}
		if m.linesim != nil {
			mux.Handle(lineSimPrefix+"/", http.StripPrefix(lineSimPrefix, m.linesim.Handler()))
			mux.Handle(lineSimPrefix, http.RedirectHandler(lineSimPrefix+"/", http.StatusFound))
		}
		if m.ecsim != nil {
			m.ecsim.Mount(mux, ecpaySimPrefix)
			go m.ecsim.Run(ctx)
		}
		mux.Handle("/", srv)
		handler = mux
	}
	hs := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}

	// Jobs start once the server can answer: in development the simulator
	// that meeting syncs call is served by this very process.
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	if err := m.jobs.Start(ctx); err != nil {
		return fmt.Errorf("start job workers: %w", err)
	}
	m.banner(ln.Addr().String(), demoPass, sandbox)
	if m.Ready != nil {
		m.Ready <- cfg.BaseURL
	}

	select {
	case err := <-errc:
		m.stopJobs()
		return err
	case <-ctx.Done():
	}
	m.log.Info("shutting down")
	// The job workers stop beside the HTTP server rather than after it, so
	// the wait for Zoom calls in flight does not add to the wait for
	// requests.
	jobsStopped := make(chan struct{})
	go func() { m.stopJobs(); close(jobsStopped) }()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = hs.Shutdown(shutdownCtx)
	<-jobsStopped
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// jobsStopTimeout is how long a stop waits for running jobs before it
// cancels them: longer than a Zoom call may take (the client's 15 s
// timeout) plus the sync's own writes, so a meeting sync in flight
// finishes and records what Zoom answered instead of leaving a create
// whose outcome nobody learns.
const jobsStopTimeout = 25 * time.Second

func (m *Main) stopJobs() {
	ctx, cancel := context.WithTimeout(context.Background(), jobsStopTimeout)
	defer cancel()
	if err := m.jobs.Stop(ctx); err != nil {
		m.log.Warn("stopping job workers", slog.Any("error", err))
	}
}

// zoom builds the Zoom side for serve; with the simulator it is kept to be
// mounted beside the product. Its calls are counted in met.
func (m *Main) zoom(met *metrics.Metrics) (*app.Zoom, error) {
	z, sim, err := buildZoom(m.Config, m.log)
	m.sim = sim
	if err == nil && z.Client != nil {
		z.Client = zoom.New(zoomConfig(m.Config, sim, &http.Client{Timeout: 15 * time.Second, Transport: met.ZoomTransport(nil)}))
	}
	return z, err
}

// metricsMux serves /metrics alone (DAOYUE_METRICS_ADDR).
func metricsMux(met *metrics.Metrics) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", met.Handler())
	return mux
}

// pprofMux serves net/http/pprof's pages (DAOYUE_PPROF_ADDR, loopback
// only: the configuration refuses any other host).
func pprofMux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// serveAside serves h on its own listener at addr until stop is called.
func serveAside(ctx context.Context, log *slog.Logger, what, addr string, h http.Handler) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for %s on %s: %w", what, addr, err)
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	log.Info("serving "+what, slog.String("addr", ln.Addr().String()))
	return func() { _ = hs.Close() }, nil
}

// buildZoom makes the keyring for tokens and the Zoom client: the real Zoom
// or, in development without credentials, the built-in simulator served at
// {BASE_URL}/zoomsim by `daoyue serve`. The simulator's credentials are kept
// in the data folder, so the command line talks to the running server's
// simulator with the same ones.
func buildZoom(cfg *Config, log *slog.Logger) (*app.Zoom, *zoomsim.Sim, error) {
	var keys *secret.Keyring
	var err error
	if cfg.SecretKeys != "" {
		if keys, err = secret.Parse(cfg.SecretKeys); err != nil {
			return nil, nil, fmt.Errorf("DAOYUE_SECRET_KEYS: %w", err)
		}
	} else {
		var created bool
		if keys, created, err = secret.LoadOrCreateDev(cfg.DataDir); err != nil {
			return nil, nil, fmt.Errorf("development secret key: %w", err)
		}
		log.Warn("DAOYUE_SECRET_KEYS is not set: Zoom tokens are encrypted with a development key kept in the data folder",
			slog.String("file", filepath.Join(cfg.DataDir, secret.DevKeyFile)), slog.Bool("created", created))
	}
	zc := zoomConfig(cfg, nil, nil)
	z := &app.Zoom{Keys: keys, WebhookSecret: cfg.ZoomWebhookSecret}
	var sim *zoomsim.Sim
	if cfg.ZoomClientID == "" {
		if cfg.Production() {
			return nil, nil, errors.New("DAOYUE_ZOOM_CLIENT_ID: required in production")
		}
		creds, err := simCredentials(cfg.DataDir)
		if err != nil {
			return nil, nil, fmt.Errorf("zoom simulator credentials: %w", err)
		}
		// Its users' authorizations and meetings are kept in the data
		// folder too, so a restart changes nothing.
		sim, err = zoomsim.Open(zoomsim.Options{ClientID: creds.ClientID, ClientSecret: creds.ClientSecret,
			WebhookSecret: creds.WebhookSecret, RedirectURLs: []string{zc.RedirectURL},
			StateFile: filepath.Join(cfg.DataDir, simStateFile)})
		if err != nil {
			return nil, nil, fmt.Errorf("zoom simulator state: %w", err)
		}
		sim.SetBaseURL(cfg.BaseURL + simPrefix)
		zc = zoomConfig(cfg, sim, nil)
		z.WebhookSecret, z.Simulated = creds.WebhookSecret, true
	}
	z.Client = zoom.New(zc)
	return z, sim, nil
}

// zoomConfig is the Zoom client's configuration: the real Zoom's from cfg,
// or the simulator's (its credentials are in the data folder); hc nil is
// the client's default HTTP client.
func zoomConfig(cfg *Config, sim *zoomsim.Sim, hc *http.Client) zoom.Config {
	zc := zoom.Config{ClientID: cfg.ZoomClientID, ClientSecret: cfg.ZoomClientSecret,
		OAuthURL: cfg.ZoomOAuthURL, APIURL: cfg.ZoomAPIURL, RedirectURL: cfg.BaseURL + "/oauth/zoom/callback", HTTPClient: hc}
	if sim != nil {
		if creds, err := simCredentials(cfg.DataDir); err == nil {
			zc.ClientID, zc.ClientSecret = creds.ClientID, creds.ClientSecret
		}
		zc.OAuthURL, zc.APIURL = sim.URL(), sim.APIURL()
	}
	return zc
}

// buildMail configures client emails: the sender address (DAOYUE_MAIL_FROM,
// or no-reply at the base URL's host) and, when DAOYUE_SMTP_URL is set, the
// SMTP sender. Without it every message is kept in its studio's outbox,
// unsent.
func buildMail(cfg *Config, log *slog.Logger) (app.Mail, error) {
	mail := app.Mail{BaseURL: cfg.BaseURL}
	from := cfg.MailFrom
	if from == "" {
		host := "localhost"
		if u, err := url.Parse(cfg.BaseURL); err == nil && u.Hostname() != "" {
			host = u.Hostname()
		}
		from = "DaoYue <no-reply@" + host + ">"
	}
	addr, err := netmail.ParseAddress(from)
	if err != nil {
		return mail, fmt.Errorf("DAOYUE_MAIL_FROM: %q is not an email address such as DaoYue <no-reply@daoyue.app>", from)
	}
	mail.From = addr.Address
	if cfg.SMTPURL == "" {
		log.Warn("DAOYUE_SMTP_URL is not set: emails to clients are kept in each studio's outbox (寄件匣) and not sent")
		return mail, nil
	}
	s, err := notify.NewSMTP(cfg.SMTPURL, from)
	if err != nil {
		return mail, fmt.Errorf("DAOYUE_SMTP_URL: %w", err)
	}
	mail.Sender = s
	log.Info("client emails are sent by SMTP", slog.String("server", s.String()), slog.String("from", mail.From))
	return mail, nil
}

type simCreds struct {
	ClientID, ClientSecret, WebhookSecret string
}

// simCredentials loads or creates the simulator's credentials (mode 0600).
func simCredentials(dir string) (*simCreds, error) {
	path := filepath.Join(dir, "zoomsim.json")
	var c simCreds
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &c); err == nil && c.ClientID != "" {
			return &c, nil
		}
	}
	c = simCreds{ClientID: "daoyue-dev-" + randomHex(4), ClientSecret: randomHex(16), WebhookSecret: randomHex(16)}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	b, _ := json.Marshal(c)
	return &c, os.WriteFile(path, b, 0o600)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// seedDemo creates the demo workspace on first start and returns the
// owner's password. A generated password is kept in the data folder
// (mode 0600) so later starts can print it again.
func (m *Main) seedDemo(ctx context.Context) (string, error) {
	cfg := m.Config
	pass := cfg.DemoPass
	passFile := filepath.Join(cfg.DataDir, "demo-password.txt")
	if pass == "" {
		if b, err := os.ReadFile(passFile); err == nil {
			pass = strings.TrimSpace(string(b))
		}
	}
	generated := false
	if pass == "" {
		pass, generated = daoyue.NewToken()[:16], true
	}
	st, err := demo.Seed(ctx, m.app, cfg.DemoEmail, pass)
	if err != nil {
		return "", err
	}
	if st != nil && generated {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return "", err
		}
		if err := os.WriteFile(passFile, []byte(pass+"\n"), 0o600); err != nil {
			return "", err
		}
	}
	if st == nil && generated {
		// The demo exists but its password was neither given nor kept.
		return "", nil
	}
	return pass, nil
}

// firstSandbox creates the zoom-review sandbox on the first start in
// development; an existing one is left alone (resets run daily and on
// command).
func (m *Main) firstSandbox(ctx context.Context) (*app.SandboxResult, error) {
	err := m.db.View(ctx, func(tx daoyue.Tx) error {
		_, err := tx.WorkspaceBySlug(ctx, app.ReviewSlug)
		return err
	})
	if err == nil {
		return nil, nil
	}
	if !daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return nil, err
	}
	res, err := m.app.ResetReviewSandbox(ctx, m.Config.ReviewEmail, m.Config.ReviewPassword)
	if err == nil {
		err = keepReviewPassword(m.Config, res.Password)
	}
	return res, err
}

// keepReviewPassword writes a generated reviewer password into the data
// folder (mode 0600) in development, as the demo password is kept.
func keepReviewPassword(cfg *Config, pass string) error {
	if pass == "" || cfg.Production() {
		return nil
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(cfg.DataDir, reviewPassFile), []byte(pass+"\n"), 0o600)
}

// scheduledSandboxReset is the daily reset; it leaves a missing sandbox missing.
func (m *Main) scheduledSandboxReset(ctx context.Context) error {
	err := m.db.View(ctx, func(tx daoyue.Tx) error {
		_, err := tx.WorkspaceBySlug(ctx, app.ReviewSlug)
		return err
	})
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return nil
	} else if err != nil {
		return err
	}
	res, err := m.app.ResetReviewSandbox(ctx, m.Config.ReviewEmail, m.Config.ReviewPassword)
	if err == nil {
		m.log.Info("review sandbox reset", slog.Int("bookings_removed", res.BookingsRemove), slog.Int("kept_for_zoom", res.MeetingsKept))
	}
	return err
}

func (m *Main) banner(addr, demoPass string, sandbox *app.SandboxResult) {
	cfg := m.Config
	w := m.Stdout
	fmt.Fprintf(w, "\nDaoYue 導約 is running (%s mode) on %s\n", cfg.Env, addr)
	fmt.Fprintf(w, "  Open:            %s/\n", cfg.BaseURL)
	if !cfg.Production() {
		fmt.Fprintf(w, "  Demo booking:    %s/w/%s\n", cfg.BaseURL, demo.Slug)
		fmt.Fprintf(w, "  Admin sign-in:   %s/admin/login\n", cfg.BaseURL)
		fmt.Fprintf(w, "    email:         %s\n", cfg.DemoEmail)
		if demoPass != "" {
			fmt.Fprintf(w, "    password:      %s\n", demoPass)
		} else {
			fmt.Fprintf(w, "    password:      (set earlier; set DAOYUE_DEMO_PASSWORD to choose a new one)\n")
		}
		fmt.Fprintf(w, "  Data folder:     %s\n", cfg.DataDir)
	}
	if !cfg.Production() {
		// Every start says where the reviewer's sign-in is, not only the
		// first one that created it.
		fmt.Fprintf(w, "  Review sandbox:  %s/w/%s  (admin: %s/admin/%s/availability)\n", cfg.BaseURL, app.ReviewSlug, cfg.BaseURL, app.ReviewSlug)
		fmt.Fprintf(w, "    reviewer:      %s\n", daoyue.NormalizeEmail(cfg.ReviewEmail))
		passFile := filepath.Join(cfg.DataDir, reviewPassFile)
		switch {
		case cfg.ReviewPassword != "":
			fmt.Fprintf(w, "    password:      (DAOYUE_REVIEW_PASSWORD)\n")
		case sandbox != nil && sandbox.Password != "":
			fmt.Fprintf(w, "    password:      %s   (kept in %s)\n", sandbox.Password, passFile)
		default:
			if b, err := os.ReadFile(passFile); err == nil && strings.TrimSpace(string(b)) != "" {
				fmt.Fprintf(w, "    password:      %s   (kept in %s)\n", strings.TrimSpace(string(b)), passFile)
			} else {
				fmt.Fprintf(w, "    password:      (set earlier; set DAOYUE_REVIEW_PASSWORD to choose a new one)\n")
			}
		}
	}
	if m.sim != nil {
		fmt.Fprintf(w, "  Zoom:            simulated at %s (no Zoom credentials set)\n", m.sim.URL())
	}
	if m.ecsim != nil {
		fmt.Fprintf(w, "  ECPay:           simulated at %s (DAOYUE_ECPAY_ENV=simulator); the demo studio pays through it\n", m.ecsim.URL())
	}
	if m.linesim != nil {
		fmt.Fprintf(w, "  LINE:            simulated at %s/ ; the demo studio's LINE account is the simulator's channel\n", m.linesim.URL())
	}
	if m.mail != nil {
		fmt.Fprintf(w, "  Email:           caught by the development mailbox at %s%s/ (DAOYUE_SMTP_URL unset)\n", cfg.BaseURL, devmailPrefix)
	} else if s, ok := m.app.Mail.Sender.(fmt.Stringer); ok {
		fmt.Fprintf(w, "  Email:           sent through %s as %s\n", s, m.app.Mail.From)
	} else {
		fmt.Fprintf(w, "  Email:           not sent (DAOYUE_SMTP_URL unset): kept in each studio's outbox, /admin/{studio}/outbox\n")
	}
	if cfg.Signup {
		fmt.Fprintf(w, "  Sign-up:         open at %s/signup (DAOYUE_SIGNUP)\n", cfg.BaseURL)
	} else {
		fmt.Fprintf(w, "  Sign-up:         closed: studios come from daoyue workspace create (DAOYUE_SIGNUP)\n")
	}
	fmt.Fprintln(w)
}
