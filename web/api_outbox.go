package web

import (
	"net/http"
	"time"

	"github.com/daoyue/daoyue"
)

// ---- outbox ----

// outboxMessageJSON is one email of the outbox. body is the plain text the
// client received, with the manage link's secret masked.
type outboxMessageJSON struct {
	ID        string  `json:"id"`
	BookingID string  `json:"booking_id"`
	Kind      string  `json:"kind"`
	Language  string  `json:"language"`
	Recipient string  `json:"recipient"`
	ReplyTo   string  `json:"reply_to"`
	Subject   string  `json:"subject"`
	Body      string  `json:"body"`
	Calendar  *string `json:"calendar"`
	Status    string  `json:"status"`
	Attempts  int     `json:"attempts"`
	LastError string  `json:"last_error"`
	CreatedAt string  `json:"created_at"`
	SentAt    *string `json:"sent_at"`
}

func outboxOf(ms []*daoyue.OutboxMessage, loc *time.Location) []outboxMessageJSON {
	out := make([]outboxMessageJSON, 0, len(ms))
	for _, m := range ms {
		j := outboxMessageJSON{ID: m.ID, BookingID: m.BookingID, Kind: string(m.Kind), Language: m.Language,
			Recipient: m.Recipient, ReplyTo: m.ReplyTo, Subject: m.Subject, Body: m.Text, Status: string(m.Status), Attempts: m.Attempts,
			LastError: m.LastError, CreatedAt: apiTime(m.CreatedAt, loc), SentAt: apiTimePtr(m.SentAt, loc)}
		if m.ICSMethod != "" {
			method := m.ICSMethod
			j.Calendar = &method
		}
		out = append(out, j)
	}
	return out
}

func (s *Server) apiOutbox(w http.ResponseWriter, r *http.Request) error {
	f := daoyue.FieldErrors{}
	limit := apiQueryInt(f, r, "limit")
	if err := f.Err(); err != nil {
		return err
	}
	ob, err := s.App.Outbox(r.Context(), r.PathValue("slug"), r.URL.Query().Get("cursor"), limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Messages   []outboxMessageJSON `json:"messages"`
		NextCursor string              `json:"next_cursor"`
	}{outboxOf(ob.Messages, ob.Workspace.Location()), ob.NextCursor})
	return nil
}
