package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/jobs"
	"github.com/daoyue/daoyue/logging"
	"github.com/daoyue/daoyue/secret"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
	"github.com/daoyue/daoyue/zoom"
	"github.com/daoyue/daoyue/zoom/zoomsim"
	"github.com/daoyue/daoyue/zoom/zoomsim/zoomsimtest"
)

// The fault test drives a studio the way a busy one is driven — bookings,
// accepts, declines, admin reschedules and cancels, client requests
// approved and rejected, several at a time — while the Zoom simulator
// answers with 5xx bursts, 429s, dropped connections, lost answers,
// latency and expired tokens, and the server processes doing the meeting
// sync are killed with SIGKILL and restarted on the same database. When the
// faults stop it waits for the sync to settle and compares every booking
// with every meeting in Zoom, one for one.
//
// The changes are made by this test process through the app (as a
// web-only instance would: an insert-only job client), the syncs by
// `daoyue serve` child processes of this test binary: one on SQLite, two
// on PostgreSQL.
//
// Default: a short run (about 20 s per database). At length (about 4 minutes
// of operations, then the wait to settle):
//
//	DAOYUE_FAULT_BOOKINGS=300 DAOYUE_FAULT_PRACTITIONERS=12 DAOYUE_FAULT_KILLS=3 \
//	DAOYUE_FAULT_MAX_LATENCY=20s go test ./cmd/daoyue -run TestFault -v -timeout 60m
//
// DAOYUE_FAULT_INSTANCES=n runs n servers instead (1 on SQLite, 2 on
// PostgreSQL by default). DAOYUE_FAULT_SEED=n replays a run's random choices (printed at the start;
// the timing of processes and faults still varies).

type faultConfig struct {
	seed          uint64
	bookings      int
	practitioners int
	kills         int // per instance
	concurrency   int
	maxLatency    time.Duration
	duration      time.Duration // how long the operations are spread over
	settle        time.Duration // longest wait for the sync to settle after the faults stop
}

func faultConfigFromEnv(t *testing.T) faultConfig {
	c := faultConfig{seed: uint64(time.Now().UnixNano()), bookings: 16, practitioners: 4, kills: 1, concurrency: 8,
		maxLatency: 1500 * time.Millisecond, duration: 8 * time.Second, settle: 3 * time.Minute}
	num := func(name string, dst *int) {
		if v := os.Getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				t.Fatalf("%s: %q is not a count", name, v)
			}
			*dst = n
		}
	}
	num("DAOYUE_FAULT_BOOKINGS", &c.bookings)
	num("DAOYUE_FAULT_PRACTITIONERS", &c.practitioners)
	num("DAOYUE_FAULT_KILLS", &c.kills)
	num("DAOYUE_FAULT_CONCURRENCY", &c.concurrency)
	if v := os.Getenv("DAOYUE_FAULT_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("DAOYUE_FAULT_SEED: %q", v)
		}
		c.seed = n
	}
	if v := os.Getenv("DAOYUE_FAULT_MAX_LATENCY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("DAOYUE_FAULT_MAX_LATENCY: %v", err)
		}
		c.maxLatency = d
	}
	if c.bookings >= 100 {
		c.settle, c.duration = 10*time.Minute, 4*time.Minute
	}
	if v := os.Getenv("DAOYUE_FAULT_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("DAOYUE_FAULT_DURATION: %v", err)
		}
		c.duration = d
	}
	return c
}

func TestFaultSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	dir := t.TempDir()
	runFault(t, filepath.Join(dir, "fault.db"), 1, nil)
}

func TestFaultPostgresTwoInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	runFault(t, storetest.PostgresURL(t), 2, nil)
}

// faultRun is one run's state.
type faultRun struct {
	t     *testing.T
	cfg   faultConfig
	dbURL string
	a     *app.App
	db    *store.DB
	sim   *zoomsim.Sim
	owner context.Context
	slug  string
	auto  *daoyue.Service // online, confirmed at once
	man   *daoyue.Service // online, needs the studio's acceptance
	ps    []*daoyue.Practitioner
	zu    map[string]zoomsim.User // practitioner id → Zoom user
	env   []string
	dir   string
	pg    *pgCluster // the database server crashed and restarted mid-load, or nil

	mu       sync.Mutex
	rnd      *rand.Rand
	bookings []*faultBooking
	ops      map[string]*[2]int // op → answered ok, refused
	faults   map[string]int
	kills    int
	reauth   int // connections Zoom asked to re-authorize, connected again at the end
	retries  int // failed meetings retried by hand at the end
	exits    int // servers that exited without being killed or stopped

	// With pg: answers "database unavailable" while it was down, probes
	// answered 503 by a live server, and bookings found in the database
	// whose booking was never answered (its commit's answer was cut off).
	unavailable, probes503, unanswered int
}

