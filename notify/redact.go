package notify

import (
	"bytes"
	"html/template"
	"sort"
	"strings"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
)

// Redact erases secrets (the join URL, meeting ID and passcode of a
// meeting whose Zoom data must be purged) from a stored message, wherever
// the message wrote them: in the text, in the HTML (escaped as html/template
// escapes them) and in the calendar (escaped and folded). Each is replaced
// by a short "removed" note in the message's language. It reports whether
// anything changed.
func Redact(m *daoyue.OutboxMessage, secrets ...string) bool {
	var list []string
	for _, s := range secrets {
		if s != "" && s != "0" {
			list = append(list, s)
		}
	}
	// The longest first: a meeting ID is part of its join URL.
	sort.Slice(list, func(i, j int) bool { return len(list[i]) > len(list[j]) })
	mask := i18n.T(daoyue.NormalizeLanguage(m.Language), "mail.redacted", nil)
	before := m.Subject + m.Text + m.HTML + m.ICS
	ics := strings.ReplaceAll(m.ICS, "\r\n ", "") // unfold
	for _, s := range list {
		m.Subject = strings.ReplaceAll(m.Subject, s, mask)
		m.Text = strings.ReplaceAll(m.Text, s, mask)
		for _, form := range htmlForms(s) {
			m.HTML = strings.ReplaceAll(m.HTML, form, template.HTMLEscapeString(mask))
		}
		ics = strings.ReplaceAll(ics, icsText(s), icsText(mask))
		ics = strings.ReplaceAll(ics, s, icsText(mask))
	}
	if m.ICS != "" {
		var b strings.Builder
		for _, l := range strings.Split(strings.TrimSuffix(ics, "\r\n"), "\r\n") {
			b.WriteString(fold(l))
		}
		m.ICS = b.String()
	}
	return m.Subject+m.Text+m.HTML+m.ICS != before
}

var (
	escText = template.Must(template.New("text").Parse(`{{.}}`))
	escHref = template.Must(template.New("href").Parse(`<a href="{{.}}">`))
)

// htmlForms lists how html/template writes s: as text, and as a link.
func htmlForms(s string) []string {
	forms := []string{s}
	var b bytes.Buffer
	if escText.Execute(&b, s) == nil {
		forms = append(forms, b.String())
	}
	b.Reset()
	if escHref.Execute(&b, s) == nil {
		forms = append(forms, strings.TrimSuffix(strings.TrimPrefix(b.String(), `<a href="`), `">`))
	}
	sort.Slice(forms, func(i, j int) bool { return len(forms[i]) > len(forms[j]) })
	return forms
}
