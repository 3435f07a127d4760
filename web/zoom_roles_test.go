package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/daoyue/daoyue"
)

// Staff run bookings, not the setup: connecting, defaulting and
// disconnecting a practitioner's Zoom needs an owner or admin.
func TestZoomActionsNeedAManager(t *testing.T) {
	eachZoomStore(t, func(t *testing.T, e *zoomEnv) {
		A := e.A
		owner := e.browser(t)
		owner.login("owner@a.example")
		owner.connectVia(owner.get(availabilityURL("studio-a", A.Lin.ID)), e.zLin.ID)
		if _, err := e.app.EnsureMember(context.Background(), "studio-a", "staff@a.example", "Staff", pgPassword, daoyue.RoleStaff); err != nil {
			t.Fatal(err)
		}
		staff := e.api.token("staff@a.example")
		base := "/api/v1/workspaces/studio-a/practitioners/"
		for _, c := range []struct{ method, path string }{
			{"POST", base + A.Chen.ID + "/zoom/connect"},
			{"POST", base + A.Lin.ID + "/zoom/default"},
			{"DELETE", base + A.Lin.ID + "/zoom"},
		} {
			if r := e.api.do(c.method, c.path, staff, nil); r.status != http.StatusForbidden {
				t.Errorf("staff %s %s: %d %s", c.method, c.path, r.status, r.body)
			}
		}
		s := e.browser(t)
		s.login("staff@a.example")
		for _, action := range []string{"connect", "default", "disconnect"} {
			r := s.raw(http.MethodPost, "/admin/studio-a/practitioners/"+A.Lin.ID+"/zoom/"+action, nil)
			r.Body.Close()
			if r.StatusCode != http.StatusForbidden {
				t.Errorf("staff presses %s: %d", action, r.StatusCode)
			}
		}
		if c := e.connection("studio-a", A.Lin.ID); c == nil || c.IsDefault {
			t.Fatalf("Lin's connection after staff's attempts: %+v", c)
		}
	})
}

// A Zoom account bound in studio B, connected again from studio A: refused
// with "another practitioner" (B's practitioner is not named to A), and
// B's history says Zoom renewed the tokens without naming A's member.
func TestZoomBoundInAnotherStudio(t *testing.T) {
	eachZoomStore(t, func(t *testing.T, e *zoomEnv) {
		bOwner := e.browser(t)
		bOwner.login("owner@b.example")
		bOwner.connectVia(bOwner.get("/admin/studio-b/availability?practitioner="+e.B.Lin.ID), e.zLin.ID)
		a := e.browser(t)
		a.login("owner@a.example")
		refused := a.connectVia(a.get(availabilityURL("studio-a", e.A.Chen.ID)), e.zLin.ID)
		refused.wantText("#page-error", msg("zh-TW", "error.zoom_user_bound_elsewhere", "account", e.zLin.DisplayName()+" <"+e.zLin.Email+">"))
		if strings.Contains(refused.text("#page-error"), e.B.Lin.Name) || strings.Contains(refused.HTML, "乙工作室") {
			t.Errorf("A learns of B's practitioner: %s", refused.visible())
		}
		var audit struct {
			Entries []struct {
				Action string
				Actor  struct{ Kind, Label string }
			}
		}
		e.api.must(200, "GET", "/api/v1/workspaces/studio-b/audit?limit=200", e.api.tokB, nil).decode(t, &audit)
		found := false
		for _, en := range audit.Entries {
			if en.Actor.Label == "owner@a.example" {
				t.Errorf("B's history names A's member: %+v", en)
			}
			found = found || en.Action == "zoom.tokens_renewed"
		}
		if !found {
			t.Error("B's history does not say the tokens were renewed")
		}
	})
}
