package web

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
)

// Studio settings over real HTTP on both databases: a manager's edit
// reaches the public page and the next email (Reply-To at the SMTP server);
// staff and other studios change nothing; bad input is refused field by
// field with nothing stored; a new time zone is explained.

// logoPNG is a small real PNG image.
func logoPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 48, 24))
	img.Set(3, 3, color.RGBA{200, 30, 30, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// settingsForm is what the settings form sends: every text field, and a
// logo file when data is not nil.
func settingsForm(ws *daoyue.Workspace) url.Values {
	return url.Values{"name": {ws.Name}, "intro": {ws.Intro}, "time_zone": {ws.TimeZone}, "contact_email": {ws.ContactEmail},
		"contact_phone": {ws.ContactPhone}, "payment_instructions": {ws.PaymentInstructions}}
}

// postMultipart posts the form as multipart/form-data, as the browser sends
// the settings form, with the file as "logo" when data is not nil.
func (b *browser) postMultipart(path string, form url.Values, fileName string, data []byte) *page {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	if data != nil {
		fw, err := mw.CreateFormFile("logo", fileName)
		if err != nil {
			b.t.Fatal(err)
		}
		_, _ = fw.Write(data)
	}
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.e.ts.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.follow(b.do(req))
}

// workspace reads a studio straight from the store.
func (e *pageEnv) workspace(slug string) *daoyue.Workspace {
	e.t.Helper()
	var ws *daoyue.Workspace
	err := e.db.View(context.Background(), func(tx daoyue.Tx) error {
		var err error
		ws, err = tx.WorkspaceBySlug(context.Background(), slug)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return ws
}

func TestSettingsManagerEdits(t *testing.T) {
	eachPageStore(t, func(t *testing.T, e *pageEnv) {
		mb := e.withMail(t)
		b := e.browser(t)
		b.login("owner@a.example")
		for _, lang := range []string{i18n.ZH, i18n.EN} {
			p := b.get("/admin/studio-a/settings?lang=" + lang).wantStatus(200)
			p.checkWellFormed(lang)
			p.wantCount("#settings-form", 1)
			if p.attr("#f-time-zone", "list") != "time-zones" || p.count(`#time-zones option[value="Asia/Taipei"]`) != 1 {
				t.Errorf("no zone suggestions")
			}
			p.wantCount(`nav.admin-nav a[href="/admin/studio-a/settings"][aria-current="page"]`, 1)
		}
		b.get("/admin/studio-a/settings?lang=zh-TW")

		ws := e.workspace("studio-a")
		form := settingsForm(ws)
		form.Set("name", "甲瑜珈教室")
		form.Set("contact_email", "Hello@Studio-A.example")
		form.Set("contact_phone", "+886 2 2345-6789")
		form.Set("payment_instructions", "台灣銀行 (004)\n帳號 123-456-789")
		logo := logoPNG(t)
		p := b.postMultipart("/admin/studio-a/settings", form, "logo.png", logo).wantStatus(200)
		p.wantText(".flash-ok", msg(i18n.ZH, "flash.settings_saved"))
		if got := p.attr("#f-contact-email", "value"); got != "hello@studio-a.example" {
			t.Errorf("contact email shown as %q", got)
		}
		src := p.attr("#current-logo", "src")
		if !strings.HasPrefix(src, "/w/studio-a/logo?v=") {
			t.Fatalf("logo src %q", src)
		}

		// The public page: logo, name, contact as links.
		visitor := e.browser(t)
		pub := visitor.get("/w/studio-a").wantStatus(200)
		pub.checkWellFormed(i18n.ZH)
		pub.wantText(".studio-head h1", "甲瑜珈教室")
		if got := pub.attr("#studio-logo", "src"); got != src {
			t.Errorf("public logo %q, want %q", got, src)
		}
		if pub.attr(`#studio-contact a[href="mailto:hello@studio-a.example"]`, "href") == "" ||
			pub.attr(`#studio-contact a[href="tel:+886223456789"]`, "href") == "" {
			t.Errorf("contact links: %s", pub.text("#studio-contact"))
		}
		api := &apiEnv{t: t, db: e.db, app: e.app, ts: e.ts, spec: loadAPISpec(t)}
		pj := api.must(200, "GET", "/api/v1/public/workspaces/studio-a", "", nil).m(t)
		if pj["contact_email"] != "hello@studio-a.example" || pj["contact_phone"] != "+886 2 2345-6789" || pj["logo_url"] != src {
			t.Errorf("public API: %v", pj)
		}
		resp := visitor.raw(http.MethodGet, src, nil)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || !bytes.Equal(body, logo) ||
			!strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("logo: %d %v, %d bytes", resp.StatusCode, resp.Header, len(body))
		}
		if resp := visitor.raw(http.MethodGet, "/w/studio-b/logo", nil); resp.StatusCode != 404 {
			t.Errorf("logo of a studio without one: %d", resp.StatusCode)
		}

		// The next email: Reply-To is the contact, the footer says to
		// reply, and the payment email carries the instructions.
		booked := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, pgAt(1, 10, 0), "王小明")
		// The client's page of a booking awaiting payment says how to pay
		// and how to reach the studio.
		mp := visitor.get("/b/" + booked.ManageToken).wantStatus(200)
		mp.wantText("#payment-instructions", "帳號 123-456-789")
		if mp.attr(`#studio-contact a[href="mailto:hello@studio-a.example"]`, "href") == "" {
			t.Errorf("manage page contact: %s", mp.text("#studio-contact"))
		}
		got := mb.deliver(t)
		if len(got) == 0 {
			t.Fatal("no email arrived")
		}
		sawPayment := false
		for _, m := range got {
			if rt, _ := m.Header.AddressList("Reply-To"); len(rt) != 1 || rt[0].Address != "hello@studio-a.example" {
				t.Errorf("%s: Reply-To %v", m.Subject, rt)
			}
			if from, _ := m.Header.AddressList("From"); len(from) != 1 || from[0].Name != "甲瑜珈教室" {
				t.Errorf("%s: From %v", m.Subject, from)
			}
			if !strings.Contains(m.Text, "直接回覆這封信即可聯絡工作室,或來電 +886 2 2345-6789") || strings.Contains(m.Text, "請勿") {
				t.Errorf("%s: footer:\n%s", m.Subject, m.Text)
			}
			if strings.Contains(m.Text, "帳號 123-456-789") {
				sawPayment = true
			}
		}
		if !sawPayment {
			t.Errorf("no email carried the payment instructions")
		}
		// The outbox says where answers go.
		ob := b.get("/admin/studio-a/outbox").wantStatus(200)
		ob.wantText(".mail-reply-to", "hello@studio-a.example")

		// The audit names the fields, not their values.
		var audit struct {
			Entries []struct {
				Action  string            `json:"action"`
				Details map[string]string `json:"details"`
			} `json:"entries"`
		}
		api.must(200, "GET", "/api/v1/workspaces/studio-a/audit?limit=200", api.token("owner@a.example"), nil).decode(t, &audit)
		found := false
		for _, en := range audit.Entries {
			if en.Action == "workspace.updated" {
				found = true
				if en.Details["fields"] != "contact_email,contact_phone,logo,name,payment_instructions" {
					t.Errorf("audit fields %q", en.Details["fields"])
				}
				for _, v := range en.Details {
					if strings.Contains(v, "hello@") || strings.Contains(v, "123-456") {
						t.Errorf("audit holds a value: %v", en.Details)
					}
				}
			}
		}
		if !found {
			t.Errorf("no workspace.updated entry")
		}

		// Removing the logo.
		form = settingsForm(e.workspace("studio-a"))
		form.Set("remove_logo", "on")
		b.postMultipart("/admin/studio-a/settings", form, "", nil).wantStatus(200).wantCount("#current-logo", 0)
		if resp := visitor.raw(http.MethodGet, src, nil); resp.StatusCode != 404 {
			t.Errorf("removed logo still served: %d", resp.StatusCode)
		}
		visitor.get("/w/studio-a").wantCount("#studio-logo", 0)
	})
}

// Staff see the settings read-only and cannot change them; a member of
// another studio gets not found; neither changes anything.
func TestSettingsRefused(t *testing.T) {
	eachPageStore(t, func(t *testing.T, e *pageEnv) {
		if _, err := e.app.EnsureMember(context.Background(), "studio-a", "staff@a.example", "助理", pgPassword, daoyue.RoleStaff); err != nil {
			t.Fatal(err)
		}
		beforeA, beforeB := e.workspace("studio-a"), e.workspace("studio-b")
		staff := e.browser(t)
		staff.login("staff@a.example")
		p := staff.get("/admin/studio-a/settings").wantStatus(200)
		p.wantCount("#settings-form", 0)
		p.wantText("#settings-facts", beforeA.Name)
		form := settingsForm(beforeA)
		form.Set("name", "Staff was here")
		staff.postMultipart("/admin/studio-a/settings", form, "logo.png", logoPNG(t)).wantStatus(http.StatusForbidden)

		owner := e.browser(t)
		owner.login("owner@a.example")
		owner.get("/admin/studio-b/settings").wantStatus(http.StatusNotFound)
		form = settingsForm(beforeB)
		form.Set("name", "Hacked")
		owner.postMultipart("/admin/studio-b/settings", form, "logo.png", logoPNG(t)).wantStatus(http.StatusNotFound)

		api := &apiEnv{t: t, db: e.db, app: e.app, ts: e.ts, spec: loadAPISpec(t)}
		if r := api.do("PATCH", "/api/v1/workspaces/studio-a", api.token("staff@a.example"), map[string]any{"name": "Staff"}); r.status != 403 || r.code() != daoyue.EFORBIDDEN {
			t.Errorf("staff PATCH: %d %s", r.status, r.body)
		}
		if r := api.do("PATCH", "/api/v1/workspaces/studio-b", api.token("owner@a.example"), map[string]any{"name": "Hacked"}); r.status != 404 {
			t.Errorf("other studio's PATCH: %d %s", r.status, r.body)
		}
		if r := api.do("PATCH", "/api/v1/workspaces/studio-a", "", map[string]any{"name": "Anon"}); r.status != 401 {
			t.Errorf("anonymous PATCH: %d %s", r.status, r.body)
		}
		for slug, before := range map[string]*daoyue.Workspace{"studio-a": beforeA, "studio-b": beforeB} {
			if after := e.workspace(slug); *after != *before {
				t.Errorf("%s changed: %+v → %+v", slug, before, after)
			}
		}
	})
}

// Bad input: each problem is tied to its field, and nothing is stored.
func TestSettingsBadInput(t *testing.T) {
	eachPageStore(t, func(t *testing.T, e *pageEnv) {
		b := e.browser(t)
		b.login("owner@a.example")
		before := e.workspace("studio-a")
		big := append(logoPNG(t), make([]byte, daoyue.MaxLogoBytes)...)
		svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
		for _, tc := range []struct {
			name  string
			edit  func(url.Values)
			file  []byte
			field string
			key   string
		}{
			{"CR/LF in the name", func(f url.Values) { f.Set("name", "甲\r\nBcc: x@evil.example") }, nil, "name", "error.text_invalid"},
			{"bidi control in the name", func(f url.Values) { f.Set("name", "甲\u202e") }, nil, "name", "error.text_invalid"},
			{"bad contact email", func(f url.Values) { f.Set("contact_email", "not-an-email") }, nil, "contact_email", "error.email"},
			{"bad phone", func(f url.Values) { f.Set("contact_phone", "call me") }, nil, "contact_phone", "error.phone"},
			{"unknown zone", func(f url.Values) { f.Set("time_zone", "Mars/Olympus") }, nil, "time_zone", "error.time_zone"},
			{"logo too large", func(url.Values) {}, big, "logo", "error.logo_too_large"},
			{"logo not an image", func(url.Values) {}, svg, "logo", "error.logo_type"},
			{"good logo, bad email", func(f url.Values) { f.Set("contact_email", "x@") }, logoPNG(t), "contact_email", "error.email"},
		} {
			form := settingsForm(before)
			form.Set("contact_email", "ok@studio-a.example")
			tc.edit(form)
			p := b.postMultipart("/admin/studio-a/settings", form, "logo.png", tc.file)
			if p.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d", tc.name, p.Status)
				continue
			}
			id := strings.ReplaceAll(tc.field, "_", "-")
			p.wantText("#e-"+id, msg(i18n.ZH, tc.key))
			if d := p.attr("#f-"+id, "aria-describedby"); !strings.Contains(d, "e-"+id) {
				t.Errorf("%s: input not tied to its error (%q)", tc.name, d)
			}
			if tc.field != "logo" && p.attr("#f-contact-email", "value") != form.Get("contact_email") {
				t.Errorf("%s: the input was not kept", tc.name)
			}
			p.checkWellFormed(i18n.ZH)
			if after := e.workspace("studio-a"); *after != *before {
				t.Errorf("%s: stored %+v", tc.name, after)
			}
		}
		// A body past the raised limit is refused before it is read.
		huge := make([]byte, settingsMaxBody+1)
		p := b.postMultipart("/admin/studio-a/settings", settingsForm(before), "logo.png", huge)
		if p.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("huge upload: %d", p.Status)
		}
		// Other routes keep the 64 KiB limit.
		form := settingsForm(before)
		form.Set("bio", strings.Repeat("x", maxBody))
		if p := b.post("/admin/studio-a/practitioners/"+e.A.Lin.ID, form); p.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("a big body elsewhere: %d", p.Status)
		}
		var logoErr error
		_ = e.db.View(context.Background(), func(tx daoyue.Tx) error {
			_, logoErr = tx.WorkspaceLogo(context.Background(), before.ID)
			return nil
		})
		if !daoyue.IsCode(logoErr, daoyue.ENOTFOUND) {
			t.Errorf("a refused logo was stored: %v", logoErr)
		}

		// The API names the same fields.
		api := &apiEnv{t: t, db: e.db, app: e.app, ts: e.ts, spec: loadAPISpec(t)}
		tok := api.token("owner@a.example")
		r := api.do("PATCH", "/api/v1/workspaces/studio-a", tok, map[string]any{"name": "a\nb", "contact_email": "nope", "contact_phone": "x"})
		if r.status != 422 || r.apiErr().Fields["name"] == "" || r.apiErr().Fields["contact_email"] == "" || r.apiErr().Fields["contact_phone"] == "" {
			t.Errorf("API bad input: %d %s", r.status, r.body)
		}
		if r := api.do("PATCH", "/api/v1/workspaces/studio-a", tok, map[string]any{"logo_version": "x"}); r.status != 422 {
			t.Errorf("unknown field: %d %s", r.status, r.body)
		}
		if after := e.workspace("studio-a"); *after != *before {
			t.Errorf("API stored %+v", after)
		}
	})
}

