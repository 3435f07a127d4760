package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/demo"
	"github.com/daoyue/daoyue/jobs"
	"github.com/daoyue/daoyue/logging"
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
}

// simPrefix is where the built-in Zoom simulator is mounted.
const simPrefix = "/zoomsim"

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
	if m.app.Zoom, err = m.zoom(); err != nil {
		return err
	}
	if m.jobs, err = jobs.New(ctx, db, m.app, m.log, jobs.Options{Work: true}); err != nil {
		return fmt.Errorf("job queue: %w", err)
	}

	var demoPass string
	if !cfg.Production() {
		if demoPass, err = m.seedDemo(ctx); err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
	}

	notice := ""
	if !cfg.Production() {
		notice = "開發模式 Development mode"
	}
	srv := web.New(web.Config{App: m.app, Store: db, Log: m.log, BaseURL: cfg.BaseURL, SecureCookies: cfg.Production(),
		Notice: notice})
	var handler http.Handler = srv
	if m.sim != nil {
		// The simulator is its own site: it sits beside the product's
		// handler, outside its middleware, as Zoom sits outside DaoYue.
		mux := http.NewServeMux()
		mux.Handle(simPrefix+"/", http.StripPrefix(simPrefix, m.sim.Handler()))
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
	m.banner(ln.Addr().String(), demoPass)
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
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = hs.Shutdown(shutdownCtx)
	m.stopJobs()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

func (m *Main) stopJobs() {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := m.jobs.Stop(ctx); err != nil {
		m.log.Warn("stopping job workers", slog.Any("error", err))
	}
}

// zoom builds the Zoom side: the keyring for tokens, and the real Zoom or,
// in development without credentials, the built-in simulator.
func (m *Main) zoom() (*app.Zoom, error) {
	cfg := m.Config
	var keys *secret.Keyring
	var err error
	if cfg.SecretKeys != "" {
		if keys, err = secret.Parse(cfg.SecretKeys); err != nil {
			return nil, fmt.Errorf("DAOYUE_SECRET_KEYS: %w", err)
		}
	} else {
		var created bool
		if keys, created, err = secret.LoadOrCreateDev(cfg.DataDir); err != nil {
			return nil, fmt.Errorf("development secret key: %w", err)
		}
		m.log.Warn("DAOYUE_SECRET_KEYS is not set: Zoom tokens are encrypted with a development key kept in the data folder",
			slog.String("file", filepath.Join(cfg.DataDir, secret.DevKeyFile)), slog.Bool("created", created))
	}
	zc := zoom.Config{ClientID: cfg.ZoomClientID, ClientSecret: cfg.ZoomClientSecret,
		OAuthURL: cfg.ZoomOAuthURL, APIURL: cfg.ZoomAPIURL, RedirectURL: cfg.BaseURL + "/oauth/zoom/callback"}
	z := &app.Zoom{Keys: keys, WebhookSecret: cfg.ZoomWebhookSecret}
	if cfg.ZoomClientID == "" {
		if cfg.Production() {
			return nil, errors.New("DAOYUE_ZOOM_CLIENT_ID: required in production")
		}
		m.sim = zoomsim.New(zoomsim.Options{ClientID: "daoyue-dev-" + randomHex(4), ClientSecret: randomHex(16),
			WebhookSecret: randomHex(16), RedirectURLs: []string{zc.RedirectURL}})
		m.sim.SetBaseURL(cfg.BaseURL + simPrefix)
		zc.ClientID, zc.ClientSecret = m.sim.ClientID(), m.sim.ClientSecret()
		zc.OAuthURL, zc.APIURL = m.sim.URL(), m.sim.APIURL()
		z.WebhookSecret, z.Simulated = m.sim.WebhookSecret(), true
		m.log.Info("no Zoom credentials: using the built-in Zoom simulator", slog.String("url", m.sim.URL()))
	}
	z.Client = zoom.New(zc)
	return z, nil
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

func (m *Main) banner(addr, demoPass string) {
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
	if m.sim != nil {
		fmt.Fprintf(w, "  Zoom:            simulated at %s (no Zoom credentials set)\n", m.sim.URL())
	}
	fmt.Fprintln(w)
}
