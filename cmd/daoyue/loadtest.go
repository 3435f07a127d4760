package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/demo"
	"github.com/daoyue/daoyue/logging"
	"github.com/daoyue/daoyue/store"
)

// cmdLoadtest drives a running DaoYue with the public booking page's reads:
// the studio page, its month of free slots and the slots API, at a fixed
// rate (or, with --concurrency, back to back from that many clients) for a
// fixed time, and reports throughput, latency percentiles and statuses per
// request kind. With --floor it measures, in the same run and with the
// same clients, bare net/http on loopback serving a body the size of the
// slots answer, and prints DaoYue's ratio to it; with --database-url, the
// durable insert floor of that database (8 writers, its own settings) and,
// with --check, the consistency of the bookings there. It only targets
// this machine (loopback), by design.
func cmdLoadtest(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	target := fs.String("url", "http://127.0.0.1:8080", "base URL of a running daoyue (loopback only); with --only submit or contend, several comma-separated, sent to in turn (round-robin)")
	slug := fs.String("workspace", "demo", "workspace slug whose public page is read (default with --seed-studios or --studios: lt1)")
	rate := fs.Int("rate", 100, "requests per second (without --concurrency)")
	concurrency := fs.Int("concurrency", 0, "closed loop: this many clients send back to back for --duration (--rate is ignored)")
	dur := fs.Duration("duration", 10*time.Second, "how long to send (at most 2m)")
	clients := fs.Int("clients", 0, "spread requests over this many client addresses in X-Forwarded-For "+
		"(start the server with DAOYUE_TRUSTED_PROXIES=127.0.0.1); 0 sends as one client, which the "+
		"per-address limit slows after a burst of 150 to 20 a second")
	only := fs.String("only", "page,slots,workspace", "request kinds to send, comma-separated: page, slots, workspace; "+
		"or alone: submit (bookings for distinct free slots across the studios' practitioners) or contend "+
		"(rounds of --concurrency simultaneous bookings for one slot: one 201, the rest 409); both need the server "+
		"started with DAOYUE_LOADTEST_LIMITS=on; or alone abandon (--concurrency clients each giving up 0.2–4 ms into every "+
		"page or workspace request while 2 patient clients wait for theirs, which must all be answered without a server error)")
	studios := fs.Int("studios", 0, "with --only submit or contend: book in studios lt1…ltN (default: those --seed-studios made, else --workspace)")
	serviceID := fs.String("service", "", "service id (default: the studio's first)")
	practitionerID := fs.String("practitioner", "", "slots of this practitioner (default: any practitioner)")
	floor := fs.Bool("floor", false, "also measure bare net/http on loopback serving a body the size of the slots answer, same clients, same time, and print the ratio")
	dbURL := fs.String("database-url", "", "the server's database (its DAOYUE_DATABASE_URL): measure its durable insert floor (8 writers on a scratch table)")
	seed := fs.Int("seed-studios", 0, "with --database-url, before the load: create this many studios lt1, lt2, … (8 practitioners working all day every day, an online auto-confirmed 60-minute service on a 15-minute grid) and read lt1")
	seedFrom := fs.Int("seed-from", 1, "with --seed-studios: number the studios from this one (several seeding processes in parallel, each its own range)")
	seedBookings := fs.Int("seed-bookings", 0, "with --seed-studios: this many confirmed bookings for each practitioner, 3 hours apart from two years back")
	check := fs.Bool("check", false, "with --database-url: check that no two active bookings of a practitioner overlap and that every confirmed online booking has exactly one Zoom meeting of its own")
	boundRows := fs.Int("bound-rows", 0, "with --only submit and --database-url: also measure the least a booking could cost here, net/http POSTs each "+
		"decoded and answered with this many rows inserted in one transaction (a booking and its email write about 15), and DaoYue's ratio to it")
	zoomSim := fs.String("zoom-sim", "", "base URL of a Zoom simulator (`daoyue zoomsim --users N`, the server started with the DAOYUE_ZOOM_* settings it prints): "+
		"with --seed-studios, connect each seeded practitioner to its own account there (8 a studio), so online bookings get meetings; "+
		"after submissions, wait for every meeting before the floors; with --check, compare the simulator's meetings with the bookings")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var urls []string
	for _, t := range strings.Split(*target, ",") {
		u, err := loopbackURL(t)
		if err != nil {
			return fmt.Errorf("--url: %w", err)
		}
		urls = append(urls, u.Scheme+"://"+u.Host)
	}
	submit := *only == "submit" || *only == "contend"
	if len(urls) > 1 && !submit {
		return fmt.Errorf("--url: several servers only with --only submit or contend")
	}
	if *rate < 1 || *rate > 2000 || *dur <= 0 || *dur > 2*time.Minute || *clients < 0 || *clients > 254 || *concurrency < 0 || *concurrency > 256 {
		return fmt.Errorf("--rate must be 1–2000, --concurrency 0–256, --duration at most 2m and --clients 0–254")
	}
	if (*check || *seed > 0 || *zoomSim != "") && *dbURL == "" {
		return fmt.Errorf("--check, --seed-studios and --zoom-sim need --database-url")
	}
	if *zoomSim != "" {
		if _, err := loopbackURL(*zoomSim); err != nil {
			return fmt.Errorf("--zoom-sim: %w", err)
		}
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 300}}
	// Connections dialed for requests given up before they were sent sit
	// idle, unused; the server's shutdown waits 5 s for such ones.
	defer client.CloseIdleConnections()
	if *seed > 0 {
		made, err := seedStudios(ctx, *dbURL, *seedFrom, *seed, *seedBookings, stdout)
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		if *zoomSim != "" {
			if err := connectZoom(ctx, client, urls[0], *zoomSim, made, stdout); err != nil {
				return fmt.Errorf("--zoom-sim: %w", err)
			}
		}
		*slug = "lt1"
	}
	workspaceSet := false
	fs.Visit(func(f *flag.Flag) { workspaceSet = workspaceSet || f.Name == "workspace" })
	if *studios > 0 && !workspaceSet {
		*slug = "lt1" // the seeded studios' pages, not the demo's
	}
	base := urls[0]
	var failed error
	var ours float64 // submissions a second, for the ratio to the durable insert floor
	if submit {
		slugs := []string{*slug}
		if n := max(*studios, *seed); n > 0 {
			slugs = nil
			for i := 1; i <= n; i++ {
				slugs = append(slugs, fmt.Sprintf("lt%d", i))
			}
		}
		slots, err := collectSlots(ctx, client, base, slugs)
		if err != nil {
			return err
		}
		conc := max(*concurrency, 1)
		sb := &submitter{client: client, bases: newBases(urls), clients: *clients, run: daoyue.NewToken()[:8]}
		fmt.Fprintf(stdout, "loadtest %s: %s, %d clients, %d free slots read in %d studios\n", strings.Join(urls, " + "), *only, conc, len(slots), len(slugs))
		var rs []result
		var elapsed time.Duration
		name := "POST booking, distinct free slots"
		if *only == "submit" {
			var ranOut bool
			stop := timedBar("submitting", *dur)
			rs, elapsed, ranOut = sb.runSubmit(ctx, slots, conc, *dur)
			stop()
			if ranOut {
				fmt.Fprintf(stdout, "(ran out of free slots after %s: seed more studios for a longer run)\n", elapsed.Round(time.Millisecond))
			}
		} else {
			var rounds, bad int
			stop := timedBar("contending", *dur)
			rs, elapsed, rounds, bad = sb.runContend(ctx, slots, conc, *dur)
			stop()
			name = fmt.Sprintf("POST booking, %d at once for one slot", conc)
			fmt.Fprintf(stdout, "contention: %d rounds of %d, %d rounds without exactly one 201\n", rounds, conc, bad)
			if bad > 0 {
				failed = fmt.Errorf("contention: %d rounds without exactly one winner", bad)
			}
		}
		printResults(stdout, []kind{{name, ""}}, map[int][]result{0: rs}, elapsed)
		created := 0
		for _, r := range rs {
			if r.status == http.StatusCreated {
				created++
			}
		}
		ours = float64(created) / elapsed.Seconds()
		fmt.Fprintf(stdout, "answers:%s; %.0f bookings/s, %.0f answers/s; %d sent again after a refused connection\n",
			statusCounts(rs), ours, float64(len(rs))/elapsed.Seconds(), sb.retried.Load())
		if *only == "contend" {
			ours = float64(len(rs)) / elapsed.Seconds()
		}
		*floor = false
	}

	var pub struct {
		Services []struct {
			ID string `json:"id"`
		} `json:"services"`
	}
	if err := getJSON(ctx, client, base+"/api/v1/public/workspaces/"+*slug, &pub); err != nil || len(pub.Services) == 0 {
		return fmt.Errorf("read the workspace %q: %v", *slug, err)
	}
	from := time.Now().Format(time.DateOnly)
	to := time.Now().AddDate(0, 0, 30).Format(time.DateOnly)
	svc := pub.Services[0].ID
	if *serviceID != "" {
		svc = *serviceID
	}
	slotsPath := "/api/v1/public/workspaces/" + *slug + "/slots?service_id=" + svc + "&from=" + from + "&to=" + to
	slotsName := "GET slots API (31 days, any practitioner)"
	if *practitionerID != "" {
		slotsPath += "&practitioner_id=" + url.QueryEscape(*practitionerID)
		slotsName = "GET slots API (31 days, one practitioner)"
	}
	all := map[string]kind{
		"page":      {"GET /w/{slug}", "/w/" + *slug + "?service=" + svc},
		"slots":     {slotsName, slotsPath},
		"workspace": {"GET /api/v1/public/workspaces/{slug}", "/api/v1/public/workspaces/" + *slug},
	}
	var kinds []kind
	abandon := *only == "abandon"
	if abandon {
		kinds = []kind{all["page"], all["workspace"]}
		*floor = false
	}
	for _, k := range strings.Split(*only, ",") {
		if submit || abandon {
			break
		}
		kd, ok := all[strings.TrimSpace(k)]
		if !ok {
			return fmt.Errorf("--only: %q is not page, slots or workspace", k)
		}
		kinds = append(kinds, kd)
	}
	d := driver{client: client, clients: *clients, rate: *rate, concurrency: *concurrency, dur: *dur}
	var storm chan int64
	if abandon {
		d.concurrency = 2 // the patient clients
		storm = make(chan int64, 1)
		go func() { storm <- abandonStorm(ctx, client, base, kinds, max(*concurrency, 1), *dur) }()
	}

	mode := fmt.Sprintf("%d req/s", *rate)
	if abandon {
		mode = fmt.Sprintf("2 patient clients back to back while %d give up on theirs", max(*concurrency, 1))
	} else if *concurrency > 0 {
		mode = fmt.Sprintf("%d clients back to back", *concurrency)
	}
	var slotsBody []byte
	if *floor {
		var err error
		// The floor's body is the size of the slots answer (read now,
		// before the load can spend the per-address allowance).
		if slotsBody, err = getBody(ctx, client, base+slotsPath); err != nil {
			return fmt.Errorf("read the slots answer for the floor's body size: %w", err)
		}
	}
	if !submit {
		stop := timedBar("loading "+base, *dur)
		by, elapsed := d.run(ctx, base, kinds)
		stop()
		fmt.Fprintf(stdout, "loadtest %s: %s for %s\n", base, mode, elapsed.Round(time.Millisecond))
		printResults(stdout, kinds, by, elapsed)
		total := 0
		for _, rs := range by {
			total += len(rs)
		}
		ours = float64(total) / elapsed.Seconds()
		if abandon {
			failed = checkPatient(stdout, <-storm, by)
		}
	}

	if *floor {
		// The floor: net/http alone on loopback, answering every request
		// with a body the size of DaoYue's slots answer, driven the same way.
		body := slotsBody
		fbase, stop, err := serveBare(len(body))
		if err != nil {
			return err
		}
		fk := []kind{{fmt.Sprintf("floor: bare net/http, %d-byte body", len(body)), "/"}}
		done := timedBar("floor: bare net/http", *dur)
		fby, felapsed := d.run(ctx, fbase, fk)
		done()
		stop()
		printResults(stdout, fk, fby, felapsed)
		bare := float64(len(fby[0])) / felapsed.Seconds()
		fmt.Fprintf(stdout, "ratio: DaoYue %.0f req/s / floor %.0f req/s = %.1f%%\n", ours, bare, 100*ours/bare)
	}
	if *dbURL != "" {
		db, err := store.Open(ctx, *dbURL)
		if err != nil {
			return fmt.Errorf("--database-url: %w", err)
		}
		defer db.Close()
		if *zoomSim != "" && submit {
			// Meetings still being created would slow the floor's inserts.
			if err := waitMeetingsSettled(ctx, db, 5*time.Minute, stdout); err != nil {
				return err
			}
		}
		stop := timedBar("floor: durable inserts", min(*dur, 5*time.Second))
		n, took, err := insertFloor(ctx, db, 8, min(*dur, 5*time.Second))
		stop()
		if err != nil {
			return fmt.Errorf("durable insert floor: %w", err)
		}
		fl := float64(n) / took.Seconds()
		fmt.Fprintf(stdout, "floor: durable inserts on %s, 8 writers, one row a transaction: %.0f/s (%d in %s)\n",
			db.Dialect(), fl, n, took.Round(time.Millisecond))
		if submit {
			fmt.Fprintf(stdout, "ratio: DaoYue %.0f %s/s / durable insert floor %.0f/s = %.3f\n", ours,
				map[bool]string{true: "bookings", false: "answers"}[*only == "submit"], fl, ours/fl)
		}
		if *only == "submit" && *boundRows > 0 {
			stop := timedBar("bound: POST and inserts", min(*dur, 5*time.Second))
			n, took, err := postBound(ctx, db, *boundRows, max(*concurrency, 1), min(*dur, 5*time.Second))
			stop()
			if err != nil {
				return fmt.Errorf("the POST bound: %w", err)
			}
			b := float64(n) / took.Seconds()
			fmt.Fprintf(stdout, "bound: net/http POST, JSON decoded, %d rows inserted in one transaction, %d clients: %.0f/s (%.3f of the durable insert floor)\n",
				*boundRows, max(*concurrency, 1), b, b/fl)
			fmt.Fprintf(stdout, "ratio: DaoYue %.0f bookings/s / bound %.0f/s = %.2f\n", ours, b, ours/b)
		}
		if *check {
			if err := checkConsistency(ctx, db, stdout); err != nil {
				return err
			}
			if *zoomSim != "" {
				if err := checkMeetings(ctx, db, client, *zoomSim, stdout); err != nil {
					return err
				}
			}
		}
	}
	return failed
}

