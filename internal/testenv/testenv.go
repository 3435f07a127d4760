// Package testenv builds the environment DaoYue's tests run in, in one
// call, so every package's tests get the same wiring:
//
//	e := testenv.New(t, storetest.NewSQLite(t), testenv.Options{Start: t0, Zoom: true, Jobs: &jobs.Options{...}})
//	st := e.Studio("studio", "測試工作室", "owner@studio.test", "password")
//	e.Serve(handler) // the web tests' server, at e.Front.URL
//
// The store is a real one (storetest: a fresh SQLite file or PostgreSQL
// schema per test, so tests that each open their own may run in
// parallel). One Clock drives the app, the Zoom client and the Zoom
// simulator, so token and state lifetimes are tested by moving it, never
// by sleeping. Everything the apps log is kept in Logs.
//
// Environments share nothing (store, servers on port 0, clock, logs), so a
// test that builds its own may call t.Parallel. Leave out the tests that
// set environment variables or package state, and those whose assertion
// depends on a timing race a busy machine can lose (jobs'
// TestNoSecretsInDatabaseFileOrLogs). go test runs GOMAXPROCS parallel
// tests at once; the jobs tests mostly wait on pollers rather than the
// CPU, so a higher -parallel can shorten them (9-16 s with -parallel 4
// against about 16 s with the default 2, on a busy 2-core machine).
//
// It also holds SyncBuffer, the goroutine-safe buffer tests collect logs
// and console output in.
//
// testenv is for tests only: the binary must not link it (cmd/daoyue's
// TestBinaryLinksNoTestPackages checks).
package testenv

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/demo"
	"github.com/daoyue/daoyue/jobs"
	"github.com/daoyue/daoyue/logging"
	"github.com/daoyue/daoyue/secret"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/zoom"
	"github.com/daoyue/daoyue/zoom/zoomsim"
	"github.com/daoyue/daoyue/zoom/zoomsim/zoomsimtest"
)

// The Zoom app's credentials, known to the simulator and to DaoYue.
const (
	ZoomClientID      = "testenv-zoom-client-id"
	ZoomClientSecret  = "testenv-zoom-client-secret"
	ZoomWebhookSecret = "testenv-zoom-webhook-secret"
)

// Options choose the parts of an environment.
type Options struct {
	// Start is where the clock starts (required).
	Start time.Time
	// Zoom starts the Zoom simulator and connects the apps' Zoom client
	// to it; without it the apps have no Zoom (app.App.Zoom is nil).
	Zoom bool
	// Jobs, when set, gives every app a River runner working the queue
	// with these options (Work is always on); nil runs no jobs.
	Jobs *jobs.Options
	// ZoomDailyLimit is the simulator's per-user create+update cap a day
	// (0: Zoom's 100); benchmarks of the meeting queue raise it.
	ZoomDailyLimit int
	// ZoomUsers are the simulator's accounts (the first two become ZoomLin
	// and ZoomChen); none: zoomsim.DefaultUsers.
	ZoomUsers []zoomsim.User
}

// Env is one test's environment. Its servers and runners stop when the
// test ends.
type Env struct {
	T     testing.TB
	DB    *store.DB
	Clock *zoomsim.Clock
	// Logs holds what every app and runner logged (JSON, debug level,
	// through the production logger with its redaction); Log writes there.
	Logs *SyncBuffer
	Log  *slog.Logger
	// Keys seal the Zoom tokens.
	Keys *secret.Keyring
	// Front is DaoYue's HTTP server; its handler is nil (http.DefaultServeMux) until Serve.
	// Its URL is the apps' base, and the Zoom redirect is RedirectURL().
	Front *httptest.Server
	// Sim is the Zoom simulator (nil without Options.Zoom); ZoomLin and
	// ZoomChen are its two test accounts.
	Sim               *zoomsim.Sim
	ZoomLin, ZoomChen zoomsim.User
	// App is the first app instance (see NewApp).
	App *app.App
	// Runner is App's job runner (nil without Options.Jobs).
	Runner *jobs.Runner

	opts Options
}

