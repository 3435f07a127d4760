package e2e

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite" // read the product's SQLite file, read-only

	"github.com/daoyue/daoyue/internal/testenv"
)

// The sign-ins the journeys use; the product is started with them.
const (
	reviewEmail    = "reviewer@zoom-review.daoyue.app"
	reviewPassword = "e2e-reviewer-password"
	demoEmail      = "owner@demo.daoyue.test"
	demoPassword   = "e2e-demo-owner-password"
)

// product is one running `daoyue serve` with its own data folder.
type product struct {
	Base    string // http://127.0.0.1:PORT
	Public  string // DAOYUE_BASE_URL when it is not Base (production-like runs)
	DataDir string
	Console string // what it printed on start (the banner)

	logs *testenv.SyncBuffer
}

// bannerOpen is the banner line that gives the base URL; the banner is
// printed once the server answers and the job workers run.
var bannerOpen = regexp.MustCompile(`(?m)^\s*Open:\s+(https?://\S+?)/?\s*$`)

// bannerAddr is the banner line that gives the listen address.
var bannerAddr = regexp.MustCompile(`(?m)is running \(\S+ mode\) on (\S+):(\d+)\s*$`)

// startProduct builds nothing: it runs the binary TestMain built, as
// `daoyue serve` on 127.0.0.1:0 with SQLite in a fresh folder, the known
// sign-ins, and env added (DAOYUE_* settings). It stops the process when
// the test ends.
func startProduct(t *testing.T, env ...string) *product {
	t.Helper()
	dir := t.TempDir()
	p := &product{DataDir: dir, logs: &testenv.SyncBuffer{}}
	out := &testenv.SyncBuffer{}
	banner := out.Watch(bannerOpen)
	cmd := exec.Command(binPath, "serve")
	cmd.Dir = dir
	// The product refuses unknown DAOYUE_* variables, and CI sets some for
	// the tests (DAOYUE_E2E, DAOYUE_TEST_POSTGRES_URL): pass none through.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DAOYUE_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env,
		"DAOYUE_ADDR=127.0.0.1:0",
		"DAOYUE_DATA_DIR="+dir,
		"DAOYUE_DATABASE_URL="+filepath.Join(dir, "daoyue.db"),
		"DAOYUE_REVIEW_EMAIL="+reviewEmail,
		"DAOYUE_REVIEW_PASSWORD="+reviewPassword,
		"DAOYUE_DEMO_EMAIL="+demoEmail,
		"DAOYUE_DEMO_PASSWORD="+demoPassword,
	)
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout, cmd.Stderr = out, p.logs
	started := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start daoyue: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("daoyue did not stop cleanly: %v", err)
			}
		case <-time.After(25 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
			t.Errorf("daoyue did not stop within 25 s of an interrupt")
		}
		if t.Failed() {
			t.Logf("daoyue's log (last 6000 bytes):\n%s", tail(p.logs.String(), 6000))
		}
	})
	select {
	case m := <-banner:
		p.Base = m[1]
		if strings.HasPrefix(p.Base, "https://") {
			// A production-like build with a public https base: the
			// browser talks to the local listener, as localhost (where
			// Secure cookies work over http).
			a := bannerAddr.FindStringSubmatch(out.String())
			if a == nil {
				t.Fatalf("no listen address in the banner:\n%s", out.String())
			}
			p.Public, p.Base = p.Base, "http://localhost:"+a[2]
		}
	case err := <-exited:
		t.Fatalf("daoyue stopped on start: %v\n%s\n%s", err, out.String(), p.logs.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("daoyue printed no banner within 60 s:\n%s\n%s", out.String(), p.logs.String())
	}
	p.Console = out.String()
	t.Logf("daoyue serving at %s (started in %s)", p.Base, time.Since(started).Round(time.Millisecond))
	return p
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// httpGet fetches a URL without cookies, as a stranger would.
func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// db opens the product's SQLite file read-only.
func (p *product) db(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(p.DataDir, "daoyue.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// count runs a COUNT(*) query on the product's database.
func (p *product) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := p.db(t).QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// rawDatabase is every byte SQLite keeps on disk, by file: the database,
// its WAL and its rollback journal.
func (p *product) rawDatabase(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, suffix := range []string{"", "-wal", "-journal"} {
		name := "daoyue.db" + suffix
		b, err := os.ReadFile(filepath.Join(p.DataDir, name))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		files[name] = b
	}
	return files
}
