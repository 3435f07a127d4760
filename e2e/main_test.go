package e2e

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's Chromium, the one CI installs.
const chromiumPath = "/usr/bin/chromium"

var screenshotDir = flag.String("screenshots", "", "folder for the journeys' screenshots (default: a temporary folder named in the log); ../docs/screenshots refreshes the committed ones")

// Set by TestMain when DAOYUE_E2E=1.
var (
	binPath    string          // the daoyue binary built from this tree
	browserCtx context.Context // one Chromium for every journey
	shotsDir   string          // where screenshots are written
)

func TestMain(m *testing.M) {
	flag.Parse()
	if os.Getenv("DAOYUE_E2E") != "1" {
		// Every test skips itself with the reason.
		os.Exit(m.Run())
	}
	os.Exit(runE2E(m))
}

func runE2E(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "daoyue-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(tmp)

	shotsDir = *screenshotDir
	if shotsDir == "" {
		shotsDir = filepath.Join(os.TempDir(), "daoyue-e2e-screenshots")
	}
	if err := os.MkdirAll(shotsDir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: screenshots folder:", err)
		return 1
	}

	// The product as its users start it: the real binary of ./cmd/daoyue.
	start := time.Now()
	binPath = filepath.Join(tmp, "daoyue")
	build := exec.Command(goTool(), "build", "-o", binPath, "github.com/daoyue/daoyue/cmd/daoyue")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: go build ./cmd/daoyue: %v\n%s", err, out)
		return 1
	}
	fmt.Printf("e2e: built daoyue in %s\n", time.Since(start).Round(10*time.Millisecond))

	if _, err := os.Stat(chromiumPath); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: DAOYUE_E2E=1 needs Chromium at %s (apt-get install chromium): %v\n", chromiumPath, err)
		return 1
	}
	// The flags this machine's closed network needs: without the
	// background-networking ones Chromium's own connections are refused.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("font-render-hinting", "none"),
		chromedp.UserDataDir(filepath.Join(tmp, "chromium-profile")),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	start = time.Now()
	if err := chromedp.Do(ctx); err != nil { // starts the browser, with no timeout
		fmt.Fprintln(os.Stderr, "e2e: start Chromium:", err)
		return 1
	}
	fmt.Printf("e2e: Chromium started in %s; screenshots go to %s\n", time.Since(start).Round(10*time.Millisecond), shotsDir)
	browserCtx = ctx
	return m.Run()
}

// goTool is the go command of the toolchain running the tests.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "/usr/local/go/bin/go"
}

// needE2E skips a journey unless DAOYUE_E2E=1 set up the binary and the browser.
func needE2E(t *testing.T) {
	t.Helper()
	if browserCtx == nil {
		t.Skip("browser journeys run only with DAOYUE_E2E=1 (they build ./cmd/daoyue and drive /usr/bin/chromium)")
	}
}
