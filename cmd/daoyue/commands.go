package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/i18n"
	"github.com/daoyue/daoyue/logging"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/zoom/zoomsim"
)

// openApp opens the configured database for a one-shot command.
func openApp(ctx context.Context, environ []string) (*app.App, func(), error) {
	cfg, err := LoadConfig(environ)
	if err != nil {
		return nil, nil, err
	}
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, nil, fmt.Errorf("open database: %w", err)
	}
	return app.New(db, logging.Discard()), func() { db.Close() }, nil
}

func cmdMigrate(ctx context.Context, environ []string, stdout io.Writer) error {
	cfg, err := LoadConfig(environ)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DatabaseURL) // Open migrates
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer db.Close()
	fmt.Fprintln(stdout, "migrations applied")
	return nil
}

func cmdWorkspace(ctx context.Context, args, environ []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("usage: daoyue workspace create --slug S --name N [--time-zone Asia/Taipei]")
	}
	fs := flag.NewFlagSet("workspace create", flag.ContinueOnError)
	slug := fs.String("slug", "", "address of the workspace (lowercase letters, digits, hyphens)")
	name := fs.String("name", "", "the studio's name")
	tz := fs.String("time-zone", daoyue.DefaultTimeZone, "IANA time zone")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	a, closeDB, err := openApp(ctx, environ)
	if err != nil {
		return err
	}
	defer closeDB()
	ws := &daoyue.Workspace{Slug: *slug, Name: *name, TimeZone: *tz}
	if err := a.CreateWorkspace(ctx, ws); err != nil {
		return explain(err)
	}
	fmt.Fprintf(stdout, "workspace %q created (%s)\n", ws.Slug, ws.TimeZone)
	return nil
}

func cmdUser(ctx context.Context, args, environ []string, stdout io.Writer) error {
	const usage = "usage: daoyue user create --workspace S --email E --password P --role owner|admin|staff [--name N]\n" +
		"       daoyue user reset-password --email E --password P"
	if len(args) == 0 {
		return errors.New(usage)
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	email := fs.String("email", "", "sign-in email")
	pass := fs.String("password", "", "password (at least 10 characters)")
	switch args[0] {
	case "create":
		slug := fs.String("workspace", "", "workspace slug")
		name := fs.String("name", "", "display name")
		role := fs.String("role", "", "owner, admin or staff (required)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *role == "" {
			return errors.New("user create: --role is required (owner, admin or staff)")
		}
		a, closeDB, err := openApp(ctx, environ)
		if err != nil {
			return err
		}
		defer closeDB()
		u, err := a.CreateUser(ctx, *slug, *email, *name, *pass, daoyue.Role(*role))
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "%s is now %s of %q\n", u.Email, *role, *slug)
		return nil
	case "reset-password":
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		a, closeDB, err := openApp(ctx, environ)
		if err != nil {
			return err
		}
		defer closeDB()
		if err := a.ResetPassword(ctx, *email, *pass); err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "password of %s replaced; every session and API token of theirs has ended\n", daoyue.NormalizeEmail(*email))
		return nil
	}
	return errors.New(usage)
}

// explain turns a domain error into a line an operator can act on, in English.
func explain(err error) error {
	var e *daoyue.Error
	if !errors.As(err, &e) {
		return err
	}
	msg := i18n.T(i18n.EN, e.Key, e.Args)
	var fields []string
	for f, k := range e.Fields {
		fields = append(fields, "--"+strings.ReplaceAll(f, "_", "-")+": "+i18n.T(i18n.EN, k, nil))
	}
	sort.Strings(fields)
	if len(fields) > 0 {
		msg += "\n  " + strings.Join(fields, "\n  ")
	}
	return errors.New(msg)
}

// openZoomApp is openApp with Zoom configured as serve configures it.
func openZoomApp(ctx context.Context, environ []string) (*app.App, *Config, func(), error) {
	cfg, err := LoadConfig(environ)
	if err != nil {
		return nil, nil, nil, err
	}
	log := logging.New(io.Discard, false, 0)
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("open database: %w", err)
	}
	a := app.New(db, log)
	if a.Zoom, _, err = buildZoom(cfg, log); err != nil {
		db.Close()
		return nil, nil, nil, err
	}
	return a, cfg, func() { db.Close() }, nil
}