// seedStudios creates studios lt1…ltN, each with 8 practitioners working
// all day every day and an online, auto-confirmed 60-minute service on a
// 15-minute grid, and bookings confirmed bookings per practitioner (with
// their reservations) 3 hours apart from two years back. Existing studios
// are kept; it returns those it made.
func seedStudios(ctx context.Context, dbURL string, from, studios, bookings int, w io.Writer) ([]seededStudio, error) {
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	a := app.New(db, logging.Discard())
	a.Limits = app.Limits{}
	now := time.Now().UTC().Truncate(time.Hour)
	var allDay []daoyue.WeeklyRule
	for d := time.Sunday; d <= time.Saturday; d++ {
		allDay = append(allDay, daoyue.WeeklyRule{Weekday: d, Start: 0, End: 24 * 60})
	}
	t0 := time.Now()
	var made []seededStudio
	bar := countBar(int64(studios), "seeding studios")
	for s := from; s < from+studios; s++ {
		if bar != nil {
			_ = bar.Add(1)
		}
		slug := fmt.Sprintf("lt%d", s)
		owner, password := "owner@"+slug+".loadtest.test", daoyue.NewToken()[:16]
		st, err := demo.Create(ctx, a, slug, "Loadtest "+slug, owner, password)
		if daoyue.IsCode(err, daoyue.ECONFLICT) {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("studio %s: %w", slug, err)
		}
		u, err := a.EnsureMember(ctx, slug, owner, "Owner", "", daoyue.RoleOwner)
		if err != nil {
			return nil, err
		}
		actx := daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorMember, UserID: u.ID, Label: u.Email})
		var ids []string
		for i := 0; i < 8; i++ {
			p := &daoyue.Practitioner{Name: fmt.Sprintf("P%d", i), Email: fmt.Sprintf("p%d@%s.loadtest.test", i, slug), Active: true, Weekly: allDay}
			if err := a.CreatePractitioner(actx, slug, p); err != nil {
				return nil, err
			}
			ids = append(ids, p.ID)
		}
		svc := &daoyue.Service{Name: "Any of 8", DurationMin: 60, BufferAfter: 15, SlotStep: 15, HorizonDays: 60, Online: true,
			Price: daoyue.Money{Amount: 1000, Currency: "TWD"}, Confirmation: daoyue.ConfirmAuto, Payment: daoyue.PaymentNone,
			MeetingHost: daoyue.HostAssigned, PractitionerIDs: ids, Active: true}
		if err := a.CreateService(actx, slug, svc); err != nil {
			return nil, err
		}
		// The demo's own services go, so the studio's first is this one.
		for _, old := range []*daoyue.Service{st.Online, st.InPerson, st.PayFirst} {
			old.Active = false
			if err := a.UpdateService(actx, slug, old); err != nil {
				return nil, err
			}
		}
		if err := demo.FillCalendar(ctx, db, svc, ids, bookings, now.AddDate(-2, 0, 0), now); err != nil {
			return nil, err
		}
		made = append(made, seededStudio{number: s, owner: owner, password: password, practitioners: ids})
	}
	fmt.Fprintf(w, "seeded %d studios (lt%d…lt%d), 8 practitioners each, %d bookings per practitioner, in %s\n",
		len(made), from, from+studios-1, bookings, time.Since(t0).Round(time.Millisecond))
	return made, nil
}

