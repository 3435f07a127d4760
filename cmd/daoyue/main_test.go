package main

import (
	"bytes"
	"context"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue/internal/testenv"
)

// start runs the whole program as `daoyue serve` on a free port with its
// data folder in dir, and returns the base URL and the console output.
func start(t *testing.T, dir string, extraEnv ...string) (string, *testenv.SyncBuffer, func()) {
	t.Helper()
	env := append([]string{"DAOYUE_ADDR=127.0.0.1:0", "DAOYUE_DATA_DIR=" + dir,
		"DAOYUE_DATABASE_URL=" + filepath.Join(dir, "daoyue.db")}, extraEnv...)
	cfg, err := LoadConfig(env)
	if err != nil {
		t.Fatal(err)
	}
	out, logs := &testenv.SyncBuffer{}, &testenv.SyncBuffer{}
	ready := make(chan string, 1)
	m := &Main{Config: cfg, Stdout: out, Stderr: logs, Ready: ready}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("server stopped: %v\n%s", err, logs.String())
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start")
	}
	stop := func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("shutdown: %v", err)
		}
	}
	return addr, out, stop
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// The newcomer's first run: migrations apply, the demo studio exists, the
// console says where to go and how to sign in; a second start keeps the data
// and prints the same password.
func TestFirstRunAndRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	base, out, stop := start(t, dir)
	if code, body := get(t, base+"/healthz"); code != 200 {
		t.Fatalf("/healthz: %d %s", code, body)
	}
	if code, body := get(t, base+"/readyz"); code != 200 {
		t.Fatalf("/readyz: %d %s", code, body)
	}
	if code, body := get(t, base+"/api/v1/public/workspaces/demo"); code != 200 || !strings.Contains(body, "Asia/Taipei") {
		t.Fatalf("demo workspace: %d %s", code, body)
	}
	// No Zoom credentials: the simulator stands in, and pages say so.
	if code, body := get(t, base+"/w/demo?lang=en"); code != 200 || !strings.Contains(body, "Zoom is simulated") {
		t.Fatalf("public page does not say Zoom is simulated: %d", code)
	}
	if code, body := get(t, base+"/zoomsim/oauth/authorize"); code != 400 && code != 200 {
		t.Fatalf("simulator not mounted: %d %s", code, body)
	}
	// The webhook is configured with the simulator's secret: an unsigned
	// event is refused as unsigned, not as unconfigured.
	resp, err := http.Post(base+"/webhooks/zoom", "application/json", strings.NewReader(`{"event":"app_deauthorized"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unsigned webhook: %d", resp.StatusCode)
	}
	if code, body := get(t, base+"/w/zoom-review"); code != 200 || !strings.Contains(body, "Zoom Review Online Session") {
		t.Fatalf("review sandbox page: %d", code)
	}
	// The simulator's mount root is an index of its users and meetings.
	if code, body := get(t, base+"/zoomsim/"); code != 200 || !strings.Contains(body, "meiling.lin@example.com") || !strings.Contains(body, "wei.chen@example.com") {
		t.Fatalf("simulator index: %d %s", code, body)
	}
	// A call that may change the simulator's state saves it in the data folder.
	if resp, err := http.PostForm(base+"/zoomsim/oauth/revoke", url.Values{"token": {"nothing"}}); err == nil {
		resp.Body.Close()
	}
	if info, err := os.Stat(filepath.Join(dir, "zoomsim-state.json")); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("simulator state file: %v %v", info, err)
	}
	stop()
	console := out.String()
	for _, want := range []string{"/w/demo", "/admin/login", "owner@demo.daoyue.test", "password:", "/w/zoom-review", "reviewer@zoom-review.daoyue.app", "simulated"} {
		if !strings.Contains(console, want) {
			t.Errorf("console lacks %q:\n%s", want, console)
		}
	}
	pass := passwordIn(console)
	if len(pass) < 10 {
		t.Fatalf("no usable password printed:\n%s", console)
	}
	if info, err := os.Stat(filepath.Join(dir, "demo-password.txt")); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("password file: %v %v", info, err)
	}

	base, out, stop = start(t, dir)
	defer stop()
	if got := passwordIn(out.String()); got != pass {
		t.Fatalf("second start printed password %q, first %q", got, pass)
	}
	// The reviewer's sign-in is printed on every start, not only the first.
	review := reviewPasswordIn(console)
	if len(review) < 10 {
		t.Fatalf("first start printed no reviewer password:\n%s", console)
	}
	if got := reviewPasswordIn(out.String()); got != review || !strings.Contains(out.String(), "reviewer@zoom-review.daoyue.app") {
		t.Fatalf("second start: reviewer password %q, first %q:\n%s", got, review, out.String())
	}
	if b, err := os.ReadFile(filepath.Join(dir, "review-password.txt")); err != nil || strings.TrimSpace(string(b)) != review {
		t.Fatalf("review-password.txt: %q %v", b, err)
	}
	resp, err = http.Post(base+"/api/v1/auth/token", "application/json",
		strings.NewReader(`{"email":"owner@demo.daoyue.test","password":"`+pass+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("sign-in with the printed password: %d", resp.StatusCode)
	}
}

// reviewPasswordIn is the password printed under the review sandbox.
func reviewPasswordIn(console string) string {
	_, after, ok := strings.Cut(console, "Review sandbox:")
	if !ok {
		return ""
	}
	for _, line := range strings.Split(after, "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "password:" {
			return f[1]
		}
	}
	return ""
}