func cmdSandbox(ctx context.Context, args, environ []string, stdout io.Writer) error {
	if len(args) != 2 || args[0] != "reset" || args[1] != app.ReviewSlug {
		return fmt.Errorf("usage: daoyue sandbox reset %s", app.ReviewSlug)
	}
	a, cfg, closeDB, err := openZoomApp(ctx, environ)
	if err != nil {
		return err
	}
	defer closeDB()
	res, err := a.ResetReviewSandbox(ctx, cfg.ReviewEmail, cfg.ReviewPassword)
	if err != nil {
		return explain(err)
	}
	verb := "reset"
	if res.Created {
		verb = "created"
	}
	fmt.Fprintf(stdout, "sandbox %q %s: %d bookings removed\n", app.ReviewSlug, verb, res.BookingsRemove)
	fmt.Fprintf(stdout, "  public page:  %s/w/%s\n  admin:        %s/admin/%s/availability\n  reviewer:     %s\n",
		cfg.BaseURL, app.ReviewSlug, cfg.BaseURL, app.ReviewSlug, res.ReviewerEmail)
	if res.Password != "" {
		if err := keepReviewPassword(cfg, res.Password); err != nil {
			return err
		}
		if cfg.Production() {
			fmt.Fprintf(stdout, "  password:     %s   (shown once)\n", res.Password)
		} else {
			fmt.Fprintf(stdout, "  password:     %s   (kept in %s)\n", res.Password, filepath.Join(cfg.DataDir, reviewPassFile))
		}
	}
	if res.MeetingsKept > 0 {
		fmt.Fprintf(stdout, "  %d cancelled bookings kept: Zoom could not delete their meetings yet (run again later)\n", res.MeetingsKept)
	}
	return nil
}

func cmdKeys(ctx context.Context, args, environ []string, stdout io.Writer) error {
	if len(args) != 1 || args[0] != "reencrypt" {
		return fmt.Errorf("usage: daoyue keys reencrypt   (after putting a new key first in DAOYUE_SECRET_KEYS)")
	}
	a, _, closeDB, err := openZoomApp(ctx, environ)
	if err != nil {
		return err
	}
	defer closeDB()
	n, err := a.ReencryptTokens(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d Zoom connections re-encrypted under key %q\n", n, a.Zoom.Keys.Primary())
	if n, err = a.ReencryptManageTokens(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d booking manage links re-encrypted under key %q\n", n, a.Zoom.Keys.Primary())
	if n, err = a.ReencryptSecrets(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d two-factor secrets and invitation links re-encrypted under key %q; older keys can now be removed\n", n, a.Zoom.Keys.Primary())
	return nil
}

func cmdZoomsim(ctx context.Context, args, environ []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("zoomsim", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:9090", "listen address")
	redirect := fs.String("redirect-prefix", "", "allowed OAuth redirect URL prefix (default: any)")
	joinBase := fs.String("join-base", "", "base of meetings' join URLs, e.g. https://us06web.zoom.us (default: the simulator's own join page)")
	certFile := fs.String("tls-cert", "", "serve https with this PEM certificate (with --tls-key)")
	keyFile := fs.String("tls-key", "", "the certificate's PEM private key")
	users := fs.Int("users", 0, "offer this many test accounts user0001… (default: two named ones); the load test connects 8 per studio")
	daily := fs.Int("daily-limit", zoomsim.DefaultDailyCap, "meetings each account may create or change per UTC day (Zoom's own limit by default)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	o := zoomsim.Options{ClientID: "daoyue-sim", ClientSecret: randomHex(16),
		WebhookSecret: randomHex(16), AllowRedirectPrefix: *redirect, JoinBaseURL: *joinBase,
		TLSCertFile: *certFile, TLSKeyFile: *keyFile, DailyLimit: *daily}
	if *users > 0 {
		o.Users = zoomsim.NumberedUsers(*users)
	}
	return zoomsim.Main(ctx, *addr, o, stdout)
}
