package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/store/storetest"
)

// The reviewer's pages: the meeting-tool card comes first on the
// availability page and on 老師設定, and the sandbox service speaks to
// clients in the page's language.
func TestReviewerPagesWalkthrough(t *testing.T) {
	t.Parallel()
	e := newZoomEnv(t, storetest.NewSQLite(t))
	ctx := context.Background()
	if _, err := e.app.ResetReviewSandbox(ctx, "reviewer@zoom-review.test", pgPassword); err != nil {
		t.Fatal(err)
	}
	b := e.browser(t)
	b.login("reviewer@zoom-review.test")
	av := b.get("/admin/zoom-review/availability").wantStatus(http.StatusOK)
	first := func(p *page, before string) {
		t.Helper()
		card, other := strings.Index(p.HTML, `id="meeting-tools"`), strings.Index(p.HTML, before)
		if card < 0 || other < 0 || card > other {
			t.Errorf("%s: the meeting-tool card (at %d) is not before %s (at %d)", p.URL, card, before, other)
		}
		if p.count("#zoom-connect") != 1 {
			t.Errorf("%s: no 連結 Zoom", p.URL)
		}
	}
	first(av, `id="weekly-h"`)
	pid := ""
	pracs, err := e.app.PublicWorkspace(ctx, app.ReviewSlug)
	if err != nil {
		t.Fatal(err)
	}
	for id := range pracs.Practitioners {
		pid = id
	}
	first(b.get("/admin/zoom-review/practitioners/"+pid).wantStatus(http.StatusOK), `id="prof-h"`)
	owner := e.browser(t)
	owner.login("owner@a.example")
	first(owner.get("/admin/studio-a/availability?practitioner="+e.A.Lin.ID), `id="weekly-h"`)

	// The sandbox service's words, to clients, in the page's language.
	visitor := e.browser(t)
	zh := visitor.get("/w/zoom-review").wantStatus(http.StatusOK)
	zh.wantText(".service-desc", "30 分鐘的 Zoom 線上課程")
	for _, bad := range []string{"A 30-minute", daoyue.EnglishMarker, "studio's members"} {
		if strings.Contains(zh.text("main"), bad) {
			t.Errorf("zh-TW page shows %q", bad)
		}
	}
	en := visitor.get("/w/zoom-review?lang=en").wantStatus(http.StatusOK)
	en.wantText(".service-desc", "A 30-minute online session on Zoom")
	for _, bad := range []string{"30 分鐘", daoyue.EnglishMarker} {
		if strings.Contains(en.text("main"), bad) {
			t.Errorf("English page shows %q", bad)
		}
	}
	svcID := pracs.Services[0].ID
	form := visitor.get("/w/zoom-review?lang=en&service=" + svcID)
	if strings.Contains(form.HTML, "The studio's members") {
		t.Error("the booking form speaks to members")
	}
}
