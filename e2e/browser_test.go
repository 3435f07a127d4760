package e2e

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// waitFor bounds every single browser step; a journey as a whole is bounded
// by the test's own deadline.
const waitFor = 20 * time.Second

// screen is a viewport.
type screen struct {
	W, H   int64
	Scale  float64
	Mobile bool
}

var (
	desktop = screen{W: 1280, H: 860, Scale: 1}
	phone   = screen{W: 390, H: 844, Scale: 2, Mobile: true}
)

// tab is one person's browser: a fresh browser context (its own cookies)
// with one tab, an Accept-Language and a viewport. JavaScript dialogs
// (the confirmations before cancelling or disconnecting) are accepted, as
// the person would.
type tab struct {
	t    *testing.T
	ctx  context.Context
	name string
	lang string
}

func newTab(t *testing.T, name, lang string, sc screen) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // opens the tab, with no timeout
		t.Fatalf("%s: open a browser tab: %v", name, err)
	}
	b := &tab{t: t, ctx: ctx, name: name, lang: lang}
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			t.Logf("%s: confirm %q → OK", name, ev.Message)
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	b.do("set up the browser", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, t, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
			Headers: network.Headers{"Accept-Language": acceptLanguage(lang)}}); err != nil {
			return err
		}
		// Studios and their clients are in Taiwan.
		_, err := cdp.Call(ctx, t, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Asia/Taipei"})
		return err
	}))
	b.resize(sc)
	return b
}

func acceptLanguage(lang string) string {
	if lang == "en" {
		return "en-US,en;q=0.9"
	}
	return "zh-TW,zh;q=0.9,en;q=0.5"
}

func (b *tab) resize(sc screen) {
	opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(sc.Scale)}
	if sc.Mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	b.do("set the viewport", chromedp.EmulateViewport(sc.W, sc.H, opts...))
}

// do runs steps, bounded, and fails the test with where the page was.
func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, waitFor)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.fail(what, err)
	}
}

func run[T any](b *tab, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, waitFor)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.fail(what, err)
	}
	return v
}

// fail stops the test with the page's address and a screenshot of it.
func (b *tab) fail(what string, err error) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 1500) : ""`))
	shot := ""
	if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
		shot = filepath.Join(shotsDir, "FAILED-"+sanitize(b.t.Name())+"-"+b.name+".png")
		_ = os.WriteFile(shot, png, 0o644)
	}
	b.t.Fatalf("%s: %s: %v\n  at %s (screenshot %s)\n  page text:\n%s", b.name, what, err, loc, shot, body)
}

func sanitize(s string) string {
	return strings.NewReplacer("/", "_", " ", "_").Replace(s)
}

// open goes to a URL and requires a page that is not an error (< 400).
func (b *tab) open(u string) {
	b.t.Helper()
	resp := run(b, "open "+u, chromedp.NavigateResponse(u))
	if resp == nil || resp.Status >= 400 {
		b.fail("open "+u, fmt.Errorf("HTTP %d", statusOf(resp)))
	}
}

func statusOf(r *network.Response) int64 {
	if r == nil {
		return 0
	}
	return r.Status
}

// clickTo clicks what leads to another page (a link, a form's button) and
// waits for that page; it must not be an error page.
func (b *tab) clickTo(sel string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, waitFor)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		b.fail("click "+sel, err)
	}
	if resp.Status >= 400 {
		b.fail("click "+sel, fmt.Errorf("the next page answered HTTP %d", resp.Status))
	}
}

// fill types into a field: keys for plain text, the value at once for
// text that needs an input method (Chinese).
func (b *tab) fill(sel, value string) {
	b.t.Helper()
	b.do("clear "+sel, chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).value = ""`, sel)))
	ascii := true
	for _, r := range value {
		ascii = ascii && r < 128
	}
	if ascii {
		b.do("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), value, chromedp.NodeVisible))
	} else {
		b.do("set "+sel, chromedp.SetValue(chromedp.CSS(sel), value, chromedp.NodeVisible))
	}
}

