package notify_test

import (
	"context"
	"testing"

	"github.com/daoyue/daoyue/notify"
	"github.com/daoyue/daoyue/notify/smtptest"
)

// BenchmarkSMTPSend sends a confirmation-sized message after another over
// STARTTLS with a login, as to a real provider (the server is in the same
// process, so its side of each handshake counts too).
func BenchmarkSMTPSend(b *testing.B) {
	srv := smtptest.NewServer(b, smtptest.Options{TLS: true, Username: "studio", Password: "pw"})
	s, err := notify.NewSMTP(srv.URL(), "no-reply@daoyue.test")
	if err != nil {
		b.Fatal(err)
	}
	s.SetTLSConfig(srv.ClientTLS())
	e := &notify.Email{To: "a@example.com", Subject: "預約已確認", Text: string(make([]byte, 600)), HTML: string(make([]byte, 2500))}
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Send(context.Background(), e); err != nil {
			b.Fatal(err)
		}
	}
}