// faultBooking is a booking the test made, with the state its last
// answered change left it in (when known: no change since was cut off by
// an outage or ran beside another one on the same booking).
type faultBooking struct {
	id, token string

	running []*faultOp
	known   bool
	status  daoyue.Status
	start   time.Time
}

// faultOp is one change to a booking in flight.
type faultOp struct {
	overlapped bool // another change to the same booking ran meanwhile
	unknown    bool // cut off by an outage: it may or may not have happened
	done       *app.BookingDetail
}

func (r *faultRun) intn(n int) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rnd.IntN(n)
}

func runFault(t *testing.T, dbURL string, instances int, pg *pgCluster) {
	cfg := faultConfigFromEnv(t)
	if pg != nil && os.Getenv("DAOYUE_FAULT_KILLS") == "" {
		cfg.kills = 0 // the servers ride out the database's crash; they are not killed too
	}
	if v := os.Getenv("DAOYUE_FAULT_INSTANCES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("DAOYUE_FAULT_INSTANCES: %q", v)
		}
		instances = n
	}
	t.Logf("fault run: seed %d (DAOYUE_FAULT_SEED=%d replays the choices), %d bookings, %d practitioners, %d instance(s), %d kills each, latency up to %s",
		cfg.seed, cfg.seed, cfg.bookings, cfg.practitioners, instances, cfg.kills, cfg.maxLatency)
	r := &faultRun{t: t, cfg: cfg, dbURL: dbURL, slug: "fault", rnd: rand.New(rand.NewPCG(cfg.seed, 7)),
		ops: map[string]*[2]int{}, faults: map[string]int{}, zu: map[string]zoomsim.User{}, dir: t.TempDir(), pg: pg}
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		logs, _ := filepath.Glob(filepath.Join(r.dir, "*.log"))
		for _, l := range logs {
			b, _ := os.ReadFile(l)
			if len(b) > 6000 {
				b = b[len(b)-6000:]
			}
			t.Logf("--- end of %s:\n%s", filepath.Base(l), b)
		}
	})
	r.setup()

	// The servers that sync, killed and restarted while the studio works.
	procs := make([]*faultProc, instances)
	for i := range procs {
		procs[i] = &faultProc{r: r, name: fmt.Sprintf("instance%d", i+1)}
		procs[i].start()
		if i == 0 {
			r.waitForDemo() // the first start seeds; the second must not race it
		}
	}
	defer func() {
		for _, p := range procs {
			p.stop()
		}
	}()

	ctx, stopFaults := context.WithCancel(context.Background())
	var bg sync.WaitGroup
	bg.Add(1)
	go func() { defer bg.Done(); r.injectFaults(ctx) }()
	for _, p := range procs {
		bg.Add(1)
		go func() { defer bg.Done(); p.killLoop(ctx) }()
	}
	if pg != nil {
		bg.Add(1)
		go func() { defer bg.Done(); r.restartLoop(ctx, procs) }()
	}

	start := time.Now()
	r.drive()
	opsTook := time.Since(start)
	stopFaults()
	bg.Wait()
	r.clearFaults()
	for _, p := range procs {
		p.ensureRunning()
	}
	faultsStopped := time.Now()
	if pg != nil {
		r.adoptUnanswered()
	}
	r.reauthorizeBroken()
	settled := r.waitSettled(faultsStopped.Add(cfg.settle))
	settleTook := time.Since(faultsStopped)
	rep := r.compare()
	r.checkAnswered(rep)
	r.report(rep, instances, opsTook, settleTook, settled)
	// A graceful stop lets in-flight syncs finish.
	for _, p := range procs {
		p.stop()
	}
}

