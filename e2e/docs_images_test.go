package e2e

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"flag"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/daoyue/daoyue/internal/testenv"
)

var docsImagesDir = flag.String("docs-images", "", "folder for the pictures /docs/zoom shows, taken from a production-mode build (default: a temporary folder); ../web/static/img refreshes the committed ones with their manifest")

// The public base and Zoom join host of the production-like build the
// /docs/zoom pictures come from: nothing local, nothing simulated shows.
const (
	docsPublicBase = "https://daoyue.example"
	docsJoinBase   = "https://us06web.zoom.us"
)

// DocsImage is one picture's entry in web/static/img/screenshots.json: the
// build it was taken from. web/page_docs_images_test.go checks every
// picture the docs page shows against it.
type DocsImage struct {
	Mode              string `json:"mode"`
	BaseURL           string `json:"base_url"`
	JoinURLHost       string `json:"join_url_host"`
	DevelopmentBanner bool   `json:"development_banner"`
	ZoomSimulated     bool   `json:"zoom_simulated_notice"`
	Page              string `json:"page"`
	SHA256            string `json:"sha256"`
}

// The pictures of the reviewer section of /docs/zoom, taken from a
// production-mode build: DAOYUE_ENV=production with an https base URL,
// real secret keys and Zoom credentials (the simulator run on its own,
// as `daoyue zoomsim`, with join URLs on a Zoom-like host). The reviewer
// signs in, connects Zoom (through the admin API: Zoom's redirect goes to
// the public base, which is not this machine), books in the browser, and
// the three pages the docs show are pictured, with a manifest naming the
// build.
func TestDocsZoomImages(t *testing.T) {
	needE2E(t)
	// The Zoom simulator alone, as another host.
	// Over https: production accepts nothing else for Zoom. The product
	// trusts the simulator's certificate through SSL_CERT_FILE.
	certFile, keyFile, pool := selfSigned(t)
	zout := &testenv.SyncBuffer{}
	last := zout.Watch(regexp.MustCompile(`DAOYUE_ZOOM_WEBHOOK_SECRET=(\S+)`))
	zsim := exec.Command(binPath, "zoomsim", "--addr", "127.0.0.1:0", "--join-base", docsJoinBase, "--tls-cert", certFile, "--tls-key", keyFile)
	zsim.Stdout, zsim.Stderr = zout, zout
	if err := zsim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = zsim.Process.Kill(); _ = zsim.Wait() })
	select {
	case <-last:
	case <-time.After(30 * time.Second):
		t.Fatalf("zoomsim printed no settings:\n%s", zout.String())
	}
	var zenv []string
	for _, line := range strings.Split(zout.String(), "\n") {
		if strings.HasPrefix(line, "DAOYUE_ZOOM_") {
			zenv = append(zenv, strings.TrimSpace(line))
		}
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	env := append([]string{"SSL_CERT_FILE=" + certFile, "DAOYUE_ENV=production", "DAOYUE_BASE_URL=" + docsPublicBase,
		"DAOYUE_SECRET_KEYS=k1:" + base64.StdEncoding.EncodeToString(key)}, zenv...)

	p := startProduct(t, env...)
	if p.Public != docsPublicBase || !strings.Contains(p.Console, "production mode") {
		t.Fatalf("not a production build at %s:\n%s", docsPublicBase, p.Console)
	}
	// Production creates no sandbox by itself: the operator's command.
	cli := exec.Command(binPath, "sandbox", "reset", "zoom-review")
	cli.Dir = p.DataDir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DAOYUE_") {
			cli.Env = append(cli.Env, kv)
		}
	}
	cli.Env = append(cli.Env, "DAOYUE_DATA_DIR="+p.DataDir, "DAOYUE_DATABASE_URL="+filepath.Join(p.DataDir, "daoyue.db"),
		"DAOYUE_REVIEW_EMAIL="+reviewEmail, "DAOYUE_REVIEW_PASSWORD="+reviewPassword)
	cli.Env = append(cli.Env, env...)
	if out, err := cli.CombinedOutput(); err != nil {
		t.Fatalf("daoyue sandbox reset: %v\n%s", err, out)
	}

	dir := *docsImagesDir
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "daoyue-e2e-docs-images")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	manifest := map[string]DocsImage{}
	b := newTab(t, "reviewer", "en", desktop)
	picture := func(file string) {
		t.Helper()
		page := b.bodyText()
		html := b.html()
		for _, bad := range []string{"開發模式", "Development mode", "Zoom is simulated", "Zoom 為模擬", "localhost", "127.0.0.1", "zoomsim"} {
			if strings.Contains(page, bad) || strings.Contains(html, bad) && bad != "localhost" && bad != "127.0.0.1" {
				t.Fatalf("%s: the page shows %q", file, bad)
			}
		}
		if strings.Contains(page, "localhost") || strings.Contains(page, "127.0.0.1") {
			t.Fatalf("%s: the page shows a local address", file)
		}
		png := run(b, "picture "+file, chromedp.FullScreenshot(100))
		if err := os.WriteFile(filepath.Join(dir, file), png, 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(png)
		u, _ := url.Parse(b.location())
		manifest[file] = DocsImage{Mode: "production", BaseURL: p.Public, JoinURLHost: strings.TrimPrefix(docsJoinBase, "https://"),
			Page: u.Path, SHA256: hex.EncodeToString(sum[:])}
		t.Logf("docs picture %s", filepath.Join(dir, file))
	}

	signIn(b, p.Base, reviewEmail, reviewPassword)
	b.open(p.Base + "/admin/zoom-review/bookings?tab=pending&lang=en")
	b.waitVisible("main p.empty")
	picture("review-empty-pending.png")

	// Connect Zoom as the reviewer, through the admin API.
	hc := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	call := func(method, u, token string, body any) *http.Response {
		t.Helper()
		var rd io.Reader
		if body != nil {
			j, _ := json.Marshal(body)
			rd = bytes.NewReader(j)
		}
		req, _ := http.NewRequest(method, u, rd)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	decode := func(resp *http.Response, v any) {
		t.Helper()
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b, _ := io.ReadAll(resp.Body)
			t.Fatalf("%s: %d %s", resp.Request.URL.Path, resp.StatusCode, b)
		}
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	var tok struct{ Token string }
	decode(call("POST", p.Base+"/api/v1/auth/token", "", map[string]string{"email": reviewEmail, "password": reviewPassword}), &tok)
	var pub struct {
		Services []struct {
			Practitioners []struct{ ID string }
		}
	}
	decode(call("GET", p.Base+"/api/v1/public/workspaces/zoom-review", "", nil), &pub)
	pid := pub.Services[0].Practitioners[0].ID
	var conn struct {
		AuthorizeURL string `json:"authorize_url"`
	}
	decode(call("POST", p.Base+"/api/v1/workspaces/zoom-review/practitioners/"+pid+"/zoom/connect", tok.Token, nil), &conn)
	consent := call("GET", conn.AuthorizeURL, "", nil)
	cb, _ := io.ReadAll(consent.Body)
	consent.Body.Close()
	rid := regexp.MustCompile(`name="request_id" value="([^"]+)"`).FindSubmatch(cb)
	if rid == nil {
		t.Fatalf("consent page: %s", cb)
	}
	user := regexp.MustCompile(`name="user" value="([^"]+)"`).FindSubmatch(cb)
	if user == nil {
		t.Fatalf("no Zoom user on the consent page: %s", cb)
	}
	au, _ := url.Parse(conn.AuthorizeURL)
	allow, err := hc.PostForm(au.Scheme+"://"+au.Host+au.Path, url.Values{"request_id": {string(rid[1])}, "user": {string(user[1])}, "action": {"allow"}})
	if err != nil {
		t.Fatal(err)
	}
	allow.Body.Close()
	back, err := allow.Location()
	if err != nil || !strings.HasPrefix(back.String(), docsPublicBase+"/oauth/zoom/callback?") {
		t.Fatalf("Zoom sent the browser to %v (%v)", back, err)
	}
	// The public base is not this machine: deliver the callback locally.
	local := call("GET", p.Base+back.Path+"?"+back.RawQuery, "", nil)
	local.Body.Close()
	if local.StatusCode != http.StatusSeeOther {
		t.Fatalf("callback: %d", local.StatusCode)
	}

	// A client books (in the browser, the page's own proof of work).
	c := newTab(t, "client", "en", desktop)
	c.open(p.Base + "/w/zoom-review?lang=en")
	bookFirstFreeTime(c, "Marketplace Reviewer Test Booking", "reviewer.client@example.com")

	b.open(p.Base + "/admin/zoom-review/bookings?lang=en")
	detail := b.hrefOf("tr.booking-row", "Marketplace Reviewer Test Booking")
	b.eventually("the meeting in the list", meetingSync, func() bool {
		return b.has(`tr.booking-row .meeting-cell [data-status="created"]`)
	})
	picture("review-upcoming.png")
	b.open(p.Base + detail)
	m := waitForMeeting(b)
	if !strings.HasPrefix(m.JoinURL, docsJoinBase+"/j/"+m.ID+"?pwd=") {
		t.Fatalf("join URL %s", m.JoinURL)
	}
	picture("review-detail.png")

	j, _ := json.MarshalIndent(map[string]any{
		"about":  "The build each picture of /docs/zoom was taken from (e2e TestDocsZoomImages); web tests check the docs page against it.",
		"images": manifest,
	}, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "screenshots.json"), append(j, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns a
// pool that trusts it.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "zoomsim"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	kb, _ := x509.MarshalECPrivateKey(key)
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}
