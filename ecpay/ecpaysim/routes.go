package ecpaysim

import (
	"net/http"
)

func (s *Sim) routes() {
	if err := selfTest(); err != nil {
		panic(err)
	}
	s.mux = http.NewServeMux()
	s.handle("POST /Cashier/AioCheckOut/V5", s.checkout)
	s.handle("POST /Cashier/sim/choose", s.choose)
	s.handle("POST /Cashier/QueryTradeInfo/V5", s.queryTrade)
	s.handle("POST /Cashier/QueryPaymentInfo", s.queryPaymentInfo)
	s.handle("POST /CreditDetail/DoAction", s.doAction)
	s.handle("POST /B2CInvoice/{op}", s.invoice)
	s.handle("GET /{$}", s.index)
	s.handle("POST /sim/{action}", s.admin)
}

func (s *Sim) handle(pattern string, h http.HandlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.calls[pattern]++
		s.mu.Unlock()
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		h(w, r)
	})
}