func (r *faultRun) setup() {
	t := r.t
	ctx := context.Background()
	users := make([]zoomsim.User, r.cfg.practitioners)
	for i := range users {
		users[i] = zoomsim.User{ID: fmt.Sprintf("fault-user-%02d", i), AccountID: fmt.Sprintf("fault-acct-%02d", i),
			Email: fmt.Sprintf("host%02d@example.com", i), FirstName: "Host", LastName: strconv.Itoa(i), Timezone: "Asia/Taipei", Type: 2}
	}
	const redirect = "http://daoyue.test/oauth/zoom/callback"
	r.sim = zoomsimtest.NewServer(t, zoomsim.Options{ClientID: "fault-cid", ClientSecret: "fault-secret", WebhookSecret: "fault-wh",
		RedirectURLs: []string{redirect}, Users: users})
	spec := secret.NewSpec("k1")
	keys, err := secret.Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	if r.db, err = store.Open(ctx, r.dbURL); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.db.Close() })
	log := logging.New(io.Discard, true, slog.LevelWarn)
	r.a = app.New(r.db, log)
	r.a.Limits = app.Limits{} // one client books hundreds of times here: not the flood the limits stop
	r.a.Zoom = &app.Zoom{Keys: keys, WebhookSecret: "fault-wh", Client: zoom.New(zoom.Config{ClientID: "fault-cid", ClientSecret: "fault-secret",
		OAuthURL: r.sim.URL(), APIURL: r.sim.APIURL(), RedirectURL: redirect})}
	if _, err := jobs.New(ctx, r.db, r.a, log, jobs.Options{}); err != nil { // insert-only: the children work
		t.Fatal(err)
	}
	ws := &daoyue.Workspace{Slug: r.slug, Name: "壓力測試工作室", TimeZone: daoyue.DefaultTimeZone}
	if err := r.a.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	u, err := r.a.EnsureMember(ctx, r.slug, "owner@fault.test", "負責人", "correct-horse-1", daoyue.RoleOwner)
	if err != nil {
		t.Fatal(err)
	}
	r.owner = daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorMember, UserID: u.ID, Label: u.Email})
	var weekly []daoyue.WeeklyRule
	for d := time.Sunday; d <= time.Saturday; d++ {
		weekly = append(weekly, daoyue.WeeklyRule{Weekday: d, Start: 6 * 60, End: 23 * 60})
	}
	var ids []string
	for i := 0; i < r.cfg.practitioners; i++ {
		p := &daoyue.Practitioner{Name: fmt.Sprintf("老師%02d", i), Active: true, Weekly: weekly}
		if err := r.a.CreatePractitioner(r.owner, r.slug, p); err != nil {
			t.Fatal(err)
		}
		r.ps = append(r.ps, p)
		ids = append(ids, p.ID)
		r.zu[p.ID] = users[i]
	}
	svc := func(name string, c daoyue.Confirmation) *daoyue.Service {
		s := &daoyue.Service{Name: name, DurationMin: 60, SlotStep: 60, HorizonDays: 60, Online: true,
			OnlineInstructions: "以 Zoom 進行。", Price: daoyue.Money{Amount: 0, Currency: "TWD"}, Confirmation: c,
			Payment: daoyue.PaymentNone, MeetingHost: daoyue.HostAssigned, PractitionerIDs: ids, Active: true}
		if err := r.a.CreateService(r.owner, r.slug, s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	r.auto = svc("線上課程", daoyue.ConfirmAuto)
	r.man = svc("線上諮詢(需確認)", daoyue.ConfirmManual)
	for _, p := range r.ps {
		r.connect(p)
	}
	r.env = []string{faultChildEnv + "=1", "DAOYUE_ENV=development",
		"DAOYUE_BASE_URL=http://daoyue.test", "DAOYUE_DATABASE_URL=" + r.dbURL, "DAOYUE_SECRET_KEYS=" + spec,
		"DAOYUE_ZOOM_CLIENT_ID=fault-cid", "DAOYUE_ZOOM_CLIENT_SECRET=fault-secret", "DAOYUE_ZOOM_WEBHOOK_SECRET=fault-wh",
		"DAOYUE_ZOOM_OAUTH_URL=" + r.sim.URL(), "DAOYUE_ZOOM_API_URL=" + r.sim.APIURL(), "DAOYUE_DEMO_PASSWORD=correct-horse-1",
		"DAOYUE_REVIEW_PASSWORD=correct-horse-2", "PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
}

// connect runs the consent flow for p and sets Zoom as its default tool.
func (r *faultRun) connect(p *daoyue.Practitioner) {
	t := r.t
	authURL, err := r.a.ConnectZoom(r.owner, r.slug, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	back, err := r.sim.Consent(context.Background(), authURL, r.zu[p.ID].ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.a.CompleteZoom(r.owner, back.Query().Get("state"), back.Query().Get("code")); err != nil {
		t.Fatal(err)
	}
	if _, err := r.a.SetZoomDefault(r.owner, r.slug, p.ID); err != nil {
		t.Fatal(err)
	}
}

// waitForDemo waits until the first server has seeded its demo studio.
func (r *faultRun) waitForDemo() {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		err := r.db.View(context.Background(), func(tx daoyue.Tx) error {
			_, err := tx.WorkspaceBySlug(context.Background(), "zoom-review")
			return err
		})
		if err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	r.t.Fatal("the first server did not finish starting")
}

// faultProc is one `daoyue serve` process, restarted after each kill.
type faultProc struct {
	r    *faultRun
	name string
	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
	n    int
	addr string // where the current process serves
}

func (p *faultProc) start() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	p.addr = "127.0.0.1:" + strconv.Itoa(freePort(p.r.t))
	cmd.Env = append(append([]string{}, p.r.env...), "DAOYUE_DATA_DIR="+filepath.Join(p.r.dir, p.name), "DAOYUE_ADDR="+p.addr)
	logf, err := os.OpenFile(filepath.Join(p.r.dir, p.name+".log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		p.r.t.Fatal(err)
	}
	fmt.Fprintf(logf, "=== start %d at %s\n", p.n, time.Now().Format(time.RFC3339Nano))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		p.r.t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		err := cmd.Wait()
		fmt.Fprintf(logf, "=== exit at %s: %v\n", time.Now().Format(time.RFC3339Nano), err)
		logf.Close()
		p.mu.Lock()
		unexpected := p.cmd == cmd // kill and stop clear it first
		if unexpected {
			p.cmd = nil
		}
		p.mu.Unlock()
		if unexpected {
			p.r.mu.Lock()
			p.r.exits++
			p.r.mu.Unlock()
			p.r.t.Errorf("%s exited on its own: %v (its log is printed below)", p.name, err)
		}
		close(done)
	}()
	p.cmd, p.done = cmd, done
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *faultProc) kill() {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.cmd = nil
	p.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-done
}

// stop asks for a graceful stop (SIGTERM), then kills after 40 s.
func (p *faultProc) stop() {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.cmd = nil
	p.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(40 * time.Second):
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-done
	}
}

func (p *faultProc) ensureRunning() {
	p.mu.Lock()
	running := p.cmd != nil
	p.mu.Unlock()
	if !running {
		p.start()
	}
}

// killLoop kills the process cfg.kills times at random moments while the
// studio works, restarting it after a short pause.
func (p *faultProc) killLoop(ctx context.Context) {
	r := p.r
	for k := 0; k < r.cfg.kills; k++ {
		// Spread the kills over the run: one in each equal part of it.
		part := r.cfg.duration / time.Duration(r.cfg.kills)
		wait := part/4 + time.Duration(r.intn(int(part/time.Millisecond)/2+1))*time.Millisecond
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		p.kill()
		r.mu.Lock()
		r.kills++
		r.mu.Unlock()
		time.Sleep(time.Duration(200+r.intn(1500)) * time.Millisecond)
		p.start()
	}
}

// injectFaults keeps Zoom misbehaving until ctx is done.
func (r *faultRun) injectFaults(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Duration(300+r.intn(1200)) * time.Millisecond):
		}
		var kind string
		switch r.intn(12) {
		case 0:
			status := []int{500, 502, 503, 504}[r.intn(4)]
			r.sim.FailNext(1+r.intn(4), status)
			kind = "5xx burst"
		case 1:
			r.sim.RateLimitNext(1+r.intn(3), time.Duration(1+r.intn(2))*time.Second)
			kind = "429 burst"
		case 2:
			lat := 500*time.Millisecond + time.Duration(r.intn(int(r.cfg.maxLatency/time.Millisecond)+1))*time.Millisecond
			r.sim.SetLatency(lat)
			kind = "latency"
			r.pause(ctx, time.Duration(500+r.intn(2500))*time.Millisecond)
			r.sim.SetLatency(0)
		case 3:
			r.sim.SetDown(true)
			kind = "dropped connections"
			r.pause(ctx, time.Duration(300+r.intn(1500))*time.Millisecond)
			r.sim.SetDown(false)
		case 4:
			if r.intn(2) == 0 {
				continue
			}
			r.sim.LoseAnswerNext(1)
			kind = "lost answer"
		case 5:
			r.sim.ExpireAccessTokens()
			kind = "expired tokens"
		default:
			continue // a quiet moment
		}
		r.mu.Lock()
		r.faults[kind]++
		r.mu.Unlock()
	}
}

