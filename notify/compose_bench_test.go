package notify

import (
	"testing"

	"github.com/daoyue/daoyue"
)

// BenchmarkCompose is the confirmation of a new online booking, the email
// every auto-confirmed submission composes inside its transaction.
func BenchmarkCompose(b *testing.B) {
	bk := booking(onl, daoyue.StatusConfirmed, "zh-TW")
	bk.Meeting = daoyue.Meeting{}
	in := Input{Kind: daoyue.MailConfirmed, Workspace: ws, Service: onl, Practitioner: prac, Booking: bk,
		BaseURL: "https://daoyue.test", ManageLink: true, Organizer: "no-reply@daoyue.test", Now: now}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compose(in); err != nil {
			b.Fatal(err)
		}
	}
}
