package notify

import (
	"bytes"
	"html/template"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
)

// referenceHTML is the layout as html/template wrote it before doc.html
// was written by hand: the hand-written one must escape every value and
// link exactly as the template's contextual escaping did.
var referenceHTML = template.Must(template.New("mail").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="margin:0;padding:0;background:#f5f6f8;">
<div style="max-width:560px;margin:0 auto;padding:24px 16px;font-family:'PingFang TC','Noto Sans TC','Microsoft JhengHei',system-ui,sans-serif;font-size:16px;line-height:1.6;color:#1f2933;">
<p style="margin:0 0 16px;">{{.Greeting}}</p>
{{range .Lead}}<p style="margin:0 0 16px;">{{.}}</p>
{{end}}<table role="presentation" style="width:100%;border-collapse:collapse;background:#ffffff;border:1px solid #d9dee5;border-radius:8px;margin:0 0 16px;">
{{range .Rows}}<tr><th scope="row" style="text-align:left;vertical-align:top;padding:8px 12px;color:#52606d;font-weight:normal;white-space:nowrap;">{{.Label}}</th><td style="padding:8px 12px;">{{.Value}}</td></tr>
{{end}}</table>
{{range .Sections}}<h2 style="font-size:17px;margin:24px 0 8px;">{{.Heading}}</h2>
{{with .Link}}<p style="margin:0 0 8px;">{{.Label}}: <a href="{{.URL}}" style="color:#1d4e89;word-break:break-all;">{{.URL}}</a></p>
{{end}}{{if .Rows}}<table role="presentation" style="border-collapse:collapse;margin:0 0 8px;">
{{range .Rows}}<tr><th scope="row" style="text-align:left;vertical-align:top;padding:4px 12px 4px 0;color:#52606d;font-weight:normal;white-space:nowrap;">{{.Label}}</th><td style="padding:4px 0;word-break:break-all;">{{.Value}}</td></tr>
{{end}}</table>
{{end}}{{range .Lines}}<p style="margin:0 0 8px;white-space:pre-line;">{{.}}</p>
{{end}}{{end}}{{range .Links}}<p style="margin:24px 0 0;"><a href="{{.URL}}" style="display:inline-block;padding:10px 18px;background:#1d4e89;color:#ffffff;text-decoration:none;border-radius:6px;">{{.Label}}</a></p>
{{end}}{{range .Notes}}<p style="margin:24px 0 0;color:#52606d;font-size:14px;">{{.}}</p>
{{end}}<p style="margin:32px 0 0;color:#7b8794;font-size:13px;">{{.Footer}}</p>
</div>
</body></html>
`))

func sameAsTemplate(t *testing.T, name string, d *doc) {
	t.Helper()
	var want bytes.Buffer
	if err := referenceHTML.Execute(&want, d); err != nil {
		t.Fatal(err)
	}
	if got := d.html(); got != want.String() {
		t.Errorf("%s: the HTML differs from html/template's\n got: %q\nwant: %q", name, got, want.String())
	}
}

// TestHTMLAsTheTemplateWrites: every message kind of every fixture, and
// content a stranger could type (markup, quotes, entities, '+', NUL,
// links with other schemes or bytes a URL may not hold), come out as
// html/template wrote them.
func TestHTMLAsTheTemplateWrites(t *testing.T) {
	hostile := `<script>alert("x")</script> & 'q' +1 ` + "\x00" + ` 王小明 &amp; %zz`
	due := now.Add(time.Hour)
	for _, lang := range []string{"zh-TW", "en"} {
		for _, svc := range []*daoyue.Service{onl, inp} {
			for _, st := range []daoyue.Status{daoyue.StatusConfirmed, daoyue.StatusPending, daoyue.StatusAwaitingPayment, daoyue.StatusCancelled} {
				for _, kind := range daoyue.MailKinds {
					b := booking(svc, st, lang)
					b.Client.Name, b.CancelReason = hostile, hostile
					b.CalendarSeq = 1
					prev := start.Add(-24 * time.Hour)
					d, _, err := composeDoc(Input{Kind: kind, Workspace: ws, Service: svc, Practitioner: prac, Booking: b,
						BaseURL: "https://daoyue.test/", ManageLink: true, Organizer: "no-reply@daoyue.test", Now: now,
						Previous: &prev, StudioMessage: hostile, PaymentURL: "https://pay.test/x?a=1&b=<2>",
						Payment: &daoyue.Payment{Account: "1234", BankCode: "812", PayCode: hostile, ExpiresAt: &due}})
					if err != nil {
						t.Fatal(err)
					}
					sameAsTemplate(t, lang+"/"+svc.ID+"/"+string(st)+"/"+string(kind), d)
				}
			}
		}
	}
	for _, u := range []string{"javascript:alert(1)", "JavaScript:x", "data:text/html,<b>", "mailto:a@b.test?subject=a b",
		"https://x.test/a b/ü?q=\"'()<>", "/relative/path?x=%41%zz%4", "https://x.test/#frag+1", "vbscript:x", "a/b:c", ""} {
		sameAsTemplate(t, u, &doc{Lang: `"en"`, Greeting: hostile, Footer: hostile,
			Sections: []section{{Heading: hostile, Link: &link{hostile, u}, Rows: []row{{hostile, u}}, Lines: []string{u}}},
			Links:    []link{{hostile, u}}, Notes: []string{hostile}})
	}
}