func (r *faultRun) pause(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

func (r *faultRun) clearFaults() {
	r.sim.SetLatency(0)
	r.sim.SetDown(false)
	r.sim.FailNext(0, 0)
	r.sim.RateLimitNext(0, 0)
	r.sim.LoseAnswerNext(0)
}

// drive runs the studio's operations, cfg.concurrency at a time, until
// cfg.bookings bookings exist and each has had about two more changes.
func (r *faultRun) drive() {
	var made, todo atomic.Int64
	total := r.cfg.bookings * 3
	todo.Store(int64(total))
	// Each worker waits between operations so that they spread over
	// cfg.duration (on average).
	gap := int(r.cfg.duration/time.Millisecond) * r.cfg.concurrency / total
	var wg sync.WaitGroup
	for w := 0; w < r.cfg.concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for todo.Add(-1) >= 0 {
				time.Sleep(time.Duration(r.intn(2*gap+1)) * time.Millisecond)
				r.mu.Lock()
				n := len(r.bookings)
				r.mu.Unlock()
				if n == 0 || (made.Load() < int64(r.cfg.bookings) && r.intn(3) == 0) || made.Load() < int64(r.cfg.concurrency) {
					if r.book() {
						made.Add(1)
					}
					continue
				}
				r.change()
			}
			// Top up to the number of bookings asked for.
			for made.Load() < int64(r.cfg.bookings) {
				if r.book() {
					made.Add(1)
				}
			}
		}()
	}
	wg.Wait()
}

