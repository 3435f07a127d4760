package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/daoyue/daoyue/store/storetest"
)

// Every picture /docs/zoom shows was taken from a production-mode build
// (no development banner, no "Zoom is simulated", no local address in a
// join URL): the page's image list, read from the page itself, is checked
// against the manifest e2e TestDocsZoomImages writes beside the pictures,
// and each picture against the checksum recorded when it was taken.
func TestDocsZoomImagesFromProduction(t *testing.T) {
	t.Parallel()
	e := newPageEnv(t, storetest.NewSQLite(t))
	b, err := os.ReadFile(filepath.Join("static", "img", "screenshots.json"))
	if err != nil {
		t.Fatalf("no manifest of the docs pictures (run DAOYUE_E2E=1 go test ./e2e/ -run TestDocsZoomImages -docs-images ../web/static/img): %v", err)
	}
	var manifest struct {
		Images map[string]struct {
			Mode              string `json:"mode"`
			BaseURL           string `json:"base_url"`
			JoinURLHost       string `json:"join_url_host"`
			DevelopmentBanner bool   `json:"development_banner"`
			ZoomSimulated     bool   `json:"zoom_simulated_notice"`
			SHA256            string `json:"sha256"`
		} `json:"images"`
	}
	if err := json.Unmarshal(b, &manifest); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"zh-TW", "en"} {
		p := e.browser(t).get("/docs/zoom?lang=" + lang).wantStatus(http.StatusOK)
		n := 0
		p.Doc.Find("img").Each(func(_ int, s *goquery.Selection) {
			src, _ := s.Attr("src")
			u, err := url.Parse(src)
			if err != nil || u.Host != "" || !strings.HasPrefix(u.Path, "/static/img/") {
				t.Errorf("%s: picture %q is not one of ours", lang, src)
				return
			}
			n++
			name := path.Base(u.Path)
			m, ok := manifest.Images[name]
			if !ok {
				t.Errorf("%s: %s has no entry in the manifest: where was it taken?", lang, name)
				return
			}
			base, _ := url.Parse(m.BaseURL)
			if m.Mode != "production" || m.DevelopmentBanner || m.ZoomSimulated || base == nil || base.Scheme != "https" {
				t.Errorf("%s: %s was taken from %+v, not a production build", lang, name, m)
			}
			for _, host := range []string{base.Hostname(), m.JoinURLHost} {
				if host == "" || host == "localhost" || strings.HasPrefix(host, "127.") || strings.Contains(host, "zoomsim") {
					t.Errorf("%s: %s shows the local or simulated host %q", lang, name, host)
				}
			}
			png, err := os.ReadFile(filepath.Join("static", "img", name))
			if err != nil {
				t.Errorf("%s: %v", name, err)
				return
			}
			if sum := sha256.Sum256(png); hex.EncodeToString(sum[:]) != m.SHA256 {
				t.Errorf("%s changed since it was taken from the production build", name)
			}
		})
		if n == 0 {
			t.Errorf("%s: /docs/zoom shows no pictures", lang)
		}
	}
}
