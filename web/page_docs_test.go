package web

import (
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// docsPaths are the public documentation pages.
var docsPaths = []string{"/docs/zoom", "/docs/payments", "/privacy", "/terms"}

// zoomScopes are the four scopes DaoYue's Zoom app requests, in order.
var zoomScopes = []string{"meeting:write:meeting", "meeting:update:meeting", "meeting:delete:meeting", "user:read:user"}

// seedAddSteps are the six steps of adding Zoom, word for word from the
// user's own description (seed/daoyue-zoom-integration-doc.txt).
var seedAddSteps = []string{
	"登入導約後台,打開「老師設定」。",
	"選擇要管理的老師。",
	"在「線上會議工具」區塊點選「連結 Zoom」。",
	"在 Zoom 授權頁確認權限,點選 Allow。",
	"回到導約後,確認 Zoom 狀態顯示為已連結。",
	"需要預設使用 Zoom 時,點選「設為預設」。",
}

// docsLeftover finds a docs.* message key shown instead of its text (the
// shared checker does not know the docs prefix).
var docsLeftover = regexp.MustCompile(`\bdocs\.[a-z_]+\.[a-z_.]*`)

// fetchDocs gets path in lang without sign-in and checks what every docs
// page must be.
func fetchDocs(t *testing.T, b *browser, lang, path string) *page {
	t.Helper()
	p := b.get(path + "?lang=" + lang).wantStatus(http.StatusOK)
	p.checkWellFormed(lang)
	if m := docsLeftover.FindString(p.Doc.Text()); m != "" {
		t.Errorf("%s %s: untranslated key %q", lang, path, m)
	}
	if got := p.Header.Get("Content-Language"); got != lang {
		t.Errorf("%s %s: Content-Language %q", lang, path, got)
	}
	if p.attr(`meta[name=robots]`, "content") != "" {
		t.Errorf("%s %s: public docs must be indexable", lang, path)
	}
	return p
}

func mainText(p *page) string {
	return strings.Join(strings.Fields(p.Doc.Find("main").Text()), " ")
}

// Every docs page answers 200 in both languages without sign-in, with the
// language switch, no leftover key, its title, support email and hours,
// and working in-page anchors.
func TestDocsPagesBothLanguages(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		titles := map[string]string{"/docs/zoom": "docs.zoom.title", "/docs/payments": "docs.payments.title", "/privacy": "nav.privacy", "/terms": "nav.terms"}
		for _, lang := range []string{"zh-TW", "en"} {
			for _, path := range docsPaths {
				p := fetchDocs(t, e.browser(t), lang, path)
				p.wantText("main h1", msg(lang, titles[path]))
				if !strings.Contains(p.text("title"), msg(lang, titles[path])) {
					t.Errorf("%s %s: <title> %q", lang, path, p.text("title"))
				}
				if p.count(`a[href="mailto:support@daoyue.app"]`) == 0 {
					t.Errorf("%s %s: no support email link", lang, path)
				}
				text := mainText(p)
				if !strings.Contains(text, "09:00–18:00") {
					t.Errorf("%s %s: no support hours", lang, path)
				}
				if p.count(`main a[href="/"]`) == 0 {
					t.Errorf("%s %s: no link back to the home page", lang, path)
				}
				if lang == "en" && strings.ContainsAny(p.text("main h1"), "導約隱私權服務條款") {
					t.Errorf("en %s: Chinese heading %q", path, p.text("main h1"))
				}
				// The contents link to sections that exist, and ids are unique.
				ids := map[string]int{}
				p.Doc.Find("[id]").Each(func(_ int, s *goquery.Selection) {
					id, _ := s.Attr("id")
					ids[id]++
				})
				for id, n := range ids {
					if n > 1 {
						t.Errorf("%s %s: id %q used %d times", lang, path, id, n)
					}
				}
				p.Doc.Find(`a[href^="#"]`).Each(func(_ int, s *goquery.Selection) {
					href, _ := s.Attr("href")
					if ids[strings.TrimPrefix(href, "#")] == 0 {
						t.Errorf("%s %s: link %s points nowhere", lang, path, href)
					}
				})
				if p.count(`nav#contents a[href^="#"]`) < 7 {
					t.Errorf("%s %s: no table of contents", lang, path)
				}
			}
		}
	})
}