// count records an operation's answer: ok, refused (a rule said no: slot
// taken, not allowed in this state), or fails the test (anything else).
func (r *faultRun) count(op string, err error) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.ops[op]
	if c == nil {
		c = &[2]int{}
		r.ops[op] = c
	}
	var de *daoyue.Error
	switch {
	case err == nil:
		c[0]++
		return true
	case r.pg != nil && daoyue.IsCode(err, daoyue.EUNAVAILABLE):
		// The database is down: answered "unavailable", which the
		// caller takes as "may or may not have happened".
		r.unavailable++
		return false
	case errors.As(err, &de) && de.Code != daoyue.EINTERNAL && de.Code != daoyue.EUNAVAILABLE:
		c[1]++
		return false
	}
	r.t.Errorf("%s: %v", op, err)
	return false
}

func (r *faultRun) slot() time.Time {
	loc, _ := time.LoadLocation(daoyue.DefaultTimeZone)
	now := time.Now().In(loc)
	day := 1 + r.intn(50)
	hour := 7 + r.intn(15)
	return time.Date(now.Year(), now.Month(), now.Day()+day, hour, 0, 0, 0, loc)
}

func (r *faultRun) book() bool {
	svc := r.auto
	if r.intn(4) == 0 {
		svc = r.man
	}
	p := r.ps[r.intn(len(r.ps))]
	bk, err := r.a.Book(context.Background(), r.slug, app.BookInput{ServiceID: svc.ID, PractitionerID: p.ID, Start: r.slot(),
		Client: daoyue.Client{Name: "王小明", Email: "ming@example.com"}})
	if !r.count("book", err) {
		if daoyue.IsCode(err, daoyue.EUNAVAILABLE) {
			time.Sleep(100 * time.Millisecond) // the database is down: no busy loop
		}
		return false
	}
	r.mu.Lock()
	r.bookings = append(r.bookings, &faultBooking{id: bk.Booking.ID, token: bk.ManageToken,
		known: true, status: bk.Booking.Status, start: bk.Booking.Start})
	r.mu.Unlock()
	return true
}

// begin and end bracket one change to b, so the test knows the state the
// last answered change left b in.
func (r *faultRun) begin(b *faultBooking) *faultOp {
	r.mu.Lock()
	defer r.mu.Unlock()
	op := &faultOp{}
	if len(b.running) > 0 {
		op.overlapped = true
		for _, o := range b.running {
			o.overlapped = true
		}
	}
	b.running = append(b.running, op)
	return op
}

// result notes one step of op: an answered change's outcome, or a
// step cut off by the outage.
func (op *faultOp) result(d *app.BookingDetail, err error) {
	switch {
	case err == nil && d != nil:
		op.done = d
	case daoyue.IsCode(err, daoyue.EUNAVAILABLE):
		op.unknown = true
	}
}

func (r *faultRun) end(b *faultBooking, op *faultOp) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, o := range b.running {
		if o == op {
			b.running = append(b.running[:i], b.running[i+1:]...)
			break
		}
	}
	switch {
	case op.overlapped || op.unknown:
		b.known = false
	case op.done != nil:
		b.known, b.status, b.start = true, op.done.Booking.Status, op.done.Booking.Start
	}
}

// change makes one random change to a random booking.
func (r *faultRun) change() {
	r.mu.Lock()
	b := r.bookings[r.rnd.IntN(len(r.bookings))]
	r.mu.Unlock()
	ctx := r.owner
	d, err := r.a.Booking(ctx, r.slug, b.id)
	if err != nil {
		if r.pg != nil && daoyue.IsCode(err, daoyue.EUNAVAILABLE) {
			time.Sleep(100 * time.Millisecond) // the database is down
			return
		}
		r.t.Errorf("read booking: %v", err)
		return
	}
	op := r.begin(b)
	defer r.end(b, op)
	switch st := d.Booking.Status; {
	case st == daoyue.StatusPending:
		if r.intn(4) == 0 {
			d, err = r.a.Decline(ctx, r.slug, b.id, "時間不合")
			r.count("decline", err)
		} else {
			d, err = r.a.Accept(ctx, r.slug, b.id)
			r.count("accept", err)
		}
		op.result(d, err)
	case st == daoyue.StatusConfirmed:
		switch r.intn(6) {
		case 0, 1:
			d, err = r.a.Reschedule(ctx, r.slug, b.id, r.slot())
			r.count("admin reschedule", err)
			op.result(d, err)
		case 2:
			d, err = r.a.Cancel(ctx, r.slug, b.id, "工作室取消")
			r.count("admin cancel", err)
			op.result(d, err)
		case 3, 4:
			v, err := r.a.RequestReschedule(context.Background(), b.token, r.slot())
			op.result(nil, err)
			if !r.count("client reschedule request", err) {
				return
			}
			r.answer(b, v, "reschedule", op)
		case 5:
			v, err := r.a.RequestCancel(context.Background(), b.token, "臨時有事")
			op.result(nil, err)
			if !r.count("client cancel request", err) {
				return
			}
			r.answer(b, v, "cancel", op)
		}
	default:
		// A final booking: book a new one instead.
		r.book()
	}
}

