package main

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue/store/storetest"
)

// TestFaultPostgresRestart is the PostgreSQL fault run with the database
// server itself crashed mid-load (pg_ctl stop -m immediate: every backend
// dies at once, as in a crash, and the next start runs crash recovery) and
// started again a few seconds later, while the daoyue servers keep running.
// They must ride it out: a request during the outage is answered 503 by a
// live process, the job queue resumes when the database is back, nothing
// acknowledged is lost and each meeting is created once.
//
// So as not to disturb the shared server named by DAOYUE_TEST_POSTGRES_URL
// (which only switches the PostgreSQL tests on), the run makes its own
// throwaway cluster with the PostgreSQL binaries found on the machine
// (initdb, pg_ctl, postgres; as the postgres user when run as root, since
// initdb refuses root).
//
// Longer: DAOYUE_FAULT_PG_RESTARTS=n (default 1) crashes, each an outage of
// DAOYUE_FAULT_PG_OUTAGE (default 3s), spread over the run, on top of the
// knobs of the other fault runs, for example
//
//	DAOYUE_FAULT_PG_RESTARTS=5 DAOYUE_FAULT_PG_OUTAGE=10s DAOYUE_FAULT_BOOKINGS=200 \
//	go test ./cmd/daoyue -run TestFaultPostgresRestart -v -timeout 60m
//
// The daoyue servers are not killed in this run unless DAOYUE_FAULT_KILLS
// asks for it.
func TestFaultPostgresRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	if os.Getenv(storetest.PostgresEnv) == "" {
		t.Skip(storetest.PostgresEnv + " is not set")
	}
	pg := newPGCluster(t)
	runFault(t, pg.url(), 2, pg)
}

// pgCluster is a throwaway PostgreSQL server of the test's own.
type pgCluster struct {
	t       *testing.T
	bin     string   // folder of initdb, pg_ctl, postgres
	as      []string // command prefix that runs as the cluster's owner
	dir     string   // data folder
	sock    string   // unix socket folder
	logFile string
	port    int

	restarts int
	outage   time.Duration
	down     []time.Duration // how long each outage lasted
}

