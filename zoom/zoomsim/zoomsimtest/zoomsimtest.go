// Package zoomsimtest serves a zoomsim simulator to tests. It lives apart
// from zoomsim because the daoyue binary embeds the simulator (`daoyue
// zoomsim`, developer mode), and this helper needs testing and
// net/http/httptest, which have no place in the binary.
package zoomsimtest

import (
	"net/http/httptest"
	"testing"

	"github.com/daoyue/daoyue/zoom/zoomsim"
)

// NewServer starts a simulator on an httptest server that t's cleanup
// closes. s.URL() is its base.
func NewServer(t testing.TB, o zoomsim.Options) *zoomsim.Sim {
	t.Helper()
	s := zoomsim.New(o)
	srv := httptest.NewServer(s.Handler())
	s.SetBaseURL(srv.URL)
	t.Cleanup(srv.Close)
	return s
}
