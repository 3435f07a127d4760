package web

import (
	"net/http"

	"github.com/daoyue/daoyue/ecpay"
)

// ecpayWebhook receives ECPay's ReturnURL (kind "return") or
// PaymentInfoURL ("info") notification and answers exactly what ECPay
// expects: "1|OK" once handled, "0|…" when refused (ECPay sends again).
func (s *Server) ecpayWebhook(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		form, err := ecpay.ReadNotification(r)
		if err != nil {
			ecpay.WriteAnswer(w, ecpay.AnswerError("malformed"))
			return
		}
		ecpay.WriteAnswer(w, s.App.ECPayNotification(r.Context(), kind, form))
	}
}