func passwordIn(console string) string {
	for _, line := range strings.Split(console, "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "password:" {
			return f[1]
		}
	}
	return ""
}

func TestCommandLineSetsUpAStudio(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := []string{"DAOYUE_DATABASE_URL=" + filepath.Join(dir, "d.db"), "DAOYUE_DATA_DIR=" + dir}
	var out bytes.Buffer
	ctx := context.Background()
	if err := run(ctx, []string{"workspace", "create", "--slug", "lotus", "--name", "蓮花工作室"}, env, &out, &out); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"workspace", "create", "--slug", "lotus", "--name", "again"}, env, &out, &out); err == nil || !strings.Contains(err.Error(), "taken") {
		t.Fatalf("duplicate slug: %v", err)
	}
	if err := run(ctx, []string{"workspace", "create", "--slug", "Bad Slug!", "--name", "x"}, env, &out, &out); err == nil || !strings.Contains(err.Error(), "--slug") {
		t.Fatalf("bad slug: %v", err)
	}
	if err := run(ctx, []string{"user", "create", "--workspace", "lotus", "--email", "amy@lotus.tw", "--password", "short", "--role", "owner"}, env, &out, &out); err == nil || !strings.Contains(err.Error(), "10 characters") {
		t.Fatalf("short password: %v", err)
	}
	// The role is never assumed.
	if err := run(ctx, []string{"user", "create", "--workspace", "lotus", "--email", "amy@lotus.tw", "--password", "a-long-password"}, env, &out, &out); err == nil || !strings.Contains(err.Error(), "--role") {
		t.Fatalf("no role: %v", err)
	}
	if err := run(ctx, []string{"user", "create", "--workspace", "lotus", "--email", "amy@lotus.tw", "--password", "a-long-password", "--role", "owner"}, env, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "amy@lotus.tw is now owner") {
		t.Fatalf("output: %s", out.String())
	}
	// An existing account is refused: its password is its owner's.
	if err := run(ctx, []string{"user", "create", "--workspace", "lotus", "--email", "Amy@Lotus.tw", "--password", "someone-elses-pw", "--role", "staff"}, env, &out, &out); err == nil || !strings.Contains(err.Error(), "reset-password") {
		t.Fatalf("existing email: %v", err)
	}
}

// Resetting a password on the command line ends every session and API
// token of that user; other users keep theirs.
func TestCommandLineResetPasswordEndsSessions(t *testing.T) {
	dir := t.TempDir()
	env := []string{"DAOYUE_DATABASE_URL=" + filepath.Join(dir, "d.db"), "DAOYUE_DATA_DIR=" + dir}
	var out bytes.Buffer
	ctx := context.Background()
	for _, args := range [][]string{
		{"workspace", "create", "--slug", "lotus", "--name", "蓮花工作室"},
		{"user", "create", "--workspace", "lotus", "--email", "amy@lotus.tw", "--password", "first-password", "--role", "owner"},
		{"user", "create", "--workspace", "lotus", "--email", "bo@lotus.tw", "--password", "bos-password", "--role", "staff"},
	} {
		if err := run(ctx, args, env, &out, &out); err != nil {
			t.Fatal(err)
		}
	}
	a, closeDB, err := openApp(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	amy, _, err := a.Login(ctx, "amy@lotus.tw", "first-password", "session", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	amyAPI, _, _ := a.Login(ctx, "amy@lotus.tw", "first-password", "api", "127.0.0.1")
	bo, _, _ := a.Login(ctx, "bo@lotus.tw", "bos-password", "session", "127.0.0.1")
	closeDB()
	if err := run(ctx, []string{"user", "reset-password", "--email", "amy@lotus.tw", "--password", "second-password"}, env, &out, &out); err != nil {
		t.Fatal(err)
	}
	a, closeDB, err = openApp(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB()
	for tok, kind := range map[string]string{amy: "session", amyAPI: "api"} {
		if _, err := a.Authenticate(ctx, tok, kind, ""); err == nil {
			t.Error("a session of Amy's survived her password reset")
		}
	}
	if _, err := a.Authenticate(ctx, bo, "session", ""); err != nil {
		t.Errorf("Bo's session ended: %v", err)
	}
	if _, _, err := a.Login(ctx, "amy@lotus.tw", "second-password", "session", "127.0.0.1"); err != nil {
		t.Errorf("the new password: %v", err)
	}
}

func TestProductionRefusesWithoutSecrets(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	err := run(context.Background(), []string{"serve"}, []string{"DAOYUE_ENV=production"}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "DAOYUE_SECRET_KEYS") {
		t.Fatalf("got %v", err)
	}
}

// The server runs under a soft heap limit unless the operator chose one.
func TestSoftMemoryLimit(t *testing.T) {
	prev := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(prev)
	debug.SetMemoryLimit(math.MaxInt64)
	softMemoryLimit(func(string) (string, bool) { return "", false })
	if got := debug.SetMemoryLimit(-1); got != defaultMemoryLimit {
		t.Errorf("without GOMEMLIMIT the limit is %d, want %d", got, defaultMemoryLimit)
	}
	debug.SetMemoryLimit(math.MaxInt64)
	softMemoryLimit(func(string) (string, bool) { return "1GiB", true })
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("with GOMEMLIMIT set the limit was changed to %d", got)
	}
}