type kind struct{ name, path string }

type result struct {
	kind    int
	latency time.Duration
	status  int
}

// driver sends requests at a fixed rate, or back to back from a number of
// clients, for a fixed time.
type driver struct {
	client      *http.Client
	clients     int
	rate        int
	concurrency int
	dur         time.Duration
}

func (d driver) run(ctx context.Context, base string, kinds []kind) (map[int][]result, time.Duration) {
	results := make(chan result, 1024)
	collected := make(chan map[int][]result)
	go func() {
		by := map[int][]result{}
		for r := range results {
			by[r.kind] = append(by[r.kind], r)
		}
		collected <- by
	}()
	ctx, cancel := context.WithTimeout(ctx, d.dur)
	defer cancel()
	var wg sync.WaitGroup
	var n atomic.Int64
	one := func(k int) {
		t0 := time.Now()
		status := 0
		req, _ := http.NewRequest(http.MethodGet, base+kinds[k%len(kinds)].path, nil)
		if d.clients > 0 {
			// TEST-NET-2 addresses: a header value only, never a destination.
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.100.%d", 1+k%d.clients))
		}
		if resp, err := d.client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			status = resp.StatusCode
		}
		results <- result{k % len(kinds), time.Since(t0), status}
	}
	start := time.Now()
	if d.concurrency > 0 {
		for c := 0; c < d.concurrency; c++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					one(int(n.Add(1) - 1))
				}
			}()
		}
	} else {
		tick := time.NewTicker(time.Second / time.Duration(d.rate))
		defer tick.Stop()
	loop:
		for i := 0; ; i++ {
			select {
			case <-ctx.Done():
				break loop
			case <-tick.C:
				wg.Add(1)
				go func(k int) { defer wg.Done(); one(k) }(i)
			}
		}
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(results)
	return <-collected, elapsed
}