// newPGCluster initializes and starts a cluster in a fresh folder, or
// skips the test saying why it cannot.
func newPGCluster(t *testing.T) *pgCluster {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	sort.Sort(sort.Reverse(sort.StringSlice(bins))) // the newest version first
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		bins = append(bins, p)
	}
	var bin string
	for _, b := range bins {
		if real, err := filepath.EvalSymlinks(b); err == nil {
			b = real // /usr/local/bin/pg_ctl → /usr/lib/postgresql/15/bin/pg_ctl
		}
		d := filepath.Dir(b)
		if fileExists(filepath.Join(d, "initdb")) && fileExists(filepath.Join(d, "postgres")) {
			bin = d
			break
		}
	}
	if bin == "" {
		t.Skip("no PostgreSQL server binaries (initdb, pg_ctl, postgres in /usr/lib/postgresql/*/bin or on PATH) for a throwaway cluster")
	}
	c := &pgCluster{t: t, bin: bin, restarts: 1, outage: 3 * time.Second}
	if v := os.Getenv("DAOYUE_FAULT_PG_RESTARTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			t.Fatalf("DAOYUE_FAULT_PG_RESTARTS: %q is not a count", v)
		}
		c.restarts = n
	}
	if v := os.Getenv("DAOYUE_FAULT_PG_OUTAGE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("DAOYUE_FAULT_PG_OUTAGE: %v", err)
		}
		c.outage = d
	}

	// The folder is under /tmp rather than t.TempDir(): when run as root
	// the cluster belongs to the postgres user, who cannot enter the
	// test's private temporary folder.
	root, err := os.MkdirTemp("", "daoyue-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("running as root, and there is no postgres user to own a throwaway cluster (initdb refuses root)")
		}
		runuser, err := exec.LookPath("runuser")
		if err != nil {
			t.Skip("running as root, and there is no runuser to run initdb as the postgres user (initdb refuses root)")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(root, uid, gid); err != nil {
			t.Fatal(err)
		}
		c.as = []string{runuser, "-u", "postgres", "--"}
	}
	if err := os.Chmod(root, 0o700); err != nil {
		t.Fatal(err)
	}
	c.dir, c.sock, c.logFile = filepath.Join(root, "data"), filepath.Join(root, "sock"), filepath.Join(root, "postgres.log")
	c.port = freePort(t)
	c.run("initdb", "-D", c.dir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C")
	c.run("mkdir", c.sock)
	c.start()
	t.Cleanup(func() {
		_ = c.cmd("pg_ctl", "stop", "-D", c.dir, "-m", "immediate").Run()
		if t.Failed() {
			b, _ := os.ReadFile(c.logFile)
			if len(b) > 4000 {
				b = b[len(b)-4000:]
			}
			t.Logf("--- end of the throwaway PostgreSQL's log:\n%s", b)
		}
	})
	admin, err := sql.Open("pgx", strings.Replace(c.url(), "/fault?", "/postgres?", 1))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE DATABASE fault`); err != nil {
		t.Fatalf("create the throwaway database: %v", err)
	}
	return c
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func (c *pgCluster) cmd(name string, args ...string) *exec.Cmd {
	if name != "mkdir" {
		name = filepath.Join(c.bin, name)
	}
	argv := append(append(append([]string{}, c.as...), name), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = os.TempDir() // a folder the postgres user may stand in
	return cmd
}

func (c *pgCluster) run(name string, args ...string) {
	c.t.Helper()
	if out, err := c.cmd(name, args...).CombinedOutput(); err != nil {
		c.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

func (c *pgCluster) url() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/fault?sslmode=disable", c.port)
}

// start starts the server and waits until it takes connections (after
// crash recovery, when it was crashed).
func (c *pgCluster) start() {
	c.run("pg_ctl", "start", "-w", "-t", "60", "-D", c.dir, "-l", c.logFile, "-o",
		fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=100", c.port, c.sock))
}

// crash stops the server the hard way: SIGQUIT to the postmaster, every
// backend gone at once, no checkpoint.
func (c *pgCluster) crash() {
	c.run("pg_ctl", "stop", "-D", c.dir, "-m", "immediate")
}

// restartLoop crashes the database c.restarts times at moments spread
// over the run, keeps it down for c.outage, asks each daoyue server for a
// page that needs the database while it is down (a live process must
// answer 503), and starts it again.
func (r *faultRun) restartLoop(ctx context.Context, procs []*faultProc) {
	c := r.pg
	for k := 0; k < c.restarts; k++ {
		part := r.cfg.duration / time.Duration(c.restarts)
		wait := part/4 + time.Duration(r.intn(int(part/time.Millisecond)/2+1))*time.Millisecond
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		down := time.Now()
		c.crash()
		r.t.Logf("PostgreSQL crashed (pg_ctl stop -m immediate) at %s", down.Format("15:04:05.000"))
		time.Sleep(min(c.outage/3, time.Second))
		for _, p := range procs {
			r.probeDown(p)
		}
		time.Sleep(time.Until(down.Add(c.outage)))
		c.start()
		c.down = append(c.down, time.Since(down))
		r.t.Logf("PostgreSQL up again after %s", time.Since(down).Round(10*time.Millisecond))
	}
}

// probeDown asks a server for the studio's booking page while the database
// is down: the process must be alive and answer 503.
func (r *faultRun) probeDown(p *faultProc) {
	p.mu.Lock()
	addr, running := p.addr, p.cmd != nil
	p.mu.Unlock()
	if !running {
		return // killed by the kill loop (DAOYUE_FAULT_KILLS) just now
	}
	client := &http.Client{Timeout: 20 * time.Second}
	resp, err := client.Get("http://" + addr + "/w/" + r.slug)
	if err != nil {
		r.t.Errorf("%s while PostgreSQL was down: %v", p.name, err)
		return
	}
	resp.Body.Close()
	r.mu.Lock()
	defer r.mu.Unlock()
	if resp.StatusCode != http.StatusServiceUnavailable {
		r.t.Errorf("%s while PostgreSQL was down: GET /w/%s answered %s, want 503", p.name, r.slug, resp.Status)
		return
	}
	r.probes503++
}
