package zoomsim

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"time"
)

type kind int

const (
	kindPage  kind = iota // browser pages: only latency and outages apply
	kindOAuth             // token and revoke: FailNextOAuth too
	kindAPI               // /v2: FailNext and RateLimitNext too
)

func (s *Sim) routes() {
	s.mux = http.NewServeMux()
	s.handle("GET /oauth/authorize", kindPage, s.consentPage)
	s.handle("POST /oauth/authorize", kindPage, s.consentSubmit)
	s.handle("POST /oauth/token", kindOAuth, s.token)
	s.handle("POST /oauth/revoke", kindOAuth, s.revoke)
	s.handle("GET /v2/users/me", kindAPI, s.getUser)
	s.handle("GET /v2/users/{userId}", kindAPI, s.getUser)
	s.handle("POST /v2/users/me/meetings", kindAPI, s.createMeeting)
	s.handle("POST /v2/users/{userId}/meetings", kindAPI, s.createMeeting)
	s.handle("GET /v2/meetings/{id}", kindAPI, s.getMeeting)
	s.handle("PATCH /v2/meetings/{id}", kindAPI, s.updateMeeting)
	s.handle("DELETE /v2/meetings/{id}", kindAPI, s.deleteMeeting)
	s.handle("GET /j/{id}", kindPage, s.joinPage)
	s.handle("GET /{$}", kindPage, s.indexPage)
	s.handle("GET /sim/state", kindPage, s.stateView)
	// Other REST paths answer JSON, as Zoom's API gateway does.
	s.handle("/v2/", kindAPI, func(w http.ResponseWriter, r *http.Request) {
		writeAPIError(w, http.StatusNotFound, 404, "The requested resource does not exist.")
	})
}

// handle wraps an endpoint with call counting and fault injection.
func (s *Sim) handle(pattern string, k kind, h http.HandlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if s.opts.StateFile != "" && r.Method != http.MethodGet && r.Method != http.MethodHead {
			defer func() {
				if err := s.SaveState(); err != nil {
					log.Printf("zoomsim: saving state to %s: %v", s.opts.StateFile, err)
				}
			}()
		}
		s.mu.Lock()
		s.calls[pattern]++
		lat := s.latency
		s.mu.Unlock()
		if lat > 0 {
			t := time.NewTimer(lat)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		s.mu.Lock()
		down := s.down
		s.mu.Unlock()
		if down {
			dropConnection(w)
			return
		}
		switch k {
		case kindAPI:
			if s.apiFault(w) {
				return
			}
			s.mu.Lock()
			lose := s.loseAnswerN > 0
			if lose {
				s.loseAnswerN--
			}
			s.mu.Unlock()
			if lose {
				h(discard{header: http.Header{}}, r) // do it, then lose the answer
				dropConnection(w)
				return
			}
		case kindOAuth:
			if s.oauthFault(w) {
				return
			}
		}
		h(w, r)
	})
}

// discard is a ResponseWriter that keeps nothing: the simulator carries
// out a request whose answer it then loses.
type discard struct{ header http.Header }

func (d discard) Header() http.Header         { return d.header }
func (d discard) Write(p []byte) (int, error) { return len(p), nil }
func (d discard) WriteHeader(int)             {}

// dropConnection closes the connection without an answer, like a host that
// is down behind a load balancer resetting connections.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	writeGatewayPage(w, http.StatusServiceUnavailable)
}

func (s *Sim) apiFault(w http.ResponseWriter) bool {
	s.mu.Lock()
	var status int
	var after time.Duration
	rate := false
	switch {
	case s.apiFailN > 0:
		s.apiFailN--
		status = s.apiFailStatus
	case s.rateN > 0:
		s.rateN--
		rate, after = true, s.rateAfter
	}
	now := s.now()
	s.mu.Unlock()
	switch {
	case rate:
		secs := int64((after + time.Second - 1) / time.Second)
		h := w.Header()
		h.Set("Retry-After", strconv.FormatInt(secs, 10))
		h.Set("X-RateLimit-Category", "Light")
		h.Set("X-RateLimit-Type", "QPS")
		h.Set("X-RateLimit-Limit", "30")
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Reset", strconv.FormatInt(now.Add(after).Unix(), 10))
		writeAPIError(w, http.StatusTooManyRequests, 429, "You have reached the maximum per-second rate limit for this API. Try again later.")
		return true
	case status != 0:
		if status >= 502 && status <= 504 {
			writeGatewayPage(w, status)
		} else {
			writeAPIError(w, status, status, http.StatusText(status))
		}
		return true
	}
	return false
}

func (s *Sim) oauthFault(w http.ResponseWriter) bool {
	s.mu.Lock()
	status := 0
	if s.oauthFailN > 0 {
		s.oauthFailN--
		status = s.oauthFailStatus
	}
	s.mu.Unlock()
	if status == 0 {
		return false
	}
	if status >= 500 {
		writeGatewayPage(w, status)
	} else {
		writeJSON(w, status, map[string]string{"reason": http.StatusText(status), "error": "invalid_request"})
	}
	return true
}

func writeGatewayPage(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n</body>\r\n</html>\r\n",
		status, http.StatusText(status), status, http.StatusText(status))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	w.Write(b)
}

// writeAPIError writes Zoom's REST error body {"code","message"} (§5.4).
func writeAPIError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}{code, msg})
}

type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// writeValidation writes 400 code 300 "Validation Failed." with the fields.
func writeValidation(w http.ResponseWriter, fields ...string) {
	errs := make([]fieldError, len(fields))
	for i, f := range fields {
		errs[i] = fieldError{Field: f, Message: "Invalid field."}
	}
	writeJSON(w, http.StatusBadRequest, struct {
		Code    int          `json:"code"`
		Message string       `json:"message"`
		Errors  []fieldError `json:"errors"`
	}{300, "Validation Failed.", errs})
}

// writeOAuthError writes the token endpoint's {"reason","error"} body (§1.4).
func writeOAuthError(w http.ResponseWriter, status int, errCode, reason string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, struct {
		Reason string `json:"reason"`
		Error  string `json:"error"`
	}{reason, errCode})
}