// A new time zone: bookings keep their instant and are shown in the new
// zone, the page and the API say what it means in both languages.
func TestSettingsZoneChange(t *testing.T) {
	eachPageStore(t, func(t *testing.T, e *pageEnv) {
		bk := e.book("studio-a", e.A.Online, e.A.Lin.ID, pgAt(1, 10, 0), "王小明")
		b := e.browser(t)
		b.login("owner@a.example")
		ws := e.workspace("studio-a")
		form := settingsForm(ws)
		form.Set("time_zone", "Asia/Tokyo")
		p := b.postMultipart("/admin/studio-a/settings", form, "", nil).wantStatus(200)
		want := msg(i18n.ZH, "flash.settings_zone_changed", "from", "Asia/Taipei", "to", "Asia/Tokyo", "n", 1)
		p.wantText(".flash-ok", want)
		p.wantText(".flash-ok", "每週營業時間")
		// The booking is at the same instant: 10:00 Taipei is 11:00 Tokyo.
		d := b.get("/admin/studio-a/bookings/" + bk.Booking.ID + "?lang=en").wantStatus(200)
		tokyo, _ := time.LoadLocation("Asia/Tokyo")
		if !strings.Contains(d.HTML, i18n.FormatWhen(i18n.EN, pgAt(1, 10, 0).In(tokyo))) {
			t.Errorf("booking not shown in Tokyo time:\n%s", d.visible())
		}
		var stored *daoyue.Booking
		_ = e.db.View(context.Background(), func(tx daoyue.Tx) error {
			stored, _ = tx.Booking(context.Background(), ws.ID, bk.Booking.ID)
			return nil
		})
		if stored == nil || !stored.Start.Equal(pgAt(1, 10, 0)) {
			t.Errorf("booking moved: %+v", stored)
		}

		// The API, in English, back to Taipei.
		api := &apiEnv{t: t, db: e.db, app: e.app, ts: e.ts, spec: loadAPISpec(t)}
		tok := api.token("owner@a.example")
		var out struct {
			Changed []string `json:"changed"`
			Zone    *struct {
				From, To string
				Bookings int
				Message  string
			} `json:"time_zone_change"`
		}
		api.must(200, "PATCH", "/api/v1/workspaces/studio-a", tok, map[string]any{"time_zone": "Asia/Taipei"}, "Accept-Language", "en").decode(t, &out)
		if out.Zone == nil || out.Zone.From != "Asia/Tokyo" || out.Zone.To != "Asia/Taipei" || out.Zone.Bookings != 1 ||
			!strings.Contains(out.Zone.Message, "Weekly hours and date overrides are times after local midnight") ||
			!strings.Contains(out.Zone.Message, "Bookings still ahead: 1. Each keeps its moment in time") || len(out.Changed) != 1 || out.Changed[0] != "time_zone" {
			t.Errorf("zone change answer: %+v", out)
		}
		// Saving without a change says nothing about zones.
		out.Zone = nil
		api.must(200, "PATCH", "/api/v1/workspaces/studio-a", tok, map[string]any{"name": ws.Name}).decode(t, &out)
		if out.Zone != nil || len(out.Changed) != 0 {
			t.Errorf("no-op answer: %+v", out)
		}
	})
}

// Only the settings form itself gets the logo's body limit.
func TestSettingsPathOnly(t *testing.T) {
	for path, want := range map[string]bool{
		"/admin/studio-a/settings":    true,
		"/admin/settings":             false,
		"/admin//settings":            false,
		"/admin/studio-a/settings/":   false,
		"/admin/studio-a/settings/x":  false,
		"/w/studio-a/settings":        false,
		"/api/v1/workspaces/settings": false,
		"/admin/studio-a/members":     false,
	} {
		r, _ := http.NewRequest(http.MethodPost, "http://x"+path, nil)
		if got := settingsPath(r); got != want {
			t.Errorf("POST %s: %v, want %v", path, got, want)
		}
	}
	r, _ := http.NewRequest(http.MethodGet, "http://x/admin/studio-a/settings", nil)
	if settingsPath(r) {
		t.Error("GET counted as the settings form")
	}
}

// Every suggested zone is one the settings accept.
func TestSuggestedZonesValid(t *testing.T) {
	for _, z := range suggestedZones {
		ws := daoyue.Workspace{Slug: "s", Name: "n", TimeZone: z}
		if err := ws.Validate(); err != nil {
			t.Errorf("%s: %v", z, err)
		}
	}
}