func printResults(w io.Writer, kinds []kind, by map[int][]result, elapsed time.Duration) {
	fmt.Fprintf(w, "%-48s %7s %8s %8s %8s %8s %8s  %s\n", "request", "count", "req/s", "p50", "p95", "p99", "max", "statuses")
	for k, kd := range kinds {
		rs := by[k]
		if len(rs) == 0 {
			continue
		}
		lat := make([]time.Duration, len(rs))
		statuses := map[int]int{}
		for i, r := range rs {
			lat[i] = r.latency
			statuses[r.status]++
		}
		slices.Sort(lat)
		q := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))].Round(10 * time.Microsecond) }
		fmt.Fprintf(w, "%-48s %7d %8.0f %8s %8s %8s %8s  %v\n", kd.name, len(rs), float64(len(rs))/elapsed.Seconds(),
			q(.50), q(.95), q(.99), lat[len(lat)-1].Round(10*time.Microsecond), statuses)
	}
}

// serveBare serves size bytes of JSON-looking text to every request on a
// loopback port until stop.
func serveBare(size int) (base string, stop func(), err error) {
	body := []byte(strings.Repeat(`{"start":"2026-12-01T09:00:00+08:00"},`, size/38+1)[:size])
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(body)
	})}
	go func() { _ = hs.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = hs.Close() }, nil
}