// The language switch on a docs page leads to the same page in the other
// language, and the choice is remembered.
func TestDocsLanguageSwitch(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		for _, path := range docsPaths {
			b := e.browser(t)
			zh := b.get(path).wantStatus(http.StatusOK)
			zh.checkWellFormed("zh-TW")
			href := zh.attr(`nav.lang-switch a[lang="en"]`, "href")
			if href != path+"?lang=en" {
				t.Errorf("%s: switch to English links to %q", path, href)
			}
			en := b.click(zh, `nav.lang-switch a[lang="en"]`).wantStatus(http.StatusOK)
			en.checkWellFormed("en")
			again := b.get(path).wantStatus(http.StatusOK) // remembered
			again.checkWellFormed("en")
			back := b.click(again, `nav.lang-switch a[lang="zh-TW"]`).wantStatus(http.StatusOK)
			back.checkWellFormed("zh-TW")
		}
	})
}

// /docs/zoom has the six steps of adding Zoom in order (the seed's own words
// in zh-TW), the using, troubleshooting, removing, data and support
// sections, the four scopes and the links it promises.
func TestDocsZoomContent(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		for _, lang := range []string{"zh-TW", "en"} {
			b := e.browser(t)
			p := fetchDocs(t, b, lang, "/docs/zoom")

			for _, id := range []string{"overview", "add", "use", "troubleshooting", "remove", "data", "support"} {
				if p.count("section#"+id+" h2") != 1 && p.count("section#"+id+" > .card h2") != 1 {
					t.Errorf("%s: no section #%s with a heading", lang, id)
				}
				if p.count(`nav#contents a[href="#`+id+`"]`) != 1 {
					t.Errorf("%s: contents do not link #%s", lang, id)
				}
			}

			// Adding: six steps, in order.
			var steps []string
			p.Doc.Find("#add-steps > li").Each(func(_ int, s *goquery.Selection) {
				steps = append(steps, strings.TrimSpace(s.Text()))
			})
			if len(steps) != 6 {
				t.Fatalf("%s: %d add steps, want 6: %q", lang, len(steps), steps)
			}
			for i, s := range steps {
				want := zoomWords(lang, "add.s"+string(rune('1'+i)))
				if lang == "zh-TW" {
					want = seedAddSteps[i]
				}
				if s != want {
					t.Errorf("%s: add step %d = %q, want %q", lang, i+1, s, want)
				}
			}
			p.wantText("#add", zoomWords(lang, "add.entry_note"))
			if p.count("#add a[href^='/admin/']") != 0 {
				t.Errorf("%s: public docs link a studio's backend", lang)
			}

			// Using: five points, then reschedule/cancel sync and what clients see.
			if n := p.count("#use-steps > li"); n != 5 {
				t.Errorf("%s: %d use points, want 5", lang, n)
			}
			p.wantText("#use", zoomWords(lang, "use.changes_body"))
			p.wantText("#use", zoomWords(lang, "use.privacy_body"))

			// Troubleshooting: every problem has a cause and a fix, and is listed.
			for _, tr := range docsZoomTrouble {
				sec := p.Doc.Find("section#" + tr.ID)
				if sec.Length() != 1 {
					t.Errorf("%s: no troubleshooting entry #%s", lang, tr.ID)
					continue
				}
				txt := strings.Join(strings.Fields(sec.Text()), " ")
				for _, k := range []string{tr.Words + ".t", tr.Words + ".c", tr.Words + ".f"} {
					if !strings.Contains(txt, strings.Join(strings.Fields(zoomWords(lang, k)), " ")) {
						t.Errorf("%s: #%s lacks %s", lang, tr.ID, k)
					}
				}
				if p.count(`#troubleshooting a[href="#`+tr.ID+`"]`) != 1 {
					t.Errorf("%s: troubleshooting list does not link #%s", lang, tr.ID)
				}
			}
			trouble := strings.Join(strings.Fields(p.Doc.Find("#troubleshooting").Text()), " ")
			for _, want := range []string{"10", "429", "5"} {
				if !strings.Contains(trouble, want) {
					t.Errorf("%s: troubleshooting does not mention %q", lang, want)
				}
			}

			// Removing: the five steps with the Marketplace path, and what is erased.
			if n := p.count("#remove-steps > li"); n != 5 {
				t.Errorf("%s: %d remove steps, want 5", lang, n)
			}
			p.wantText("#remove-steps > li:last-child", "Manage → Added Apps")
			p.wantText("#remove-steps > li:last-child", "Remove")
			if p.count(`a[href="https://marketplace.zoom.us/"]`) == 0 {
				t.Errorf("%s: no link to the Zoom App Marketplace", lang)
			}
			p.wantText("#remove", zoomWords(lang, "remove.after_market"))

			// Data: exactly the four scopes, in order, each with its reason.
			var scopes []string
			p.Doc.Find("#data code").Each(func(_ int, s *goquery.Selection) { scopes = append(scopes, s.Text()) })
			if strings.Join(scopes, " ") != strings.Join(zoomScopes, " ") {
				t.Errorf("%s: scopes %q, want %q", lang, scopes, zoomScopes)
			}
			data := mainText(p)
			for _, k := range []string{"data.write", "data.update", "data.delete", "data.user", "data.never", "data.share"} {
				if !strings.Contains(data, zoomWords(lang, k)) {
					t.Errorf("%s: data section lacks %s", lang, k)
				}
			}
			if !strings.Contains(data, "AES-256-GCM") {
				t.Errorf("%s: token encryption not described", lang)
			}

			// Support: email, hours, first response, what to include and never send.
			p.wantText("#support", "support@daoyue.app")
			p.wantText("#support", zoomWords(lang, "support.hours_body"))
			p.wantText("#support", zoomWords(lang, "support.sla_body"))
			p.wantText("#support", zoomWords(lang, "support.channels"))
			p.wantCount("#support-include > li", 4)
			p.wantCount("#support-never > li", 4)
			if strings.Contains(p.HTML, "[email") {
				t.Errorf("%s: obfuscated email address", lang)
			}

			// Links to the policies work, in the same language.
			p.wantText(`main a[href="/"]`, msg(lang, "docs.back_home"))
			for _, sel := range []string{`#data a[href="/privacy"]`, `#data a[href="/terms"]`} {
				q := b.click(p, sel).wantStatus(http.StatusOK)
				q.checkWellFormed(lang)
			}
		}
	})
}