// New builds an environment on db.
func New(t testing.TB, db *store.DB, o Options) *Env {
	t.Helper()
	if o.Start.IsZero() {
		t.Fatal("testenv: Options.Start is required")
	}
	e := &Env{T: t, DB: db, Clock: zoomsim.NewClock(o.Start), Logs: &SyncBuffer{}, opts: o}
	e.Log = logging.New(e.Logs, true, slog.LevelDebug)
	// Started before it has a handler: the base URL is needed to build it.
	e.Front = httptest.NewUnstartedServer(nil)
	e.Front.Start()
	t.Cleanup(e.Front.Close)
	var err error
	if e.Keys, err = secret.Parse(secret.NewSpec("k1")); err != nil {
		t.Fatal(err)
	}
	if o.Zoom {
		e.Sim = zoomsimtest.NewServer(t, zoomsim.Options{ClientID: ZoomClientID, ClientSecret: ZoomClientSecret,
			WebhookSecret: ZoomWebhookSecret, RedirectURLs: []string{e.RedirectURL()}, Now: e.Clock.Now, DailyLimit: o.ZoomDailyLimit,
			Users: o.ZoomUsers})
		users := e.Sim.Users()
		e.ZoomLin, e.ZoomChen = users[0], users[1]
	}
	e.App, e.Runner = e.NewInstance()
	return e
}

// RedirectURL is DaoYue's Zoom OAuth callback.
func (e *Env) RedirectURL() string { return e.Front.URL + "/oauth/zoom/callback" }

// Serve makes h answer at e.Front.URL.
func (e *Env) Serve(h http.Handler) { e.Front.Config.Handler = h }

// NewApp is one more DaoYue instance on the same store, clock, keys, logs
// and simulator, with its own runner when Options.Jobs is set: several
// instances work one queue as they do in a deployment.
func (e *Env) NewApp() *app.App {
	e.T.Helper()
	a, _ := e.NewInstance()
	return a
}

// NewInstance is NewApp that also returns the instance's job runner (nil
// without Options.Jobs), for tests that stop an instance.
func (e *Env) NewInstance() (*app.App, *jobs.Runner) {
	t := e.T
	t.Helper()
	a := app.New(e.DB, e.Log)
	a.Now = e.Clock.Now
	// The keys also seal manage and invitation links.
	a.Keys = e.Keys
	// The booking limits have their own tests (they set app.DefaultLimits);
	// elsewhere clients book freely.
	a.Limits = app.Limits{}
	// The booking form's proof of work at 8 bits: a few hundred hashes per
	// test booking instead of 2^18 (package proof tests the real one).
	a.ProofBits = 8
	if e.Sim != nil {
		a.Zoom = &app.Zoom{Keys: e.Keys, WebhookSecret: ZoomWebhookSecret, Client: zoom.New(zoom.Config{
			ClientID: ZoomClientID, ClientSecret: ZoomClientSecret, OAuthURL: e.Sim.URL(), APIURL: e.Sim.APIURL(),
			RedirectURL: e.RedirectURL(), Now: e.Clock.Now})}
	}
	var r *jobs.Runner
	if e.opts.Jobs != nil {
		o := *e.opts.Jobs
		o.Work = true
		var err error
		if r, err = jobs.New(context.Background(), e.DB, a, e.Log, o); err != nil {
			t.Fatal(err)
		}
		if err := r.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = r.Stop(ctx)
		})
	}
	return a, r
}

// Studio creates a demo studio (demo.Create) owned by ownerEmail.
func (e *Env) Studio(slug, name, ownerEmail, password string) *demo.Studio {
	e.T.Helper()
	st, err := demo.Create(context.Background(), e.App, slug, name, ownerEmail, password)
	if err != nil {
		e.T.Fatalf("studio %s: %v", slug, err)
	}
	return st
}

// As is a context acting as the member with this email.
func (e *Env) As(email string) context.Context {
	e.T.Helper()
	ctx := context.Background()
	var u *daoyue.User
	err := e.DB.View(ctx, func(tx daoyue.Tx) error {
		var err error
		u, err = tx.UserByEmail(ctx, email)
		return err
	})
	if err != nil {
		e.T.Fatalf("member %s: %v", email, err)
	}
	return daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorMember, UserID: u.ID, Label: u.Email})
}
