package daoyue

import "testing"

// Names refuse line breaks and bidirectional overrides; long texts keep
// their line breaks but refuse the overrides too.
func TestTextRefusesControlsAndBidi(t *testing.T) {
	for _, c := range []struct {
		name, value string
		ok          bool
	}{
		{"plain", "靜心瑜珈 Lotus", true},
		{"crlf", "Lotus\r\nBcc: x@y", false},
		{"tab", "Lotus\tYoga", false},
		{"rlo", "evil\u202Egnp.exe", false},
		{"lri", "a\u2066b", false},
		{"del", "a\u007fb", false},
		{"c1", "a\u0085b", false},
	} {
		ws := &Workspace{Slug: "ok", Name: c.value, TimeZone: DefaultTimeZone}
		if err := ws.Validate(); (err == nil) != c.ok {
			t.Errorf("workspace name %s: %v", c.name, err)
		}
		if f := ValidateClient(Client{Name: c.value, Email: "a@b.example"}, ""); (len(f) == 0) != c.ok {
			t.Errorf("client name %s: %v", c.name, f)
		}
		p := &Practitioner{Name: c.value}
		if err := p.Validate(); (err == nil) != c.ok {
			t.Errorf("practitioner name %s: %v", c.name, err)
		}
	}
	if f := ValidateClient(Client{Name: "Ming", Email: "a@b.example"}, "line one\r\nline two\tend"); len(f) != 0 {
		t.Errorf("a note keeps its line breaks: %v", f)
	}
	if f := ValidateClient(Client{Name: "Ming", Email: "a@b.example"}, "see \u202Eevil"); len(f) == 0 {
		t.Error("a note with a bidi override is accepted")
	}
}

func TestLooksLikeLink(t *testing.T) {
	for s, want := range map[string]bool{
		"王小明": false, "Ming Wang": false, "Dr. Chen": false, "Anne-Marie O'Neil": false, "J. R. R. Tolkien": false,
		"Visit http://phish.example now": true, "www.example.com": true, "phish.example": true, "me@evil.example": true,
		"點我 evil。com": true, "PHISH.EXAMPLE": true,
	} {
		if got := LooksLikeLink(s); got != want {
			t.Errorf("%q: %v, want %v", s, got, want)
		}
	}
}