// docsShape is what a long-form document's two languages must share:
// how many headings, paragraphs, items, links, sections, code names,
// bold lead-ins and pictures, the anchors in order, the links and the
// pictures' files.
type docsShape struct {
	counts map[string]int
	ids    []string
	hrefs  []string
	imgs   []string
}

func shapeOf(p *page) docsShape {
	s := docsShape{counts: map[string]int{}}
	for _, sel := range []string{"main h2", "main h3", "main p", "main li", "main a", "main section", "main code", "main strong", "main img", "main figure"} {
		s.counts[sel] = p.count(sel)
	}
	p.Doc.Find("main [id]").Each(func(_ int, x *goquery.Selection) {
		id, _ := x.Attr("id")
		s.ids = append(s.ids, id)
	})
	p.Doc.Find("main a[href]").Each(func(_ int, x *goquery.Selection) {
		h, _ := x.Attr("href")
		s.hrefs = append(s.hrefs, h)
	})
	sort.Strings(s.hrefs)
	p.Doc.Find("main img[src]").Each(func(_ int, x *goquery.Selection) {
		src, _ := x.Attr("src")
		s.imgs = append(s.imgs, src)
	})
	return s
}

// sameShape checks that a document says the same, section by section and
// item by item, in zh-TW and en.
func sameShape(t *testing.T, path string, zh, en *page) {
	t.Helper()
	a, b := shapeOf(zh), shapeOf(en)
	for sel, n := range a.counts {
		if b.counts[sel] != n {
			t.Errorf("%s: %d × %q in zh-TW but %d in en", path, n, sel, b.counts[sel])
		}
	}
	if strings.Join(a.ids, " ") != strings.Join(b.ids, " ") {
		t.Errorf("%s: sections differ:\nzh-TW %q\nen    %q", path, a.ids, b.ids)
	}
	if strings.Join(a.hrefs, " ") != strings.Join(b.hrefs, " ") {
		t.Errorf("%s: links differ:\nzh-TW %q\nen    %q", path, a.hrefs, b.hrefs)
	}
	if strings.Join(a.imgs, " ") != strings.Join(b.imgs, " ") {
		t.Errorf("%s: pictures differ:\nzh-TW %q\nen    %q", path, a.imgs, b.imgs)
	}
}