func (b *tab) waitVisible(sel string) {
	b.t.Helper()
	b.do("wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}

func (b *tab) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(run(b, "read "+sel, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible)))
}

func (b *tab) attr(sel, name string) string {
	b.t.Helper()
	res := run(b, "read "+sel+"@"+name, chromedp.AttributeValue(chromedp.CSS(sel), name, chromedp.NodeReady))
	return res.Value
}

// has reports whether an element matches now, without waiting.
func (b *tab) has(sel string) bool {
	b.t.Helper()
	return run(b, "look for "+sel, chromedp.Evaluate[bool](fmt.Sprintf("document.querySelector(%q) !== null", sel)))
}

func (b *tab) location() string {
	b.t.Helper()
	return run(b, "read the address", chromedp.Location())
}

func (b *tab) path() string {
	u, err := url.Parse(b.location())
	if err != nil {
		b.t.Fatal(err)
	}
	return u.Path
}

// html is the page's whole markup.
func (b *tab) html() string {
	b.t.Helper()
	return run(b, "read the page", chromedp.Evaluate[string](`document.documentElement.outerHTML`))
}

// bodyText is what the page says.
func (b *tab) bodyText() string {
	b.t.Helper()
	return run(b, "read the page text", chromedp.Evaluate[string](`document.body.innerText`))
}

// hrefOf finds the link among sel (links, or rows holding one) whose text
// contains words.
func (b *tab) hrefOf(sel, words string) string {
	b.t.Helper()
	js := fmt.Sprintf(`(() => { for (const a of document.querySelectorAll(%q)) { const l = a.matches("a") ? a : a.querySelector("a[href]"); if (l && a.innerText.includes(%q)) return l.getAttribute("href"); } return ""; })()`, sel, words)
	href := run(b, "find the link "+words, chromedp.Evaluate[string](js))
	if href == "" {
		b.fail("find the link", fmt.Errorf("no %s says %q", sel, words))
	}
	return href
}

func (b *tab) reload() {
	b.t.Helper()
	b.do("reload", chromedp.Reload())
}

// eventually reloads the page until check holds, for at most d.
func (b *tab) eventually(what string, d time.Duration, check func() bool) {
	b.t.Helper()
	deadline := time.Now().Add(d)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for !check() {
		if time.Now().After(deadline) {
			b.fail(what, fmt.Errorf("not so after %s of reloading", d))
		}
		<-tick.C
		b.reload()
	}
}

// shot saves a screenshot of the whole page as name.LANG.png.
func (b *tab) shot(name string) {
	b.t.Helper()
	b.save(name, run(b, "screenshot "+name, chromedp.FullScreenshot(100)))
}

// shotTop saves what the first screen shows, for pages too long to picture
// whole.
func (b *tab) shotTop(name string) {
	b.t.Helper()
	b.save(name, run(b, "screenshot "+name, chromedp.CaptureScreenshot()))
}

func (b *tab) save(name string, png []byte) {
	b.t.Helper()
	file := filepath.Join(shotsDir, name+"."+b.lang+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s", file)
}

// setLang switches the site's language the way a visitor does, with the
// language switch's ?lang= (remembered in a cookie), on the current page.
func (b *tab) setLang(lang string) {
	b.t.Helper()
	u, err := url.Parse(b.location())
	if err != nil {
		b.t.Fatal(err)
	}
	q := u.Query()
	q.Set("lang", lang)
	u.RawQuery = q.Encode()
	b.open(u.String())
	b.lang = lang
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// clickAction clicks an element that changes the page in place (a radio, a
// checkbox).
func clickAction(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return -1
		}
		n = n*10 + int(r-'0')
	}
	return n
}

func evalInt(js string) chromedp.Action[int] { return chromedp.Evaluate[int](js) }
