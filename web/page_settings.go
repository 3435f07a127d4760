package web

import (
	"bytes"
	"errors"
	"html/template"
	"io"
	"net/http"
	"strings"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
)

// The studio settings page (工作室設定): owners and admins change the
// studio's name, intro, time zone, contact, payment instructions and logo;
// staff see the settings read-only, as on the other setup pages.

// settingsMaxBody bounds the settings form's body: the largest logo plus
// the form's text fields and the multipart framing. Every other request
// keeps maxBody (limitBodies).
const settingsMaxBody = daoyue.MaxLogoBytes + maxBody

// settingsPath reports whether r posts the settings form, the one route
// allowed a body above maxBody. It is matched on the raw path because
// limitBodies runs before the mux.
func settingsPath(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	return len(parts) == 3 && parts[0] == "admin" && parts[1] != "" && parts[2] == "settings"
}

type settingsPage struct {
	Workspace *daoyue.Workspace
	// ECPay is the studio's ECPay merchant (owners and admins), nil when
	// the server has no ECPay.
	ECPay *app.ECPayAccountView
	// Invoice is the studio's ECPay e-invoice merchant, like ECPay.
	Invoice *app.ECPayInvoiceAccountView
	// Line is the studio's LINE account card (owners and admins), nil
	// when the server has no LINE.
	Line    *app.LineSettingsView
	LogoURL string
	Zones   []string // suggested for the time zone field; any IANA name is accepted
}

// suggestedZones are the zones offered first: Taiwan's, its neighbours',
// and those of studios' clients abroad.
var suggestedZones = []string{"Asia/Taipei", "Asia/Hong_Kong", "Asia/Macau", "Asia/Shanghai", "Asia/Tokyo", "Asia/Seoul",
	"Asia/Singapore", "Asia/Kuala_Lumpur", "Asia/Bangkok", "Asia/Manila", "Australia/Sydney", "Europe/London",
	"Europe/Berlin", "America/Los_Angeles", "America/New_York", "America/Vancouver", "UTC"}

func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderSettings(w, r, http.StatusOK, nil)
}

func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, status int, actionErr error) error {
	v, err := s.adminView(w, r, "settings", "page.settings.title")
	if err != nil {
		return err
	}
	ws := v.Admin.Workspace
	if actionErr != nil {
		v.Form = r.PostForm
		s.applyError(r, v, actionErr)
	} else {
		for k, val := range map[string]string{"name": ws.Name, "intro": ws.Intro, "time_zone": ws.TimeZone,
			"contact_email": ws.ContactEmail, "contact_phone": ws.ContactPhone, "payment_instructions": ws.PaymentInstructions} {
			v.Form.Set(k, val)
		}
	}
	p := &settingsPage{Workspace: ws, Zones: suggestedZones}
	if s.App.ECPay != nil && v.CanManage() {
		if p.ECPay, err = s.App.ECPayAccount(r.Context(), ws.Slug); err != nil {
			return err
		}
		if actionErr == nil {
			v.Form.Set("ecpay_merchant_id", p.ECPay.MerchantID)
		}
		if p.Invoice, err = s.App.ECPayInvoiceAccount(r.Context(), ws.Slug); err != nil {
			return err
		}
		if actionErr == nil {
			v.Form.Set("invoice_merchant_id", p.Invoice.MerchantID)
		}
	}
	if s.App.Line != nil && v.CanManage() {
		if p.Line, err = s.App.LineSettings(r.Context(), ws.Slug, s.BaseURL); err != nil {
			return err
		}
	}
	if u := logoURL(ws); u != nil {
		p.LogoURL = *u
	}
	v.Data = p
	s.render(w, r, status, "settings", v)
	return nil
}

func (s *Server) settingsSubmit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "settings", "page.settings.title")
	if err != nil {
		return err
	}
	c, err := settingsFromForm(r)
	if err != nil {
		return err
	}
	up, err := s.App.UpdateWorkspace(r.Context(), v.Admin.Workspace.Slug, c)
	if err != nil {
		return s.setupFailed(r, err, func(status int) error { return s.renderSettings(w, r, status, err) })
	}
	if z := up.Zone; z != nil {
		s.setFlashArgs(w, "flash.settings_zone_changed", map[string]any{"from": z.From, "to": z.To, "n": z.Bookings})
		http.Redirect(w, r, v.Base()+"/settings", http.StatusSeeOther)
		return nil
	}
	s.redirectFlash(w, r, v.Base()+"/settings", "flash.settings_saved")
	return nil
}