// /docs/zoom is written once per language in its template: both say the
// same, section by section and item by item, with the same anchors, links
// and pictures.
func TestDocsZoomLanguagesMatch(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		zh, en := fetchDocs(t, e.browser(t), "zh-TW", "/docs/zoom"), fetchDocs(t, e.browser(t), "en", "/docs/zoom")
		sameShape(t, "/docs/zoom", zh, en)
		if n := zh.count("main img"); n != 3 {
			t.Errorf("/docs/zoom: %d pictures, want the reviewer flow's 3", n)
		}
		for _, id := range []string{"contents", "overview", "add", "use", "troubleshooting", "review", "remove", "data", "support"} {
			if zh.count("#"+id) != 1 {
				t.Errorf("/docs/zoom: no #%s", id)
			}
		}
	})
}

// The privacy policy and terms are complete in both languages: the same
// sections, items and links in each, with the facts they must state.
func TestDocsPolicies(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		musts := map[string]map[string][]string{
			"/privacy": {
				"zh-TW": {"個人資料保護法", "受託", "Manage → Added Apps", "Remove", "10 天", "AES-256-GCM", "TLS", "bcrypt", "Stripe", "2026年11月26日", "security@daoyue.app"},
				"en":    {"Personal Data Protection Act", "on the studio's behalf", "Manage → Added Apps", "Remove", "10 days", "AES-256-GCM", "TLS", "bcrypt", "Stripe", "26 November 2026", "security@daoyue.app"},
			},
			"/terms": {
				"zh-TW": {"臺灣臺北地方法院", "中華民國(台灣)法律", "Manage → Added Apps", "Stripe", "2026年11月26日"},
				"en":    {"Taiwan Taipei District Court", "Republic of China (Taiwan)", "Manage → Added Apps", "Stripe", "26 November 2026"},
			},
		}
		for _, path := range []string{"/privacy", "/terms"} {
			zh, en := fetchDocs(t, e.browser(t), "zh-TW", path), fetchDocs(t, e.browser(t), "en", path)
			sameShape(t, path, zh, en)
			for lang, p := range map[string]*page{"zh-TW": zh, "en": en} {
				text := mainText(p)
				for _, want := range musts[path][lang] {
					if !strings.Contains(text, want) {
						t.Errorf("%s %s: does not say %q", lang, path, want)
					}
				}
				if path == "/privacy" {
					var scopes []string
					p.Doc.Find("#zoom code").Each(func(_ int, s *goquery.Selection) { scopes = append(scopes, s.Text()) })
					if strings.Join(scopes, " ") != strings.Join(zoomScopes, " ") {
						t.Errorf("%s privacy: scopes %q", lang, scopes)
					}
				}
				if strings.Contains(strings.ToLower(text), "lorem") {
					t.Errorf("%s %s: placeholder text", lang, path)
				}
			}
		}
	})
}

// simplifiedOnly are characters used in Simplified Chinese whose Traditional
// forms differ: none may appear on a zh-TW docs page.
const simplifiedOnly = "这们说会时为对设连录权删数联帐号预约师线间议务个发应问题开关实现书过还进页请认证码网络资讯错误条隐协处称择访户单让动块确选费获态层级创内里"

// The zh-TW pages are written in Traditional Chinese.
func TestDocsTraditionalChinese(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		for _, path := range docsPaths {
			text := fetchDocs(t, e.browser(t), "zh-TW", path).Doc.Find("body").Text()
			for _, r := range simplifiedOnly {
				if strings.ContainsRune(text, r) {
					t.Errorf("%s: Simplified character %q", path, string(r))
				}
			}
		}
	})
}

