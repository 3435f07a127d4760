package e2e

import (
	"strings"
	"testing"
)

// The pages anyone can open, in both languages, on a phone: the demo
// studio's booking page and the public Zoom documentation (/docs/zoom)
// that the seed describes.
func TestPublicPages(t *testing.T) {
	needE2E(t)
	p := startProduct(t)
	for _, lang := range []string{"zh-TW", "en"} {
		b := newTab(t, "visitor", lang, phone)

		b.open(p.Base + "/w/demo")
		if got := b.text(".studio-head h1"); got != "靜心瑜珈工作室" {
			t.Fatalf("%s: studio name %q", lang, got)
		}
		if n := run(b, "count the services", evalInt(`document.querySelectorAll("a.service-card").length`)); n != 3 {
			t.Fatalf("%s: %d services on the booking page, want the demo's 3", lang, n)
		}
		needs := map[string]string{"zh-TW": "需工作室確認", "en": "studio"}[lang]
		if got := b.text(".service-list"); !strings.Contains(got, needs) {
			t.Fatalf("%s: no service says it needs the studio's confirmation:\n%s", lang, got)
		}
		b.shot("public-booking-page")

		b.resize(desktop)
		b.open(p.Base + "/docs/zoom")
		want := map[string][]string{
			"zh-TW": {"連結 Zoom", "設為預設", "解除連結", "週一至週五 09:00–18:00"},
			"en":    {"Connect Zoom", "Set as default", "Disconnect", "09:00"},
		}[lang]
		page := b.bodyText()
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("%s: /docs/zoom does not say %q", lang, w)
			}
		}
		for _, scope := range []string{"meeting:write:meeting", "meeting:update:meeting", "meeting:delete:meeting", "user:read:user"} {
			if !strings.Contains(page, scope) {
				t.Errorf("%s: /docs/zoom does not name the scope %s", lang, scope)
			}
		}
		b.shotTop("docs-zoom")
	}
}