// insertFloor is what the database itself does for durable writes: writers
// each committing one small row a transaction, through the store's own
// pool (SQLite: its one writer connection, WAL, its synchronous setting;
// PostgreSQL: its pool and the server's settings), on a scratch table
// dropped afterwards.
func insertFloor(ctx context.Context, db *store.DB, writers int, dur time.Duration) (int64, time.Duration, error) {
	ins, drop, err := scratchInserter(ctx, db, "loadtest_floor")
	if err != nil {
		return 0, 0, err
	}
	defer drop()
	payload := strings.Repeat("x", 200)
	return closedLoop(ctx, writers, dur, func(ctx context.Context) error { return ins(ctx, 1, payload) })
}

// scratchInserter makes a scratch table and returns a function that
// inserts n rows of payload there in one transaction, one statement a row
// (as a booking writes its rows), and one that drops the table.
func scratchInserter(ctx context.Context, db *store.DB, table string) (insert func(ctx context.Context, n int, payload string) error, drop func(), err error) {
	w := db.SQL()
	if _, err := w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+table+` (id TEXT PRIMARY KEY, payload TEXT NOT NULL)`); err != nil {
		return nil, nil, err
	}
	q := `INSERT INTO ` + table + ` (id, payload) VALUES (?, ?)`
	if db.Dialect() == "postgres" {
		q = `INSERT INTO ` + table + ` (id, payload) VALUES ($1, $2)`
	}
	insert = func(ctx context.Context, n int, payload string) error {
		tx, err := w.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		for range n {
			if _, err := tx.ExecContext(ctx, q, daoyue.NewID("lt"), payload); err != nil {
				_ = tx.Rollback()
				return err
			}
		}
		return tx.Commit()
	}
	return insert, func() { _, _ = w.ExecContext(context.Background(), `DROP TABLE `+table) }, nil
}

