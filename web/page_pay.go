package web

import (
	"net/http"
	"net/url"

	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/ecpay"
)

// The pay page (/b/{token}/pay): a fresh ECPay attempt for the booking and
// its signed checkout form, which posts itself to ECPay (a button stays
// for browsers without JavaScript).

type payPage struct {
	Form *ecpay.CheckoutForm
	Back string
	// StripeURL is the Stripe Checkout page to go to (instead of Form): a
	// link and a refresh, not a form, so form-action stays 'self'.
	StripeURL string
}

func (s *Server) payPage(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	back := s.BaseURL + "/b/" + url.PathEscape(token)
	if s.App.Stripe != nil {
		stripe, err := s.App.StripeOffered(r.Context(), token)
		if err != nil {
			return err
		}
		if stripe {
			u, err := s.App.StartStripeCheckout(r.Context(), token, app.StripeCheckoutURLs{Success: back + "?paid=stripe", Cancel: back})
			if err != nil {
				return err
			}
			noStore(w)
			v := s.newView(w, r, "page.pay.title", &payPage{StripeURL: u, Back: back})
			v.BodyClass = "public"
			v.NoIndex = true
			s.render(w, r, http.StatusOK, "pay", v)
			return nil
		}
	}
	form, err := s.App.StartECPayCheckout(r.Context(), token, app.ECPayCheckoutURLs{
		Return: s.BaseURL + "/webhooks/ecpay/return", Info: s.BaseURL + "/webhooks/ecpay/info", Back: back})
	if err != nil {
		return err
	}
	noStore(w)
	v := s.newView(w, r, "page.pay.title", &payPage{Form: form, Back: back})
	v.BodyClass = "public"
	v.NoIndex = true
	s.render(w, r, http.StatusOK, "pay", v)
	return nil
}
