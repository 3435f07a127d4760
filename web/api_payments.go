package web

import (
	"net/http"
	"time"

	"github.com/daoyue/daoyue/app"
)

// The JSON API of payments: a client's reported bank transfer, the
// studio's answer to it, refunds.

type transferReportInput struct {
	Last5  string `json:"last5"`
	Amount int64  `json:"amount"`
	SentAt string `json:"sent_at"`
}

func (s *Server) apiTransferReport(w http.ResponseWriter, r *http.Request) error {
	var in transferReportInput
	if err := apiDecodeJSON(w, r, &in); err != nil {
		return err
	}
	sent, _ := time.Parse(time.RFC3339, in.SentAt) // unreadable: zero, which the app reports with the other fields
	v, err := s.App.ReportTransfer(r.Context(), r.PathValue("token"), app.TransferReport{Last5: in.Last5, Amount: in.Amount, SentAt: sent})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.clientBookingOf(v))
	return nil
}

func (s *Server) apiTransferConfirm(w http.ResponseWriter, r *http.Request) error {
	if err := apiEmptyBody(w, r); err != nil {
		return err
	}
	d, err := s.App.ConfirmTransfer(r.Context(), r.PathValue("slug"), r.PathValue("id"))
	return s.answerBooking(w, r, d, err)
}

func (s *Server) apiTransferReject(w http.ResponseWriter, r *http.Request) error {
	if err := apiEmptyBody(w, r); err != nil {
		return err
	}
	d, err := s.App.RejectTransfer(r.Context(), r.PathValue("slug"), r.PathValue("id"))
	return s.answerBooking(w, r, d, err)
}

type refundInput struct {
	Amount int64 `json:"amount"`
}

func (s *Server) apiRefund(w http.ResponseWriter, r *http.Request) error {
	var in refundInput
	if err := apiDecodeJSON(w, r, &in); err != nil {
		return err
	}
	d, err := s.App.RecordRefund(r.Context(), r.PathValue("slug"), r.PathValue("id"), in.Amount)
	return s.answerBooking(w, r, d, err)
}

func (s *Server) apiRefundWaive(w http.ResponseWriter, r *http.Request) error {
	if err := apiEmptyBody(w, r); err != nil {
		return err
	}
	d, err := s.App.WaiveRefund(r.Context(), r.PathValue("slug"), r.PathValue("id"))
	return s.answerBooking(w, r, d, err)
}