// closedLoop runs f back to back in workers goroutines for dur and counts
// the successes; the first error other than the end of dur stops its worker
// and is returned.
func closedLoop(ctx context.Context, workers int, dur time.Duration, f func(context.Context) error) (int64, time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, dur)
	defer cancel()
	var n atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				err := f(ctx)
				if err == nil {
					n.Add(1)
				} else if ctx.Err() == nil {
					once.Do(func() { firstErr = err })
					return
				}
			}
		}()
	}
	wg.Wait()
	return n.Load(), time.Since(start), firstErr
}

// postBound is the least a booking request could cost here: net/http on
// loopback answering POSTs of a booking's JSON by decoding it and inserting
// rows rows in one transaction on the server's database, driven by the
// same number of clients. A booking does all that and more (the slot check,
// the limits, composing the email), so its ratio to this bound says how
// much of the remaining gap is the booking's own work.
func postBound(ctx context.Context, db *store.DB, rows, clients int, dur time.Duration) (int64, time.Duration, error) {
	ins, drop, err := scratchInserter(ctx, db, "loadtest_bound")
	if err != nil {
		return 0, 0, err
	}
	defer drop()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, 0, err
	}
	hs := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		b, _ := json.Marshal(in)
		if err := ins(r.Context(), rows, string(b)); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"id":"` + daoyue.NewID("bk") + `","status":"confirmed"}`))
	})}
	go func() { _ = hs.Serve(ln) }()
	defer hs.Close()
	u := "http://" + ln.Addr().String() + "/"
	c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	body := []byte(`{"service_id":"svc_7kq2m9x4p1zt","practitioner_id":"prc_3hd8w2n6v0cy","start":"2026-12-20T10:00:00+08:00",` +
		`"client":{"name":"林美玲","email":"meiling@example.com","phone":"0912345678"},"note":"第一次上課","language":"zh-TW"}`)
	return closedLoop(ctx, clients, dur, func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			return fmt.Errorf("the bound's server answered %d", resp.StatusCode)
		}
		return nil
	})
}

// checkConsistency reads the bookings: no two live reservations of one
// practitioner overlap (the calendar's own promise), and every confirmed
// online booking has exactly one Zoom meeting that no other booking has.
func checkConsistency(ctx context.Context, db *store.DB, w io.Writer) error {
	q := func(what, query string) (int64, error) {
		var n int64
		if err := db.ReadSQL().QueryRowContext(ctx, query).Scan(&n); err != nil {
			return 0, fmt.Errorf("check %s: %w", what, err)
		}
		return n, nil
	}
	// A booking's block that starts before the latest end of the earlier
	// blocks of its practitioner overlaps one of them (one pass over the
	// index, not a self-join). Reschedule holds (request_id set) are left
	// out: they may overlap their own booking.
	overlaps, err := q("overlaps", `SELECT count(*) FROM (SELECT block_start, max(block_end) OVER (PARTITION BY practitioner_id
		ORDER BY block_start, booking_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
		FROM reservations WHERE request_id = '') r WHERE prev_end > block_start`)
	if err != nil {
		return err
	}
	confirmed, err := q("confirmed online bookings", `SELECT count(*) FROM bookings WHERE status = 'confirmed' AND online`)
	if err != nil {
		return err
	}
	noMeeting, err := q("meetings", `SELECT count(*) FROM bookings WHERE status = 'confirmed' AND online AND (meeting_status <> 'created' OR meeting_zoom_id = 0)`)
	if err != nil {
		return err
	}
	shared, err := q("shared meetings", `SELECT count(*) FROM (SELECT meeting_zoom_id FROM bookings WHERE meeting_zoom_id <> 0
		GROUP BY meeting_zoom_id HAVING count(*) > 1) s`)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "consistency: %d bookings overlapping an earlier one of their practitioner; %d confirmed online bookings, %d without a created meeting, %d meetings shared by several bookings\n",
		overlaps, confirmed, noMeeting, shared)
	if overlaps > 0 || shared > 0 {
		return fmt.Errorf("consistency check failed")
	}
	return nil
}

func getBody(ctx context.Context, c *http.Client, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("%s answered %d", u, resp.StatusCode)
	}
	return io.ReadAll(resp.Body)
}

func getJSON(ctx context.Context, c *http.Client, u string, v any) error {
	b, err := getBody(ctx, c, u)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