// /docs and /docs/zoom/ lead to /docs/zoom, keeping the language.
func TestDocsRedirects(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		b := e.browser(t)
		for _, path := range []string{"/docs", "/docs/", "/docs/zoom/"} {
			resp := b.raw(http.MethodGet, path+"?lang=en", nil)
			resp.Body.Close()
			if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/docs/zoom?lang=en" {
				t.Errorf("%s: %d → %q", path, resp.StatusCode, resp.Header.Get("Location"))
			}
		}
		// The footer of every page links the three documents.
		home := b.get("/").wantStatus(http.StatusOK)
		for _, path := range docsPaths {
			if home.count(`footer a[href="`+path+`"]`) != 1 {
				t.Errorf("footer does not link %s", path)
			}
			b.click(home, `footer a[href="`+path+`"]`).wantStatus(http.StatusOK)
		}
	})
}

// A signed-in member sees the same public docs.
func TestDocsSignedIn(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		b := e.browser(t)
		b.login("owner@a.example")
		for _, path := range docsPaths {
			p := b.get(path).wantStatus(http.StatusOK)
			p.checkWellFormed("zh-TW")
			if p.count("nav.admin-nav") != 0 {
				t.Errorf("%s: admin navigation on a public page", path)
			}
		}
	})
}

// The seed's "Marketplace reviewer test flow" is on /docs/zoom word for
// word, in both languages, with links to this deployment and the three
// pictured states, whose images load.
func TestDocsReviewerFlow(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		for _, lang := range []string{"zh-TW", "en"} {
			b := e.browser(t)
			p := fetchDocs(t, b, lang, "/docs/zoom")
			steps := p.Doc.Find("#review-steps li")
			if steps.Length() != 8 {
				t.Fatalf("%s: %d reviewer steps", lang, steps.Length())
			}
			for i, want := range []string{"Sign in at ", "Open ", "Click 連結 Zoom (Connect Zoom) and authorize this app with your test Zoom account.",
				"Open ", "Submit a booking for Zoom Review Online Session.", "After submission, open ",
				"Switch to the Upcoming / 已排程 tab if needed", "Confirm the booking is already confirmed and the private meeting details show Zoom join URL, meeting ID, and passcode."} {
				if got := strings.Join(strings.Fields(steps.Eq(i).Text()), " "); !strings.HasPrefix(got, want) {
					t.Errorf("%s: step %d reads %q", lang, i+1, got)
				}
			}
			for _, path := range []string{"/admin/login", "/admin/zoom-review/availability", "/w/zoom-review", "/admin/zoom-review/bookings"} {
				if p.Doc.Find(`#review a[href$="`+path+`"]`).Length() == 0 {
					t.Errorf("%s: no link to %s", lang, path)
				}
			}
			imgs := p.Doc.Find("#review figure img")
			if imgs.Length() != 3 {
				t.Fatalf("%s: %d pictures", lang, imgs.Length())
			}
			imgs.Each(func(_ int, s *goquery.Selection) {
				src, _ := s.Attr("src")
				resp, err := http.Get(e.ts.URL + src)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
					t.Errorf("%s: %d %s", src, resp.StatusCode, resp.Header.Get("Content-Type"))
				}
			})
		}
	})
}

// /docs/payments says the same in both languages, section by section,
// and covers each way of getting paid.
func TestDocsPaymentsLanguagesMatch(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		zh, en := fetchDocs(t, e.browser(t), "zh-TW", "/docs/payments"), fetchDocs(t, e.browser(t), "en", "/docs/payments")
		sameShape(t, "/docs/payments", zh, en)
		for _, id := range []string{"contents", "transfer", "ecpay", "invoice", "stripe", "refunds"} {
			if zh.count("#"+id) != 1 {
				t.Errorf("/docs/payments: no #%s", id)
			}
		}
		if !strings.Contains(mainText(zh), "HashKey") || !strings.Contains(mainText(en), "last five digits") {
			t.Error("/docs/payments lacks what a studio needs to connect")
		}
	})
}
