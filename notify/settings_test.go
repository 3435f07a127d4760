package notify

import (
	"strings"
	"testing"

	"github.com/daoyue/daoyue"
)

// The footer never says "don't reply": with a contact it says a reply
// reaches the studio, without one where the booking page is.
func TestFooterSaysHowToReachTheStudio(t *testing.T) {
	withEmail := *ws
	withEmail.ContactEmail = "hello@studio.test"
	withBoth := withEmail
	withBoth.ContactPhone = "02-2345-6789"
	phoneOnly := *ws
	phoneOnly.ContactPhone = "02-2345-6789"
	for _, tc := range []struct {
		name string
		ws   *daoyue.Workspace
		want map[string]string
	}{
		{"email", &withEmail, map[string]string{daoyue.LangEN: "Reply to this email to reach the studio.", daoyue.LangZH: "直接回覆這封信即可聯絡工作室"}},
		{"email and phone", &withBoth, map[string]string{daoyue.LangEN: "Reply to this email to reach the studio, or call 02-2345-6789.", daoyue.LangZH: "或來電 02-2345-6789"}},
		{"phone", &phoneOnly, map[string]string{daoyue.LangEN: "To reach the studio, call 02-2345-6789.", daoyue.LangZH: "聯絡工作室請來電 02-2345-6789"}},
		{"none", ws, map[string]string{daoyue.LangEN: "see its booking page, https://daoyue.test/w/studio", daoyue.LangZH: "請見預約頁面:https://daoyue.test/w/studio"}},
	} {
		for lang, want := range tc.want {
			m, err := Compose(Input{Kind: daoyue.MailConfirmed, Workspace: tc.ws, Service: inp, Practitioner: prac,
				Booking: booking(inp, daoyue.StatusConfirmed, lang), BaseURL: "https://daoyue.test", Now: now})
			if err != nil {
				t.Fatal(err)
			}
			for _, part := range []string{m.Text, m.HTML} {
				if !strings.Contains(part, want) {
					t.Errorf("%s %s: footer lacks %q:\n%s", tc.name, lang, want, part)
				}
				if strings.Contains(part, "請勿") || strings.Contains(strings.ToLower(part), "reply to this email.") ||
					strings.Contains(part, "don't reply") {
					t.Errorf("%s %s: still says do not reply:\n%s", tc.name, lang, part)
				}
			}
		}
	}
}

// A studio's payment instructions replace the generic line in the payment
// email; a checkout link still wins.
func TestPaymentInstructionsInEmail(t *testing.T) {
	w := *ws
	w.PaymentInstructions = "台灣銀行 (004)\n帳號 123-456-789"
	b := booking(onl, daoyue.StatusAwaitingPayment, daoyue.LangZH)
	m, err := Compose(Input{Kind: daoyue.MailPaymentRequired, Workspace: &w, Service: onl, Practitioner: prac, Booking: b, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Text, "帳號 123-456-789") || strings.Contains(m.Text, "工作室會告訴您付款方式") {
		t.Errorf("payment email:\n%s", m.Text)
	}
	m, err = Compose(Input{Kind: daoyue.MailPaymentRequired, Workspace: ws, Service: onl, Practitioner: prac, Booking: b, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Text, "工作室會告訴您付款方式") {
		t.Errorf("payment email without instructions:\n%s", m.Text)
	}
}
