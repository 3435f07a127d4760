package main

import (
	"context"
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
	"github.com/daoyue/daoyue/logging"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/web"
)

// Main is the running program: it wires the parts and owns their lifetimes,
// so a test can run the whole product on a free port.
type Main struct {
	Config *Config
	Stdout io.Writer
	Stderr io.Writer

	// Ready, when set, receives the listening address once serving.
	Ready chan<- string

	log *slog.Logger
	db  *store.DB
	app *app.App
}

// Run serves until ctx is cancelled, then shuts down gracefully.
func (m *Main) Run(ctx context.Context) error {
	cfg := m.Config
	m.log = logging.New(m.Stderr, cfg.Production(), slog.LevelInfo)
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
	srv := web.New(web.Config{App: m.app, Store: db, Log: m.log, BaseURL: cfg.BaseURL, SecureCookies: cfg.Production(), Notice: notice})
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (DAOYUE_ADDR): %w", cfg.Addr, err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}

	m.banner(ln.Addr().String(), demoPass)
	if m.Ready != nil {
		m.Ready <- ln.Addr().String()
	}

	bg, stopBG := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); m.expireLoop(bg) }()

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		stopBG()
		<-done
		return err
	case <-ctx.Done():
	}
	m.log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = hs.Shutdown(shutdownCtx)
	stopBG()
	<-done
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// expireLoop frees unpaid bookings whose payment deadline passed. It runs
// on every instance; the transition itself is checked inside a transaction,
// so two instances never expire one booking twice.
func (m *Main) expireLoop(ctx context.Context) {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		if n, err := m.app.ExpireDue(ctx); err != nil && ctx.Err() == nil {
			m.log.Error("expire unpaid bookings", slog.Any("error", err))
		} else if n > 0 {
			m.log.Info("expired unpaid bookings", slog.Int("count", n))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
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
	fmt.Fprintln(w)
}
