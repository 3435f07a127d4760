package daoyue

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"testing"
	"time"
)

func testPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A lossless WebP header of 3×2 pixels (VP8L: 14 bits width-1, 14 bits height-1).
var testWebP = []byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x02\x40\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")

func TestNewLogo(t *testing.T) {
	var jb bytes.Buffer
	if err := jpeg.Encode(&jb, image.NewRGBA(image.Rect(0, 0, 40, 20)), nil); err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1700000000, 0)
	for _, tc := range []struct {
		name string
		data []byte
		want string // content type, or "" for refused
		key  string
	}{
		{"png", testPNG(t, 64, 32), "image/png", ""},
		{"jpeg", jb.Bytes(), "image/jpeg", ""},
		{"webp", testWebP, "image/webp", ""},
		{"empty", nil, "", "error.required"},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "", "error.logo_type"},
		{"gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "", "error.logo_type"},
		{"html", []byte("<html><body>hi</body></html>"), "", "error.logo_type"},
		{"png magic, broken header", []byte("\x89PNG\r\n\x1a\n" + "garbage garbage garbage"), "", "error.logo_type"},
		{"webp magic, broken chunk", []byte("RIFF\x1a\x00\x00\x00WEBPVP8Zxxxxxxxxxxxxxxxxxxxxxxxxxxx"), "", "error.logo_type"},
		{"too large", append(testPNG(t, 8, 8), make([]byte, MaxLogoBytes)...), "", "error.logo_too_large"},
		{"too many pixels", testPNG(t, 5000, 1), "", "error.logo_type"},
	} {
		l, err := NewLogo(tc.data, now)
		if tc.want != "" {
			if err != nil || l.ContentType != tc.want || !bytes.Equal(l.Data, tc.data) || len(l.Version()) != 12 {
				t.Errorf("%s: got %+v, %v; want %s", tc.name, l, err, tc.want)
			}
			continue
		}
		var e *Error
		if l != nil || !asError(err, &e) || e.Fields["logo"] != tc.key {
			t.Errorf("%s: got %v, %v; want field logo %s", tc.name, l, err, tc.key)
		}
	}
}

func asError(err error, e **Error) bool {
	x, ok := err.(*Error)
	*e = x
	return ok
}

func TestWorkspaceSettingsValidate(t *testing.T) {
	ok := Workspace{Slug: "lotus", Name: "蓮花瑜珈", TimeZone: "Asia/Taipei", ContactEmail: "hi@lotus.tw",
		ContactPhone: "+886 2 2345-6789", PaymentInstructions: "台灣銀行 (004)\n帳號 123-456-789"}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid settings refused: %v", err)
	}
	for _, tc := range []struct {
		field string
		edit  func(w *Workspace)
		key   string
	}{
		{"name", func(w *Workspace) { w.Name = "Lotus\r\nBcc: x@evil.test" }, "error.text_invalid"},
		{"name", func(w *Workspace) { w.Name = "Lotus\u202e" }, "error.text_invalid"},
		{"contact_email", func(w *Workspace) { w.ContactEmail = "not an email" }, "error.email"},
		{"contact_email", func(w *Workspace) { w.ContactEmail = "a@b.tw\r\nBcc: x@evil.test" }, "error.email"},
		{"contact_email", func(w *Workspace) { w.ContactEmail = "Lotus <hi@lotus.tw>" }, "error.email"},
		{"contact_phone", func(w *Workspace) { w.ContactPhone = "call me" }, "error.phone"},
		{"contact_phone", func(w *Workspace) { w.ContactPhone = "---" }, "error.phone"},
		{"payment_instructions", func(w *Workspace) { w.PaymentInstructions = "pay\x00" }, "error.text_invalid"},
		{"intro", func(w *Workspace) { w.Intro = "\u2066x" }, "error.text_invalid"},
	} {
		w := ok
		tc.edit(&w)
		var e *Error
		if err := w.Validate(); !asError(err, &e) || e.Fields[tc.field] != tc.key {
			t.Errorf("%s: got %v, want field %s %s", tc.field, err, tc.field, tc.key)
		}
	}
}