// answer approves (mostly) or rejects a client's open request.
func (r *faultRun) answer(b *faultBooking, v *app.ClientView, kind string, op *faultOp) {
	var reqID string
	for _, q := range v.Requests {
		if q.Status == daoyue.RequestOpen {
			reqID = q.ID
		}
	}
	if reqID == "" {
		r.t.Errorf("%s request: none open", kind)
		return
	}
	var err error
	var d *app.BookingDetail
	if r.intn(4) == 0 {
		d, err = r.a.RejectRequest(r.owner, r.slug, b.id, reqID, "不方便")
		r.count(kind+" request rejected", err)
	} else {
		d, err = r.a.ApproveRequest(r.owner, r.slug, b.id, reqID)
		r.count(kind+" request approved", err)
	}
	op.result(d, err)
}

// reauthorizeBroken reconnects a host whose connection ended "needs
// re-authorization" (Zoom refused a refresh, or refused a token twice in a
// row, as the injected expiries can make it), as the booking pages ask the
// studio to do.
func (r *faultRun) reauthorizeBroken() {
	st, err := r.a.ZoomConnections(r.owner, r.slug)
	if err != nil {
		r.t.Fatal(err)
	}
	for _, p := range r.ps {
		if st[p.ID].Status != "connected" {
			r.mu.Lock()
			r.reauth++
			r.mu.Unlock()
			r.t.Logf("practitioner %s: connection %q after the faults; connecting again", p.Name, st[p.ID].Status)
			r.connect(p)
		}
	}
}

