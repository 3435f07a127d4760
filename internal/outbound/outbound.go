// Package outbound holds the HTTP transport DaoYue's calls to outside
// services (Zoom, ECPay, LINE) share.
package outbound

import (
	"net/http"
	"time"
)

// Transport keeps up to 64 idle connections per host. http.DefaultTransport
// keeps two: the meeting queue's workers, calling Zoom at once, closed
// nearly every connection after its call and opened a new one (a TCP and
// TLS handshake) for the next, about one per call in a burst.
var Transport http.RoundTripper = func() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	t.IdleConnTimeout = 90 * time.Second
	return t
}()

// Client is an HTTP client on Transport whose requests end after timeout.
func Client(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, Transport: Transport}
}
