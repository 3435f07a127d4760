package web

import (
	"net/http"

	"github.com/daoyue/daoyue"
)

// meetingStatusJSON is GET /admin/{slug}/bookings/{id}/meeting-status: a
// tiny answer the booking page polls while its meeting is syncing, so
// "Syncing" turns into the outcome without a manual reload. It says only
// where the sync stands (no meeting details) and, like the page, only to
// the studio's members who see the booking.
func (s *Server) meetingStatusJSON(w http.ResponseWriter, r *http.Request) {
	d, err := s.App.Booking(r.Context(), r.PathValue("slug"), r.PathValue("id"))
	if err != nil {
		status, body := s.publicError(r, err)
		noStore(w)
		writeJSON(w, status, APIError{Error: body})
		return
	}
	m := &d.Booking.Meeting
	noStore(w)
	writeJSON(w, http.StatusOK, struct {
		Status  string `json:"status"`
		Reason  string `json:"reason"`
		Settled bool   `json:"settled"`
	}{string(meetingStatus(d.Booking)), string(m.Reason), meetingStatus(d.Booking) != daoyue.MeetingPending && m.Version == m.SyncedVersion})
}