func (r *faultRun) details() []*app.BookingDetail {
	var out []*app.BookingDetail
	r.mu.Lock()
	bs := append([]*faultBooking{}, r.bookings...)
	r.mu.Unlock()
	for _, b := range bs {
		d, err := r.a.Booking(r.owner, r.slug, b.id)
		if err != nil {
			r.t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

// waitSettled waits until no booking's meeting is pending and Zoom holds
// what every booking wants; false at the deadline.
//
// A booking whose meeting failed because its host's connection needed
// re-authorization, while the connection is now connected (it was
// reconnected, or a refresh by another run stored good tokens meanwhile),
// gets the Retry button its page shows pressed once, as the studio would.
func (r *faultRun) waitSettled(deadline time.Time) bool {
	retried := map[string]bool{}
	for {
		pending := 0
		for _, d := range r.details() {
			m := d.Booking.Meeting
			if m.Status == daoyue.MeetingPending || m.SyncedVersion < m.Version {
				pending++
			}
			if m.Status == daoyue.MeetingFailed && !retried[d.Booking.ID] {
				st, err := r.a.ZoomConnections(r.owner, r.slug)
				if err != nil {
					r.t.Fatal(err)
				}
				if st[d.Booking.HostID].Status == "connected" {
					retried[d.Booking.ID] = true
					_, err := r.a.RetryMeeting(r.owner, r.slug, d.Booking.ID)
					r.count("retry (studio, after the faults)", err)
					r.mu.Lock()
					r.retries++
					r.mu.Unlock()
				}
			}
		}
		if pending == 0 && r.compare().mismatches() == 0 {
			return true
		}
		if time.Now().After(deadline) {
			r.t.Errorf("%d bookings still syncing at the deadline", pending)
			return false
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// checkAnswered compares each booking whose last change was answered (and
// not cut off or raced by another) with what the database holds now: an
// acknowledged change must not be lost.
func (r *faultRun) checkAnswered(rep *faultReport) {
	r.mu.Lock()
	want := map[string]faultBooking{}
	for _, b := range r.bookings {
		if b.known {
			want[b.id] = faultBooking{status: b.status, start: b.start}
		}
	}
	r.mu.Unlock()
	for _, d := range r.details() {
		w, ok := want[d.Booking.ID]
		if !ok {
			rep.answerUnknown++
			continue
		}
		rep.answerChecked++
		if d.Booking.Status != w.status || !d.Booking.Start.Equal(w.start) {
			rep.problems = append(rep.problems, fmt.Sprintf("booking %s: the last answered change left it %s at %s, the database holds %s at %s",
				d.Booking.ID, w.status, w.start, d.Booking.Status, d.Booking.Start))
		}
	}
}

// adoptUnanswered adds to the run the bookings the database holds that the
// test never heard of: a booking whose commit's answer was cut off by the
// crash is allowed to exist, and its meeting must then be in Zoom like any
// other's.
func (r *faultRun) adoptUnanswered() {
	ctx := context.Background()
	seen := map[string]bool{}
	r.mu.Lock()
	for _, b := range r.bookings {
		seen[b.id] = true
	}
	r.mu.Unlock()
	err := r.db.View(ctx, func(tx daoyue.Tx) error {
		ws, err := tx.WorkspaceBySlug(ctx, r.slug)
		if err != nil {
			return err
		}
		for _, tab := range daoyue.Tabs {
			f := daoyue.BookingFilter{Tab: tab, Now: time.Now(), Limit: 200}
			for {
				list, next, err := tx.ListBookings(ctx, ws.ID, f)
				if err != nil {
					return err
				}
				for _, b := range list {
					if !seen[b.ID] {
						seen[b.ID] = true
						r.mu.Lock()
						r.bookings = append(r.bookings, &faultBooking{id: b.ID})
						r.unanswered++
						r.mu.Unlock()
					}
				}
				if next == "" {
					break
				}
				f.Cursor = next
			}
		}
		return nil
	})
	if err != nil {
		r.t.Fatal(err)
	}
}

type faultReport struct {
	answerChecked, answerUnknown    int
	confirmed, expected, live       int
	missing, wrongTime, unwanted    int
	stuck, failed                   int
	extra, extraNamed, extraUnnamed int
	notes                           int
	problems                        []string
}

func (rep *faultReport) mismatches() int {
	return rep.missing + rep.wrongTime + rep.unwanted + rep.extraUnnamed + rep.failed
}

// compare matches every booking with the meetings in Zoom, one for one.
func (r *faultRun) compare() *faultReport {
	rep := &faultReport{}
	now := time.Now()
	byID := map[int64]zoomsim.Meeting{}
	for _, p := range r.ps {
		for _, m := range r.sim.Meetings(r.zu[p.ID].ID) {
			byID[m.ID] = m
			rep.live++
		}
	}
	claimed := map[int64]bool{}
	type key struct {
		host  string
		start int64
		topic string
	}
	named := map[key]int{}
	for _, d := range r.details() {
		b := d.Booking
		m := b.Meeting
		for _, x := range d.MaybeExtra {
			named[key{r.zu[x.HostID].ID, x.Start.Unix(), x.Topic}]++
			rep.notes++
		}
		if m.Status == daoyue.MeetingPending {
			rep.stuck++
		}
		if m.Status == daoyue.MeetingFailed {
			rep.failed++
			rep.problems = append(rep.problems, fmt.Sprintf("booking %s: meeting failed: %s (%s)", b.ID, m.Reason, m.LastError))
		}
		want, _ := b.MeetingDesire(now)
		if b.Status == daoyue.StatusConfirmed {
			rep.confirmed++
		}
		if want == daoyue.DesirePresent {
			rep.expected++
			zm, ok := byID[m.ZoomID]
			switch {
			case m.ZoomID == 0 || !ok:
				rep.missing++
				rep.problems = append(rep.problems, fmt.Sprintf("booking %s (%s at %s): no meeting in Zoom (meeting %d, %s)", b.ID, b.Status, b.Start, m.ZoomID, m.Status))
			case !zm.Start.Equal(b.Start) || zm.Duration != int(b.End.Sub(b.Start).Minutes()) || zm.HostID != r.zu[b.HostID].ID:
				rep.wrongTime++
				rep.problems = append(rep.problems, fmt.Sprintf("booking %s at %s: meeting %d at %s for %d min", b.ID, b.Start, zm.ID, zm.Start, zm.Duration))
			}
			if ok {
				claimed[m.ZoomID] = true
			}
			if m.Status != daoyue.MeetingCreated || !m.ShowDetails() {
				rep.problems = append(rep.problems, fmt.Sprintf("booking %s: meeting status %s", b.ID, m.Status))
			}
		} else {
			if m.Has() {
				claimed[m.ZoomID] = true
				rep.unwanted++
				rep.problems = append(rep.problems, fmt.Sprintf("booking %s (%s) keeps meeting %d", b.ID, b.Status, m.ZoomID))
			}
			if m.ShowDetails() {
				rep.problems = append(rep.problems, fmt.Sprintf("booking %s (%s) shows a meeting's details", b.ID, b.Status))
			}
		}
	}
	for id, zm := range byID {
		if claimed[id] {
			continue
		}
		// Meetings no booking holds: lost creates. Each must be named
		// on its booking (the studio is told to look for it).
		rep.extra++
		k := key{zm.HostID, zm.Start.Unix(), zm.Topic}
		if named[k] > 0 {
			named[k]--
			rep.extraNamed++
		} else {
			rep.extraUnnamed++
			rep.problems = append(rep.problems, fmt.Sprintf("meeting %d (%s at %s) in Zoom, held by no booking and named on none", id, zm.Topic, zm.Start))
		}
	}
	return rep
}

func (r *faultRun) report(rep *faultReport, instances int, opsTook, settleTook time.Duration, settled bool) {
	t := r.t
	var b strings.Builder
	dbKind := "SQLite"
	if strings.HasPrefix(r.dbURL, "postgres") {
		dbKind = "PostgreSQL"
	}
	if r.pg != nil {
		dbKind = "PostgreSQL restarted mid-load"
	}
	fmt.Fprintf(&b, "\nFAULT RUN on %s, %d instance(s), seed %d\n", dbKind, instances, r.cfg.seed)
	var names []string
	total := [2]int{}
	for k, c := range r.ops {
		names = append(names, k)
		total[0] += c[0]
		total[1] += c[1]
	}
	sort.Strings(names)
	fmt.Fprintf(&b, "operations: %d answered (%d done, %d refused by a rule) in %s\n", total[0]+total[1], total[0], total[1], opsTook.Round(time.Second))
	for _, k := range names {
		fmt.Fprintf(&b, "  %-32s %4d done %4d refused\n", k, r.ops[k][0], r.ops[k][1])
	}
	names = names[:0]
	nf := 0
	for k, n := range r.faults {
		names = append(names, k)
		nf += n
	}
	sort.Strings(names)
	fmt.Fprintf(&b, "faults: %d\n", nf)
	for _, k := range names {
		fmt.Fprintf(&b, "  %-32s %4d\n", k, r.faults[k])
	}
	rescues, second401, refused := 0, 0, 0
	logs, _ := filepath.Glob(filepath.Join(r.dir, "*.log"))
	for _, l := range logs {
		b, _ := os.ReadFile(l)
		rescues += strings.Count(string(b), "meeting syncs of dead workers queued again")
		second401 += strings.Count(string(b), "a second 401 after a token refresh")
		refused += strings.Count(string(b), "the refresh token was refused")
	}
	fmt.Fprintf(&b, "kills (SIGKILL): %d; sweeps that queued a dead worker's syncs again: %d\n", r.kills, rescues)
	fmt.Fprintf(&b, "Zoom calls: create %d, update %d, delete %d\n", r.sim.Calls("POST", "/v2/users/me/meetings"),
		r.sim.Calls("PATCH", "/v2/meetings/{id}"), r.sim.Calls("DELETE", "/v2/meetings/{id}"))
	fmt.Fprintf(&b, "bookings: %d, confirmed %d; meetings expected %d, live in Zoom %d\n", len(r.bookings), rep.confirmed, rep.expected, rep.live)
	fmt.Fprintf(&b, "missing %d, wrong time %d, kept by unwanted bookings %d, failed %d, stuck pending %d\n",
		rep.missing, rep.wrongTime, rep.unwanted, rep.failed, rep.stuck)
	fmt.Fprintf(&b, "lost creates (meetings no booking holds): %d, named on their booking %d, unnamed %d; notes of a possible extra meeting %d\n",
		rep.extra, rep.extraNamed, rep.extraUnnamed, rep.notes)
	fmt.Fprintf(&b, "connections Zoom asked to re-authorize (connected again at the end): %d; marked after a second 401 %d times, after a refused refresh %d times\n",
		r.reauth, second401, refused)
	fmt.Fprintf(&b, "failed meetings retried by hand after the faults (their host connected): %d\n", r.retries)
	fmt.Fprintf(&b, "bookings whose last answered change was checked against the database: %d (unknown: raced or cut off %d)\n",
		rep.answerChecked, rep.answerUnknown)
	if r.pg != nil {
		fmt.Fprintf(&b, "PostgreSQL crashes (pg_ctl stop -m immediate) and restarts: %d, down for %v\n", len(r.pg.down), r.pg.down)
		fmt.Fprintf(&b, "answers \"database unavailable\" while it was down: %d; pages answered 503 by a live server: %d; bookings committed though their answer was cut off: %d\n",
			r.unavailable, r.probes503, r.unanswered)
	}
	fmt.Fprintf(&b, "servers that exited on their own: %d\n", r.exits)
	fmt.Fprintf(&b, "settled %v, %s after the faults stopped\n", settled, settleTook.Round(100*time.Millisecond))
	t.Log(b.String())
	if out := os.Getenv("DAOYUE_FAULT_REPORT"); out != "" {
		f, err := os.OpenFile(out, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprint(f, b.String())
			f.Close()
		}
	}
	for _, p := range rep.problems {
		t.Error(p)
	}
	if rep.stuck > 0 || !settled {
		t.Errorf("seed %d: not settled (logs of the servers in %s)", r.cfg.seed, r.dir)
	}
}