// ecpaySettingsSubmit stores the studio's ECPay merchant. The keys are
// never shown again: an empty key field keeps the stored key.
func (s *Server) ecpaySettingsSubmit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "settings", "page.settings.title")
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	f := r.PostForm
	c := app.ECPayAccountChanges{MerchantID: f.Get("ecpay_merchant_id"), HashKey: f.Get("ecpay_hash_key"),
		HashIV: f.Get("ecpay_hash_iv"), Enabled: f.Get("ecpay_enabled") != "", Forget: f.Get("ecpay_forget") != ""}
	if _, err := s.App.SetECPayAccount(r.Context(), v.Admin.Workspace.Slug, c); err != nil {
		// The keys typed are not sent back into the page.
		r.PostForm.Del("ecpay_hash_key")
		r.PostForm.Del("ecpay_hash_iv")
		return s.setupFailed(r, err, func(status int) error { return s.renderSettings(w, r, status, err) })
	}
	s.redirectFlash(w, r, v.Base()+"/settings#ecpay", "flash.ecpay_saved")
	return nil
}

// invoiceSettingsSubmit stores the studio's ECPay e-invoice merchant,
// like ecpaySettingsSubmit.
func (s *Server) invoiceSettingsSubmit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "settings", "page.settings.title")
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	f := r.PostForm
	c := app.ECPayAccountChanges{MerchantID: f.Get("invoice_merchant_id"), HashKey: f.Get("invoice_hash_key"),
		HashIV: f.Get("invoice_hash_iv"), Enabled: f.Get("invoice_enabled") != "", Forget: f.Get("invoice_forget") != ""}
	if _, err := s.App.SetECPayInvoiceAccount(r.Context(), v.Admin.Workspace.Slug, c); err != nil {
		r.PostForm.Del("invoice_hash_key")
		r.PostForm.Del("invoice_hash_iv")
		return s.setupFailed(r, err, func(status int) error { return s.renderSettings(w, r, status, err) })
	}
	s.redirectFlash(w, r, v.Base()+"/settings#invoice", "flash.invoice_saved")
	return nil
}

// settingsFromForm reads the settings form, a multipart form with the logo
// or a plain one without.
func settingsFromForm(r *http.Request) (app.WorkspaceChanges, error) {
	var c app.WorkspaceChanges
	err := r.ParseMultipartForm(settingsMaxBody)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return c, &daoyue.Error{Code: apiCodeTooLarge, Key: "error.api_body_too_large"}
	case err != nil && !errors.Is(err, http.ErrNotMultipart):
		return c, daoyue.FieldErrors{"logo": "error.logo_type"}.Err()
	}
	f := r.PostForm
	str := func(name string) *string {
		if _, ok := f[name]; !ok {
			return nil
		}
		val := f.Get(name)
		return &val
	}
	c.Name, c.Intro, c.TimeZone = str("name"), str("intro"), str("time_zone")
	c.ContactEmail, c.ContactPhone, c.PaymentInstructions = str("contact_email"), str("contact_phone"), str("payment_instructions")
	c.RemoveLogo = f.Get("remove_logo") != ""
	if file, hdr, err := r.FormFile("logo"); err == nil {
		defer file.Close()
		if hdr.Size > 0 {
			// One byte past the limit is enough to refuse it.
			data, err := io.ReadAll(io.LimitReader(file, daoyue.MaxLogoBytes+1))
			if err != nil {
				return c, err
			}
			c.Logo = data
		}
	}
	return c, nil
}

// logoImage serves a studio's logo. A request naming the current version
// may be cached for good: a new logo has a new URL.
func (s *Server) logoImage(w http.ResponseWriter, r *http.Request) error {
	l, err := s.App.WorkspaceLogo(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", l.ContentType)
	if v := r.URL.Query().Get("v"); v != "" && v == l.Version() {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, "", l.UpdatedAt, bytes.NewReader(l.Data))
	return nil
}

// TelURI is a phone number as a tel: link: digits and + only, so it is
// safe to mark as a URL (html/template would otherwise refuse the scheme).
func (v *view) TelURI(phone string) template.URL {
	return template.URL("tel:" + strings.Map(func(r rune) rune {
		if (r >= '0' && r <= '9') || r == '+' {
			return r
		}
		return -1
	}, phone))
}
