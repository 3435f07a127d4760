// Package linesimtest serves a linesim simulator to tests, with a
// configured line.Client and a webhook receiver. It lives apart from
// linesim because the simulator can be embedded in the daoyue binary
// (developer mode) and this helper needs testing and net/http/httptest.
package linesimtest

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/daoyue/daoyue/line"
	"github.com/daoyue/daoyue/line/linesim"
)

// NewServer starts a simulator on an httptest server closed by t's cleanup.
func NewServer(t testing.TB, o linesim.Options) *linesim.Sim {
	t.Helper()
	s := linesim.New(o)
	srv := httptest.NewServer(s.Handler())
	s.SetBaseURL(srv.URL)
	t.Cleanup(srv.Close)
	return s
}

// Client is a line.Client for one of the simulator's channels, minting
// stateless tokens from the channel id and secret as production does.
func Client(t testing.TB, s *linesim.Sim, channelID string) *line.Client {
	t.Helper()
	ch, ok := s.Channel(channelID)
	if !ok {
		t.Fatalf("linesimtest: no channel %q", channelID)
	}
	c, err := line.New(line.Config{ChannelID: ch.ID, ChannelSecret: ch.Secret, APIURL: s.URL(), AccessURL: s.URL()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Delivery is one webhook POST the receiver got.
type Delivery struct {
	Webhook  *line.Webhook // nil when the signature or body was refused
	Err      error         // line.ErrInvalidSignature, line.ErrInvalidWebhook
	Answered int           // the status the receiver answered
}

// Receiver is a webhook endpoint for one channel that verifies signatures
// with the channel secret, as DaoYue's handler must.
type Receiver struct {
	URL    string
	mu     sync.Mutex
	status int
	got    []Delivery
	hook   func(*line.Webhook)
}

// NewReceiver starts a receiver and sets it as the channel's webhook URL
// with redelivery on.
func NewReceiver(t testing.TB, s *linesim.Sim, channelID string) *Receiver {
	t.Helper()
	ch, ok := s.Channel(channelID)
	if !ok {
		t.Fatalf("linesimtest: no channel %q", channelID)
	}
	rc := &Receiver{status: http.StatusOK}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wh, err := line.ParseRequest(r, ch.Secret)
		rc.mu.Lock()
		d := Delivery{Webhook: wh, Err: err, Answered: rc.status}
		if errors.Is(err, line.ErrInvalidSignature) || errors.Is(err, line.ErrInvalidWebhook) {
			d.Answered = http.StatusBadRequest
		}
		rc.got = append(rc.got, d)
		hook := rc.hook
		rc.mu.Unlock()
		if hook != nil && err == nil && d.Answered < 300 {
			hook(wh)
		}
		w.WriteHeader(d.Answered)
	}))
	t.Cleanup(srv.Close)
	rc.URL = srv.URL + "/line/webhook/" + channelID
	s.SetWebhook(channelID, rc.URL, true)
	return rc
}

// AnswerWith makes later deliveries get this status (e.g. 500 to provoke
// redelivery); refused signatures still get 400.
func (rc *Receiver) AnswerWith(status int) {
	rc.mu.Lock()
	rc.status = status
	rc.mu.Unlock()
}

// OnWebhook runs f (synchronously, before answering) for each accepted
// delivery — e.g. to reply to a code message with its reply token.
func (rc *Receiver) OnWebhook(f func(*line.Webhook)) {
	rc.mu.Lock()
	rc.hook = f
	rc.mu.Unlock()
}

// Deliveries are all POSTs received, refused ones included.
func (rc *Receiver) Deliveries() []Delivery {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]Delivery(nil), rc.got...)
}

// Events are the events of verified deliveries answered 2xx, in order.
func (rc *Receiver) Events() []line.Event {
	var out []line.Event
	for _, d := range rc.Deliveries() {
		if d.Webhook != nil && d.Answered < 300 {
			out = append(out, d.Webhook.Events...)
		}
	}
	return out
}
